/// The `owner`, `group` and `mode` arguments shared by the file modules.
struct FileAttributes: Equatable {
    var owner: String?
    var group: String?
    /// Normalised: octal digits without leading zeros (`644`), or a symbolic mode (`u+x`).
    var mode: String?

    static let fields: [ArgumentSpec.Field] = [
        .init("owner"), .init("group"), .init("mode", .mode),
    ]

    init(owner: String? = nil, group: String? = nil, mode: String? = nil) {
        self.owner = owner
        self.group = group
        self.mode = mode
    }

    init(_ args: ModuleArguments) throws {
        owner = try args.string("owner").flatMap { $0.isEmpty ? nil : $0 }
        group = try args.string("group").flatMap { $0.isEmpty ? nil : $0 }
        mode = try Self.mode(args.values["mode"])
    }

    var isEmpty: Bool { owner == nil && group == nil && mode == nil }

    /// The mode as a number, when it is numeric.
    var numericMode: Int? { mode.flatMap { Int($0, radix: 8) } }

    /// Parses a `mode` argument. An integer is the mode's value, as Ansible takes it: YAML 1.1
    /// reads `mode: 0644` as octal (420, that is 0o644), while `mode: 644` is decimal 644, that
    /// is 0o1204 (Ansible's documented pitfall, kept). `"0644"`, `"644"` and `"u=rw,g=r,o=r"`
    /// are strings.
    static func mode(_ value: Value?) throws -> String? {
        guard let value, !value.isNull else { return nil }
        let text: String
        switch value {
        case .int(let i):
            guard (0...0o7777).contains(i) else {
                throw ModuleError("'mode' \(i) is not a file mode (0 to 0o7777): quote it, e.g. '0644'")
            }
            text = String(i, radix: 8)
        case .string(let s): text = s.trimmingCharacters(in: .whitespaces)
        default: throw ModuleError("'mode' must be an octal number such as '0644' or a symbolic mode such as 'u+x'")
        }
        if text.isEmpty { return nil }
        if text.allSatisfy({ $0.isNumber }) {
            guard text.allSatisfy({ ("0"..."7").contains($0) }), let n = Int(text, radix: 8), n <= 0o7777 else {
                throw ModuleError("'mode' \(text) is not an octal mode: use digits 0-7, e.g. '0644'")
            }
            return String(n, radix: 8)
        }
        let symbolic = #"^([ugoa]*([-+=]([rwxXst]*|[ugo]))+)(,[ugoa]*([-+=]([rwxXst]*|[ugo]))+)*$"#
        guard text.range(of: symbolic, options: .regularExpression) != nil else {
            throw ModuleError("'mode' '\(text)' is neither octal (e.g. '0644') nor symbolic (e.g. 'u+rwx,g-w')")
        }
        return text
    }

    /// Sets `want_owner`, `want_group`, `want_mode` for the prelude's `pv_attrs`.
    func apply(to script: inout ModuleScript) {
        script.set("want_owner", owner ?? "")
        script.set("want_group", group ?? "")
        script.set("want_mode", mode ?? "")
    }

    /// Before/after of the attributes a script changed (or would), one `FileDiff` per path,
    /// titled `PATH (attributes)`, for `--diff`.
    static func diffs(in output: ScriptOutput) -> [FileDiff] {
        var order: [String] = []
        var before: [String: String] = [:], after: [String: String] = [:]
        for v in output.all("attr") {
            let parts = v.split(separator: " ", maxSplits: 3).map(String.init)
            guard parts.count == 4 else { continue }
            let (what, old, new, path) = (parts[0], parts[1], parts[2], parts[3])
            if before[path] == nil { order.append(path) }
            let show: (String) -> String = { what == "mode" ? String(repeating: "0", count: max(0, 4 - $0.count)) + $0 : $0 }
            before[path, default: ""] += "\(what): \(show(old))\n"
            after[path, default: ""] += "\(what): \(show(new))\n"
        }
        return order.map { FileDiff(path: "\($0) (attributes)", before: before[$0] ?? "", after: after[$0] ?? "") }
    }

    /// Which attributes a script reported changing (`@@pv attr …`).
    static func changed(in output: ScriptOutput) -> [String] {
        var seen: [String] = []
        for v in output.all("attr") {
            let what = String(v.split(separator: " ").first ?? "")
            if !seen.contains(what) { seen.append(what) }
        }
        return seen
    }
}

import Foundation
