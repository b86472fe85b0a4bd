/// `capabilities` (community.general.capabilities): one file capability, set or removed
/// with `getcap`/`setcap`.
///
/// As the collection's module: the capability is `NAME OP FLAGS` (`cap_net_raw+ep`,
/// lower-cased); it is present when `getcap -v` lists the same name, operator and flags
/// (a comma group is split); adding one replaces a same-named entry with other flags, and
/// the whole list is set again with `setcap`. One round trip to read, one to change.
public struct CapabilitiesModule: Module {
    public static let name = "capabilities"
    public static let collection = "community.general"
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true, aliases: ["key"]),
        .init("capability", required: true, aliases: ["cap"]),
        .init("state", choices: ["absent", "present"], default: "present"),
    ])

    typealias Cap = (name: String, op: String, flags: String)

    public var path: String
    public var present: Bool
    var cap: Cap

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path").trimmingCharacters(in: .whitespacesAndNewlines)
        present = try args.choice("state", ["absent", "present"]) != "absent"
        let c = try args.requiredString("capability").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let parsed = Self.parse(c) else {
            if present { throw ModuleError("Couldn't find operator (one of: ('=', '-', '+'))") }
            cap = (c, "", "")
            return
        }
        cap = parsed
    }

    /// `name OP flags`, the operator being the first of `=`, `-`, `+` found (in that order).
    static func parse(_ s: String) -> Cap? {
        for op in ["=", "-", "+"] {
            if let r = s.range(of: op) {
                return (String(s[..<r.lowerBound]), op, String(s[r.upperBound...]))
            }
        }
        return nil
    }

    /// The capabilities `getcap -v PATH` printed (old `PATH = caps` and new `PATH caps`).
    static func current(_ out: String, path: String) -> [Cap] {
        let text = out.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text != path else { return [] }
        let words: [Substring]
        if let r = text.range(of: " =") {
            words = text[r.upperBound...].split(whereSeparator: { $0.isWhitespace })
        } else {
            words = Array(text.split(whereSeparator: { $0.isWhitespace }).dropFirst())
        }
        var caps: [Cap] = []
        for w in words.map({ $0.lowercased() }) {
            let group = w.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let last = group.last, let p = parse(last) else { continue }
            for name in group.dropLast() { caps.append((name, p.op, p.flags)) }
            caps.append(p)
        }
        return caps
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.readBody)
        s.set("path", path)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let state: Value = .string(present ? "present" : "absent")
        var caps = Self.current(out.text, path: path)
        let has = caps.contains { $0 == cap }
        if present && !has {
            caps.removeAll { $0.name == cap.name }
            caps.append(cap)
        } else if !present && caps.contains(where: { $0.name == cap.name }) {
            caps.removeAll { $0.name == cap.name }
        } else {
            return ModuleResult(changed: false, data: ["state": state])
        }
        if context.checkMode { return ModuleResult(changed: true, message: "capabilities changed") }
        var w = ModuleScript(Self.setBody)
        w.set("path", path)
        w.set("caps", caps.map { $0.name + $0.op + $0.flags }.joined(separator: " "))
        let wo = try w.run(in: context)
        if let f = wo.failure { return .failed(f) }
        return ModuleResult(changed: true, message: "capabilities changed", data: ["state": state, "stdout": .string(wo.text)])
    }

    static let tools = #"""
    find_bin() { command -v "$1" 2>/dev/null || for _d in /sbin /usr/sbin /usr/local/sbin; do [ -x "$_d/$1" ] && { echo "$_d/$1"; return 0; }; done; }
    getcap=$(find_bin getcap); setcap=$(find_bin setcap)
    [ -n "$getcap" ] || die "Failed to find required executable \"getcap\" in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
    [ -n "$setcap" ] || die "Failed to find required executable \"setcap\" in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
    """#

    static let readBody = tools + "\n" + #"""
    _e=$(mktemp) || die "mktemp failed"
    _o=$("$getcap" -v "$path" 2>"$_e"); _rc=$?
    _err=$(cat "$_e"); rm -f "$_e"
    [ $_rc = 0 ] && [ -z "$_err" ] || die "Unable to get capabilities of $path"
    printf '%s\n' "$_o"
    """#

    static let setBody = tools + "\n" + #"""
    _o=$("$setcap" "$caps" "$path" 2>&1) || die "Unable to set capabilities of $path"
    printf '%s' "$_o"
    """#
}
