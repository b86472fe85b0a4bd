import Foundation

/// `getent`: runs the host's `getent DATABASE [KEY]` and sets the fact `getent_DATABASE`,
/// a dict from each entry's first field to its other fields (a list of lists when a key
/// repeats), split on `:` for passwd/shadow/group/gshadow and on whitespace otherwise.
public struct GetentModule: Module {
    public static let name = "getent"
    public static let argumentSpec = ArgumentSpec([
        .init("database", required: true), .init("key"), .init("service"), .init("split"),
        .init("fail_key", .bool, default: true),
    ])

    public var database: String
    public var key: String?
    public var service: String?
    public var split: String?
    public var failKey: Bool

    public init(arguments args: ModuleArguments) throws {
        database = try args.requiredString("database")
        key = try args.string("key")
        service = try args.string("service")
        split = try args.string("split")
        failKey = try args.bool("fail_key") ?? true
        if split == nil, ["passwd", "shadow", "group", "gshadow"].contains(database) { split = ":" }
        if split == "" { throw ModuleError("'split' must not be empty") }
    }

    /// `getent_DATABASE` returned under `ansible_facts` and set on the host as a fact.
    private static func facts(_ f: [String: Value], message: String?) -> ModuleResult {
        var r = ModuleResult.ok(["ansible_facts": .dict(f)], message: message)
        r.effects.facts = f
        return r
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var line = "getent -- " + Shell.quote(database)
        if let key { line += " " + Shell.quote(key) }
        if let service { line = "getent -s " + Shell.quote(service) + " -- " + Shell.quote(database) + (key.map { " " + Shell.quote($0) } ?? "") }
        let r = try context.run("command -v getent >/dev/null 2>&1 || { echo 'getent is not installed on the host' >&2; exit 127; }; " + line)
        let tree = "getent_" + database
        switch r.status {
        case 0:
            return Self.facts([tree: .dict(Self.parse(r.stdoutText, split: split))], message: nil)
        case 2:
            let msg = "One or more supplied key could not be found in the database."
            if !failKey, let key { return Self.facts([tree: .dict([key: .null])], message: msg) }
            return .failed(msg)
        case 1: return .failed("Missing arguments, or database unknown.")
        case 3: return .failed("Enumeration not supported on this database.")
        case 127: return .failed(r.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
        default: return .failed("Unexpected failure!")
        }
    }

    /// Python's `str.split(sep)` (nil: split on whitespace runs).
    static func fields(_ line: String, _ sep: String?) -> [String] {
        guard let sep else { return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init) }
        return line.components(separatedBy: sep)
    }

    /// The fact's value from getent's output. Pure.
    static func parse(_ text: String, split: String?) -> [String: Value] {
        var out: [String: Value] = [:]
        var seen: [String: Int] = [:]
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() } // as Python's splitlines()
        for line in lines where !(line.isEmpty && split == nil) {
            let record = fields(String(line), split)
            guard let first = record.first else { continue }
            let rest = Value.list(record.dropFirst().map { .string($0) })
            if let n = seen[first] {
                if n == 1, let old = out[first] { out[first] = .list([old]) }
                if case .list(var items) = out[first] { items.append(rest); out[first] = .list(items) }
                seen[first] = n + 1
            } else {
                out[first] = rest
                seen[first] = 1
            }
        }
        return out
    }
}
