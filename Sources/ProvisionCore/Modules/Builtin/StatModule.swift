/// `stat`: facts about one path on the host, in `data["stat"]` as Ansible shapes them
/// (`exists`, `isdir`, `isreg`, `islnk`, `mode`, `uid`, `gid`, `pw_name`, `gr_name`, `size`,
/// `mtime`, `lnk_source`, `checksum`), for `register` + `when`. Never changes anything.
public struct StatModule: Module {
    public static let name = "stat"
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true, aliases: ["dest", "name"]),
        .init("follow", .bool, default: false), .init("get_checksum", .bool, default: true),
        .init("checksum_algorithm", choices: ["sha1", "sha224", "sha256", "sha384", "sha512", "md5"],
              aliases: ["checksum", "checksum_algo"], default: "sha1"),
        .init("get_mime", .bool, default: false), .init("get_attributes", .bool, default: false),
    ])

    public var path: String
    public var follow: Bool
    public var getChecksum: Bool
    public var algorithm: String

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        follow = try args.bool("follow") ?? false
        getChecksum = try args.bool("get_checksum") ?? true
        algorithm = try args.choice("checksum_algorithm", ["sha1", "sha224", "sha256", "sha384", "sha512", "md5"]) ?? "sha1"
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("p", path)
        s.set("follow", follow)
        s.set("sum", getChecksum ? algorithm : "")
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        return .ok(["stat": .dict(Self.stat(from: out))])
    }

    /// The `stat` dict from the script's status lines. Pure.
    static func stat(from out: ScriptOutput) -> [String: Value] {
        guard out.first("exists") == "1" else { return ["exists": false] }
        var d: [String: Value] = ["exists": true, "path": .string(out.first("path") ?? "")]
        let kind = out.first("kind") ?? ""
        d["isdir"] = .bool(kind == "d")
        d["isreg"] = .bool(kind == "f")
        d["islnk"] = .bool(out.first("link") != nil)
        d["isfifo"] = .bool(kind == "p")
        d["issock"] = .bool(kind == "s")
        d["isblk"] = .bool(kind == "b")
        d["ischr"] = .bool(kind == "c")
        if let l = out.first("link") { d["lnk_source"] = .string(l); d["lnk_target"] = .string(l) }
        // `stat -c '%a %u %g %U %G %s %Y %h %i'`
        let f = (out.first("stat") ?? "").split(separator: " ").map(String.init)
        if f.count >= 9 {
            let mode = f[0]
            d["mode"] = .string(String(repeating: "0", count: max(0, 4 - mode.count)) + mode)
            d["uid"] = Int(f[1]).map(Value.int) ?? .null
            d["gid"] = Int(f[2]).map(Value.int) ?? .null
            d["pw_name"] = .string(f[3])
            d["gr_name"] = .string(f[4])
            d["size"] = Int(f[5]).map(Value.int) ?? .null
            d["mtime"] = Int(f[6]).map(Value.int) ?? .null
            // Python's os.stat times are floats (atime, mtime, ctime) and dev a number.
            let t = (out.first("times") ?? "").split(separator: " ").map(String.init)
            if t.count == 4 {
                d["atime"] = Double(t[0]).map(Value.double) ?? .null
                d["mtime"] = Double(t[1]).map(Value.double) ?? d["mtime"]
                d["ctime"] = Double(t[2]).map(Value.double) ?? .null
                d["dev"] = Int(t[3]).map(Value.int) ?? .null
            }
            d["nlink"] = Int(f[7]).map(Value.int) ?? .null
            d["inode"] = Int(f[8]).map(Value.int) ?? .null
            if let bits = Int(mode, radix: 8) {
                d["readable"] = .bool(out.has("readable"))
                d["writeable"] = .bool(out.has("writeable"))
                d["executable"] = .bool(out.has("executable"))
                d["xusr"] = .bool(bits & 0o100 != 0)
                d["wusr"] = .bool(bits & 0o200 != 0)
                d["rusr"] = .bool(bits & 0o400 != 0)
                d["isuid"] = .bool(bits & 0o4000 != 0)
                d["isgid"] = .bool(bits & 0o2000 != 0)
            }
        }
        if let c = out.first("checksum") { d["checksum"] = .string(c) }
        return d
    }

    static let body = #"""
    if [ ! -e "$p" ] && [ ! -L "$p" ]; then pv exists 0; exit 0; fi
    pv exists 1
    pv path "$p"
    if [ -L "$p" ] && [ "$follow" != 1 ]; then pv link "$(readlink -- "$p")"; fi
    t=$p
    if [ "$follow" = 1 ] && [ -L "$p" ]; then t=$(readlink -f -- "$p"); fi
    if [ -L "$t" ]; then k=l; elif [ -d "$t" ]; then k=d; elif [ -f "$t" ]; then k=f; elif [ -p "$t" ]; then k=p
    elif [ -S "$t" ]; then k=s; elif [ -b "$t" ]; then k=b; elif [ -c "$t" ]; then k=c; else k=o; fi
    pv kind "$k"
    if [ "$follow" = 1 ]; then pv stat "$(stat -L -c '%a %u %g %U %G %s %Y %h %i' -- "$p")"
    else pv stat "$(stat -c '%a %u %g %U %G %s %Y %h %i' -- "$p")"; fi
    if stat -c '%.9Y' / >/dev/null 2>&1; then tf='%.9X %.9Y %.9Z %d'; else tf='%X %Y %Z %d'; fi
    if [ "$follow" = 1 ]; then pv times "$(stat -L -c "$tf" -- "$p")"; else pv times "$(stat -c "$tf" -- "$p")"; fi
    [ -r "$t" ] && pv readable
    [ -w "$t" ] && pv writeable
    [ -x "$t" ] && pv executable
    if [ -n "$sum" ] && [ "$k" = f ] && [ -r "$t" ]; then pv checksum "$("${sum}sum" < "$t" | cut -d ' ' -f 1)"; fi
    exit 0
    """#
}
