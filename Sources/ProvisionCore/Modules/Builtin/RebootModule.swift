import Foundation

/// `reboot`: reboots the host and waits until it is back: the boot id
/// (`/proc/sys/kernel/random/boot_id`) differs from before and `test_command` succeeds.
///
/// Needs a `ReconnectableTransport` (the SSH transport reconnects in place); any other
/// transport fails the task before rebooting. The reboot command is started in the
/// background after `pre_reboot_delay` (at least 1 s), so the command returns before the
/// connection drops.
public struct RebootModule: Module {
    public static let name = "reboot"
    public static let argumentSpec = ArgumentSpec([
        .init("reboot_timeout", .int, default: 600), .init("connect_timeout", .int),
        .init("test_command", default: "whoami"), .init("pre_reboot_delay", .int, default: 0),
        .init("post_reboot_delay", .int, default: 0), .init("msg", default: "Reboot initiated by provision"),
        .init("reboot_command"), .init("boot_time_command", default: "cat /proc/sys/kernel/random/boot_id"),
    ])

    public var rebootTimeout: Int
    public var connectTimeout: Int
    public var testCommand: String
    public var preRebootDelay: Int
    public var postRebootDelay: Int
    public var message: String
    public var rebootCommand: String?
    public var bootTimeCommand: String
    /// Seconds between attempts to reach the host again.
    var pollInterval: TimeInterval = 2

    public init(arguments args: ModuleArguments) throws {
        rebootTimeout = try args.int("reboot_timeout") ?? 600
        connectTimeout = try args.int("connect_timeout") ?? 10
        testCommand = try args.string("test_command") ?? "whoami"
        preRebootDelay = max(0, try args.int("pre_reboot_delay") ?? 0)
        postRebootDelay = max(0, try args.int("post_reboot_delay") ?? 0)
        message = try args.string("msg") ?? "Reboot initiated by provision"
        rebootCommand = try args.string("reboot_command")
        bootTimeCommand = try args.string("boot_time_command") ?? "cat /proc/sys/kernel/random/boot_id"
    }

    /// The background line that reboots after the delay.
    var backgroundRebootLine: String {
        let cmd = rebootCommand ?? "shutdown -r now \(Shell.quote(message)) || systemctl reboot || reboot"
        let inner = "sleep \(max(1, preRebootDelay)); \(cmd)"
        return "nohup /bin/sh -c \(Shell.quote(inner)) >/dev/null 2>&1 </dev/null &"
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let before = try context.run(bootTimeCommand)
        let oldID = before.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard before.succeeded, !oldID.isEmpty else {
            return .failed("cannot read the boot id with '\(bootTimeCommand)': \(before.stderrText)")
        }
        if context.checkMode { return .changed(["rebooted": false], message: "would reboot") }
        guard let transport = context.transport as? ReconnectableTransport else {
            return .failed("this connection cannot reconnect, so provision cannot wait for a reboot (use the SSH connection)")
        }
        let start = Date()
        do {
            let r = try context.run(backgroundRebootLine, timeout: 30)
            if !r.succeeded { return .failed("reboot command failed: \(r.stderrText)") }
        } catch let e as TransportError where e.kind == .unreachable || e.kind == .timeout {
            // The host went down under the command: that is the reboot happening.
        }
        let deadline = start.addingTimeInterval(TimeInterval(rebootTimeout))
        Thread.sleep(forTimeInterval: TimeInterval(max(1, preRebootDelay) + postRebootDelay))
        var lastProblem = "the host did not go down"
        while Date() < deadline {
            do {
                try transport.reconnect(timeout: TimeInterval(connectTimeout))
                let now = try context.run(bootTimeCommand, timeout: TimeInterval(connectTimeout))
                let id = now.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                if now.succeeded, !id.isEmpty, id != oldID {
                    let test = try context.run(testCommand, timeout: TimeInterval(max(connectTimeout, 30)))
                    if test.succeeded {
                        let elapsed = Int(Date().timeIntervalSince(start).rounded())
                        return .changed(["rebooted": true, "elapsed": .int(elapsed)], message: "rebooted in \(elapsed) s")
                    }
                    lastProblem = "test command '\(testCommand)' failed: \(test.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))"
                } else if id == oldID {
                    lastProblem = "the host did not go down"
                }
            } catch let e as TransportError {
                lastProblem = e.message
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        return ModuleResult(changed: true, failed: true,
                            message: "timed out after \(rebootTimeout) s waiting for the host to come back: \(lastProblem)",
                            data: ["rebooted": false])
    }
}
