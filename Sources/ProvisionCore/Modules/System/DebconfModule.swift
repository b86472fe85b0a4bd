import Foundation

/// `debconf`: one debconf answer of a package, read with `debconf-show` and set with
/// `debconf-set-selections`, as Ansible's (booleans compared as debconf spells them; returns
/// `current` and `previous`).
public struct DebconfModule: Module {
    public static let name = "debconf"
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true, aliases: ["pkg"]),
        .init("question", aliases: ["selection", "setting"]),
        .init("vtype", choices: ["boolean", "error", "multiselect", "note", "password", "seen", "select", "string", "text", "title"]),
        .init("value", .any, aliases: ["answer"]),
        .init("unseen", .bool, default: false),
    ])

    public var package: String
    public var question: String?
    public var vtype: String?
    public var value: String?
    public var unseen: Bool

    public init(arguments args: ModuleArguments) throws {
        package = try args.requiredString("name")
        question = try args.string("question")
        vtype = try args.string("vtype")
        if let v = args.values["value"], !v.isNull {
            // Ansible's str(): a YAML boolean arrives as True/False.
            if case .bool(let b) = v { value = b ? "True" : "False" } else { value = v.renderedString }
        }
        unseen = try args.bool("unseen") ?? false
        let given = [question != nil, vtype != nil, value != nil]
        if given.contains(true) && given.contains(false) {
            throw ModuleError("parameters are required together: question, vtype, value")
        }
        guard AptOutput.isValidSpec(package), !package.contains("=") else { throw ModuleError("'\(package)' is not a package name") }
        if let q = question, q.contains(where: { $0 == " " || $0 == "\n" }) { throw ModuleError("question must be one word") }
        if value?.contains("\n") ?? false { throw ModuleError("value must be on one line") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var read = ModuleScript(Self.readBody)
        read.set("pkg", package)
        let out = try read.run(in: context)
        if let f = out.failure { return .failed(f) }
        var prev: [String: Value] = [:]
        for line in out.text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "* "))
            prev[key] = .string(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        guard let question, let vtype, var value else { return .ok(["current": .dict(prev)]) }
        var changed = prev[question] == nil
        if let existing = prev[question]?.stringValue {
            if vtype == "boolean" { value = value.lowercased() }
            changed = value != (vtype == "boolean" ? existing.lowercased() : existing)
        }
        guard changed else { return .ok(["current": .dict(prev)]) }
        if !context.checkMode {
            var set = value
            if vtype == "boolean" && (value == "True" || value == "False") { set = value.lowercased() }
            var w = ModuleScript(Self.writeBody)
            w.set("unseen", unseen)
            let line = [package, question, vtype, set].joined(separator: " ")
            let r = try w.run(in: context, stdin: Data((line + "\n").utf8))
            if let f = r.failure { return .failed(f) }
        }
        let previous: [String: Value] = [question: prev[question] ?? ""]
        var data: [String: Value] = ["current": .dict([question: .string(value)]), "previous": .dict(previous), "diff": .dict([:])]
        var result = ModuleResult(changed: true, data: data)
        if context.diffMode {
            data["diff"] = .dict(["before": .dict(previous), "after": .dict([question: .string(value)])])
            result.data = data
            // A password's value stays out of the diff.
            let shown = vtype == "password" ? "********" : value
            result.diffs = [FileDiff(path: "debconf \(package)", before: "\(question): \(prev[question]?.stringValue ?? "")\n",
                                     after: "\(question): \(shown)\n")]
        }
        return result
    }

    static let readBody = #"""
    command -v debconf-show >/dev/null 2>&1 || die "debconf-show is not on this host (package debconf)"
    _o=$(debconf-show "$pkg" 2>&1) || die "$_o"
    printf '%s\n' "$_o"
    """#

    static let writeBody = #"""
    u=""; [ "$unseen" = 1 ] && u=-u
    _o=$(debconf-set-selections $u 2>&1) || die "$_o"
    """#
}
