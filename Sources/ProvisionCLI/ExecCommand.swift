import ArgumentParser
import Foundation
import ProvisionCore

/// `provision exec COMMAND`: one shell command on every selected host, in parallel, with
/// identical results folded together.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a shell command on every selected host in parallel.",
        discussion: """
        Each host runs the command in its own session; at most --forks hosts at once. Hosts \
        with identical output and status are shown together under their node set, e.g. \
        'red[01-03,05] (4)'; failures and unreachable hosts come last, then a summary line.

        With --json, stdout holds one JSON object per host and nothing else, with the keys \
        host, status, rc, stdout, stderr, duration (seconds) and error. status is ok, failed \
        (non-zero exit), error (timeout, sudo refused), unreachable or interrupted; rc is the \
        exit status (null when the command did not finish).

        Output is streamed: each host's stdout and stderr keep their first and last \
        --keep-output bytes with a marker line naming the bytes cut between them (--json adds \
        stdout_dropped_bytes/stderr_dropped_bytes); --output-dir DIR keeps the whole streams. \
        Control characters from hosts are shown escaped.

        Hosts that failed or were unreachable are written to .provision/last-failed.

        Examples:
          provision exec "uptime" -i inventories/hosts.yml
          provision exec "apt-get -s upgrade | tail -1" --become --limit workers
          provision exec "cat /etc/os-release" --json | jq -r .stdout
          provision exec "docker info" -f 10 --limit @.provision/last-failed

        Exit status: 0 all ok, 2 a command failed, 4 a host unreachable (or-ed: 6), 1 usage or \
        load error, 130 interrupted.
        """
    )

    @Argument(help: "The shell command line (quote it).")
    var command: [String] = []

    @OptionGroup var inventoryOptions: InventoryOptions
    @OptionGroup var execution: ExecutionOptions
    @Flag(help: "One JSON object per host on stdout, nothing else.")
    var json = false
    @OptionGroup(title: "Connection options") var common: CommonOptions
    @OptionGroup(title: "Output limits") var outputOptions: OutputOptions

    func validate() throws {
        if command.isEmpty { throw ValidationError("Missing the command to run, e.g. provision exec \"uptime\"") }
    }

    func run() throws {
        let config = try HostSelection.loadConfig()
        let selection = try HostSelection(inventoryOptions, config: config)
        var defaults = try common.connectionDefaults(config: config, execution: execution)
        defaults.output = try outputOptions.limits()
        let targets = try selection.targets(defaults: defaults)
        var become: [String: Become] = [:]
        let becomeAll = execution.become(config: config)
        for host in selection.hosts where becomeAll || host.connection.become {
            do { become[host.name] = try host.become(defaults: defaults) } catch let e as LoadError {
                throw HostSelection.fail(e.diagnostics.map { $0.rendered() }.joined(separator: "\n"), count: 1)
            }
        }

        let stdoutStyle = TerminalStyle.detect(fileDescriptor: STDOUT_FILENO)
        let stderrStyle = TerminalStyle.detect(fileDescriptor: STDERR_FILENO)
        // Stderr reporters first, so the live count is erased before the report is printed.
        var reporters: [Reporter] = []
        if common.verbose > 0 {
            reporters.append(VerboseReporter(output: .standardError, level: common.verbose, style: stderrStyle))
        } else if isatty(STDERR_FILENO) == 1 {
            reporters.append(ExecProgressReporter(output: .standardError, total: selection.hosts.count))
        }
        reporters.append(json ? ExecJSONReporter(output: .standardOutput)
            : ExecConsoleReporter(output: .standardOutput, style: stdoutStyle))
        let events = ReporterQueue(reporters)
        let pool = HostPool(targets: targets, factory: selection.transportFactory,
                            forks: execution.forks(config: config), events: events)
        let interrupt = InterruptHandler { pool.interrupt() }
        let line = command.joined(separator: " ")
        let timeout = execution.timeout
        let summary = ExecRunner(pool: pool, events: events).run(on: selection.hosts.map(\.name)) { host in
            RemoteCommand(line, timeout: timeout, become: become[host], output: .display)
        }
        events.flush()
        interrupt.cancel()
        // After Ctrl-C, hosts still in a command hold their queues: do not wait long for them.
        pool.close(timeout: summary.interrupted ? 0.2 : 10)
        LastFailedFile.record(summary.results.filter { $0.status != .ok && $0.status != .interrupted }.map(\.host))
        let code = summary.exitCode
        if code != 0 { throw ExitCode(code) }
    }
}
