import Foundation

/// `provision run`'s human output: per task a header then outcomes folded by node set, diffs
/// (with `--diff`) folded when identical, and a recap per host with the total time. On a
/// terminal, a live line shows the hosts still running the current task and for how long.
///
/// Every line goes through the `SecretRedactor`, and results of `no_log` tasks arrive already
/// hidden, so no secret reaches the terminal at any verbosity.
public final class RunConsoleReporter: Reporter {
    private let output: TextOutput
    private let style: TerminalStyle
    private let redactor: SecretRedactor
    private let verbosity: Int
    private let live: Bool
    private let lock = NSLock()
    // Guarded by `lock`.
    private var running: [String: Date] = [:]
    private var liveShown = false
    private var taskName = ""
    private var timer: DispatchSourceTimer?

    /// `live`: draw the progress line (only when the output is a terminal).
    public init(output: TextOutput, style: TerminalStyle, redactor: SecretRedactor, verbosity: Int = 0,
                live: Bool = false) {
        self.output = output
        self.style = style
        self.redactor = redactor
        self.verbosity = verbosity
        self.live = live
        if live {
            let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "provision.live"))
            t.schedule(deadline: .now() + 1, repeating: 1)
            t.setEventHandler { [weak self] in self?.drawLive() }
            t.resume()
            timer = t
        }
    }

    deinit { timer?.cancel() }

    public func handle(_ event: RunEvent) {
        switch event {
        case .playbook(let e): handle(e)
        case .hostUnreachable(let host, let error):
            if verbosity > 0 { write(style.magenta(TerminalSafe.escape("unreachable: \(host): \(error.message)")) + "\n") }
        default: break
        }
    }

    func handle(_ e: PlaybookEvent) {
        switch e {
        case .playStarted(let name, let hosts):
            write("\n" + style.bold("PLAY [\(name)]") + " " + style.dim(NodeSet.fold(hosts)) + "\n")
        case .playSkipped(let name, let reason):
            write("\n" + style.bold("PLAY [\(name)]") + " skipped: \(reason)\n")
        case .taskStarted(let info):
            lock.withLock {
                running = [:]
                taskName = info.name
            }
        case .hostStarted(let host):
            lock.withLock { running[host] = Date() }
        case .hostFinished(_, let r):
            lock.withLock { _ = running.removeValue(forKey: r.host) }
        case .taskFinished(let info, let results):
            lock.withLock { running = [:] }
            write(render(info, results))
        case .warning(let text):
            write(style.yellow(TerminalSafe.escape("warning: \(text)")) + "\n")
        case .runFinished(let recap):
            timer?.cancel()
            write(Self.renderRecap(recap, style: style))
        }
    }

    /// The block for one finished task.
    func render(_ info: TaskInfo, _ results: [TaskHostResult]) -> String {
        let kind = info.isHandler ? "HANDLER" : "TASK"
        var out = style.bold("\(kind) [" + TerminalSafe.escape(info.name) + "]") + "\n"
        for g in RunOutcomeGroup.fold(results, showMessages: info.module == "debug") {
            let nodes = NodeSet.fold(g.hosts)
            var line: String
            switch g.status {
            case .ok: line = style.green("ok: \(nodes)")
            case .changed: line = style.yellow("changed: \(nodes)")
            case .skipped: line = style.dim("skipped: \(nodes)")
            case .failed: line = style.red("failed: \(nodes)") + (g.ignored ? " (ignored)" : "")
            case .unreachable: line = style.magenta("unreachable: \(nodes)")
            }
            if let d = g.delegatedTo { line += " → " + TerminalSafe.escape(d) }
            if let m = g.message, !m.isEmpty { line += " — " + TerminalSafe.escape(m) }
            out += "  " + line + "\n"
            if let tail = g.outputTail {
                for l in TerminalSafe.escape(tail).split(separator: "\n", omittingEmptySubsequences: false) { out += "      | \(l)\n" }
            }
        }
        for (hosts, diff) in RunOutcomeGroup.foldDiffs(results) {
            out += "  " + style.bold("diff: \(NodeSet.fold(hosts))") + "\n"
            for l in diff.split(separator: "\n", omittingEmptySubsequences: false) {
                let s = TerminalSafe.escape(String(l))
                let colored = s.hasPrefix("+") && !s.hasPrefix("+++") ? style.green(s)
                    : s.hasPrefix("-") && !s.hasPrefix("---") ? style.red(s) : s
                out += "    " + colored + "\n"
            }
        }
        // Warnings always show (as Ansible's [WARNING]), folded by node set when identical.
        var warned: [(text: String, hosts: [String])] = []
        for r in results {
            for w in r.warnings {
                if let i = warned.firstIndex(where: { $0.text == w }) { warned[i].hosts.append(r.host) }
                else { warned.append((w, [r.host])) }
            }
        }
        for w in warned { out += style.yellow(TerminalSafe.escape("  warning: \(NodeSet.fold(w.hosts)): \(w.text)")) + "\n" }
        if verbosity > 0 {
            for r in results {
                if !r.items.isEmpty {
                    for item in r.items { out += style.dim("    \(r.host) item \(item.label): \(item.status.rawValue)") + "\n" }
                }
                if let d = r.detail { out += style.dim(TerminalSafe.escape("    \(r.host) => \(d)")) + "\n" }
                else if info.noLog { out += style.dim("    \(r.host) => \(TaskHostResult.hidden)") + "\n" }
            }
        }
        return out
    }

    /// The recap: one line per group of hosts with identical counters, then the time.
    public static func renderRecap(_ recap: RunRecap, style: TerminalStyle) -> String {
        var out = "\n" + style.bold("PLAY RECAP") + "\n"
        var groups: [(hosts: [String], recap: HostRecap)] = []
        for (name, r) in recap.hosts {
            if let i = groups.firstIndex(where: { $0.recap == r }) { groups[i].hosts.append(name) }
            else { groups.append(([name], r)) }
        }
        let labels = groups.map { NodeSet.fold($0.hosts) }
        let width = labels.map(\.count).max() ?? 0
        for (label, g) in zip(labels, groups) {
            let r = g.recap
            let pad = label.padding(toLength: width, withPad: " ", startingAt: 0)
            let name = r.failed > 0 ? style.red(pad) : r.unreachable > 0 ? style.magenta(pad)
                : r.changed > 0 ? style.yellow(pad) : style.green(pad)
            out += "\(name)  ok=\(r.ok) changed=\(r.changed) unreachable=\(r.unreachable) failed=\(r.failed) "
                + "skipped=\(r.skipped) rescued=\(r.rescued) ignored=\(r.ignored)\n"
        }
        if recap.interrupted { out += style.yellow("interrupted") + "\n" }
        out += String(format: "total time %.2fs\n", recap.duration)
        return out
    }

    private func write(_ text: String) {
        lock.withLock {
            var s = ""
            if liveShown { s = "\r\u{1B}[K"; liveShown = false }
            output.write(s + redactor.redact(text))
        }
    }

    private func drawLive() {
        lock.withLock {
            guard !running.isEmpty else { return }
            let now = Date()
            let oldest = running.values.min() ?? now
            let hosts = NodeSet.fold(running.keys.sorted())
            let line = TerminalSafe.escape(String(format: "  running %@: %@ (%.0fs)", taskName, hosts, now.timeIntervalSince(oldest)))
            output.write("\r\u{1B}[K" + redactor.redact(String(line.prefix(200))))
            liveShown = true
        }
    }
}
