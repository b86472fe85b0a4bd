import Foundation

/// `tempfile`: creates a temporary file or directory on the host with `mktemp` (in `path`,
/// else `$TMPDIR` or /tmp) named `PREFIX` + random + `SUFFIX`, and returns its `path`.
/// Always reports a change; skipped in check mode, as Ansible's (which lacks check mode).
public struct TempfileModule: Module {
    public static let name = "tempfile"
    public static let argumentSpec = ArgumentSpec([
        .init("state", choices: ["file", "directory"], default: "file"), .init("path"),
        .init("prefix", default: "ansible."), .init("suffix", default: ""),
    ])
    public static let supportsCheckMode = false

    public var directory: Bool
    public var path: String?
    public var prefix: String
    public var suffix: String

    public init(arguments args: ModuleArguments) throws {
        directory = try args.choice("state", ["file", "directory"]) == "directory"
        path = try args.string("path")
        prefix = try args.string("prefix") ?? "ansible."
        suffix = try args.string("suffix") ?? ""
        if prefix.contains("/") || suffix.contains("/") { throw ModuleError("'prefix' and 'suffix' must not contain '/'") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if context.checkMode { return ModuleResult(skipped: true, message: "remote module (tempfile) does not support check mode") }
        var s = ModuleScript(#"""
        d=${dir:-${TMPDIR:-/tmp}}
        [ -d "$d" ] || die "[Errno 2] No such file or directory: '$d'"
        # mktemp's template needs its X's last: make the name, then add the suffix atomically.
        i=0
        while :; do
          n=$(mktemp -u -- "$d/${prefix}XXXXXXXX") || die "mktemp failed"
          t=$n$suffix
          if [ "$dirmode" = 1 ]; then mkdir -m 700 -- "$t" 2>/dev/null && break
          else (set -C; umask 077; : > "$t") 2>/dev/null && break; fi
          i=$((i + 1)); [ $i -lt 100 ] || die "cannot create a temporary name in $d"
        done
        pv path "$t"
        """#)
        s.set("dir", path ?? "")
        s.set("prefix", prefix)
        s.set("suffix", suffix)
        s.set("dirmode", directory)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        return .changed(["path": .string(out.first("path") ?? "")])
    }
}
