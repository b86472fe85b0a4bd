import Foundation

/// `pause`: waits `seconds` or `minutes` on the controller (the host's runner only; other
/// hosts go on in parallel). Interactive prompts are not supported.
public struct PauseModule: Module {
    public static let name = "pause"
    public static let argumentSpec = ArgumentSpec([
        .init("seconds", .number), .init("minutes", .number), .init("prompt"), .init("echo", .bool, default: true),
    ], mutuallyExclusive: [["seconds", "minutes"]])

    public var duration: TimeInterval

    public init(arguments args: ModuleArguments) throws {
        if let s = try args.double("seconds") {
            duration = s
        } else if let m = try args.double("minutes") {
            duration = m * 60
        } else {
            throw ModuleError("pause needs 'seconds' or 'minutes'; waiting for a key press is not supported")
        }
        if duration < 0 { throw ModuleError("pause duration must not be negative") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let start = Date()
        Thread.sleep(forTimeInterval: duration)
        let delta = Date().timeIntervalSince(start)
        return .ok(["start": .string(CommandRunner.timestamp(start)), "stop": .string(CommandRunner.timestamp(Date())),
                    "delta": .int(Int(delta.rounded())), "user_input": ""],
                   message: "paused for \(duration.rounded() == duration ? String(Int(duration)) : String(duration)) s")
    }
}
