/// `fail`: fails the task with `msg`.
public struct FailModule: Module {
    public static let name = "fail"
    public static let argumentSpec = ArgumentSpec([.init("msg", .any, default: "Failed as requested from task")])

    public var message: String

    public init(arguments args: ModuleArguments) throws {
        message = args.values["msg"].map { $0.renderedString } ?? "Failed as requested from task"
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        .failed(message)
    }
}
