import Foundation

/// What the `*_info` modules of one docker object share: the object's `name` and the
/// connection from the task, and the result `exists` plus the inspect output (or null) under
/// the object's key.
struct DockerObjectLookup {
    var connection: DockerConnection
    var name: String

    init(_ a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        name = try a.requiredString("name")
    }

    func run(in context: HostContext, object: String) throws -> ModuleResult {
        let v = try DockerCLI(context: context, connection: connection).inspect(object, name)
        return .ok(["exists": .bool(v != nil), object: v ?? .null])
    }
}
