import Foundation

/// `include_vars`: reads a YAML file of variables on the controller and sets them on the host
/// for the rest of the run, above play and role vars and below `set_fact` (Ansible's
/// include_vars precedence). A relative path is looked up in the role's `vars/` first, then
/// the playbook directory. `name:` puts the file's variables under one variable.
///
/// It needs no host: it reads on the controller and returns `effects.includedVariables`.
public struct IncludeVarsModule: Module {
    public static let name = "include_vars"
    public static let controllerSubdirectory: String? = "vars"
    public static let argumentSpec = ArgumentSpec([
        .init("file"), .init("name"), .init("_raw_params"),
    ], freeForm: true, requiredOneOf: [["file", "_raw_params"]], mutuallyExclusive: [["file", "_raw_params"]])

    public var file: String
    public var variable: String?

    public init(arguments args: ModuleArguments) throws {
        guard let f = try args.string("file") ?? args.string("_raw_params"), !f.isEmpty else {
            throw ModuleError("include_vars needs a file (include_vars: vars/site.yml, or file: …)")
        }
        file = f.trimmingCharacters(in: .whitespaces)
        variable = try args.string("name")
        if let v = variable, v.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) == nil {
            throw ModuleError("'\(v)' is not a valid variable name for 'name'")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let path = context.controllerPath(file)
        let vars: [String: Value]
        do {
            guard FileManager.default.fileExists(atPath: path) else {
                return .failed("include_vars: no file '\(file)' (looked for \(path))")
            }
            switch try YAMLFile.load(path).map({ try YAMLFile.value(of: $0, file: path) }) ?? .dict([:]) {
            case .dict(let d): vars = [String: Value](d)
            case .null: vars = [:]
            default: return .failed("include_vars: '\(file)' must be a mapping of variable names to values")
            }
        } catch let e as LoadError {
            return .failed("include_vars: " + e.diagnostics.map { $0.rendered() }.joined(separator: "; "))
        }
        let set = variable.map { [$0: Value.dict(vars)] } ?? vars
        var r = ModuleResult.ok([SetFactModule.factsKey: .dict(set)])
        r.effects.includedVariables = set
        return r
    }
}
