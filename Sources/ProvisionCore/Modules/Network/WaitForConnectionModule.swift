import Foundation

/// `wait_for_connection`: waits until the host answers a command again, reconnecting its
/// transport (`ReconnectableTransport`, the SSH one) between tries, as Ansible's does with
/// its connection plugin. Returns `elapsed`; never reports a change.
public struct WaitForConnectionModule: Module {
    public static let name = "wait_for_connection"
    public static let argumentSpec = ArgumentSpec([
        .init("connect_timeout", .int, default: 5), .init("delay", .int, default: 0),
        .init("sleep", .int, default: 1), .init("timeout", .int, default: 600),
    ])

    public var connectTimeout: Int
    public var delay: Int
    public var sleep: Int
    public var timeout: Int

    public init(arguments args: ModuleArguments) throws {
        connectTimeout = max(1, try args.int("connect_timeout") ?? 5)
        delay = max(0, try args.int("delay") ?? 0)
        sleep = max(0, try args.int("sleep") ?? 1)
        timeout = try args.int("timeout") ?? 600
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let start = Date()
        if delay > 0 { Thread.sleep(forTimeInterval: TimeInterval(delay)) }
        let deadline = start.addingTimeInterval(TimeInterval(timeout + delay))
        var lastError = ""
        var first = true
        while true {
            do {
                if !first, let r = context.transport as? ReconnectableTransport {
                    try r.reconnect(timeout: TimeInterval(connectTimeout))
                }
                first = false
                let result = try context.transport.run(RemoteCommand("echo ping", timeout: TimeInterval(connectTimeout)))
                if result.succeeded && result.stdoutText.contains("ping") {
                    return .ok(["elapsed": .int(Int(Date().timeIntervalSince(start)))])
                }
                lastError = "the test command failed: " + result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                first = false
                lastError = "\(error)"
            }
            if Date().addingTimeInterval(TimeInterval(sleep)) >= deadline {
                return .failed("timed out waiting for connection port up: \(lastError)",
                               data: ["elapsed": .int(Int(Date().timeIntervalSince(start)))])
            }
            Thread.sleep(forTimeInterval: TimeInterval(max(sleep, 1)))
        }
    }
}
