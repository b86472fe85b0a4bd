/// `sudoers` (community.general.sudoers): one rule in its own file under `sudoers_path`.
///
/// As the collection's module: the file holds exactly one line,
/// `OWNER HOST=(RUNAS)NOPASSWD:SETENV: CMD, CMD`, with mode 0440; it is checked with
/// `visudo -c -f -` first (`validation: detect` when visudo is there, `required` fails
/// without it, `absent` skips); the task changes when the content or the mode differ;
/// `state: absent` removes the file. One remote script.
public struct SudoersModule: Module {
    public static let name = "sudoers"
    public static let collection = "community.general"
    public static let argumentSpec = ArgumentSpec([
        .init("commands", .list), .init("group"), .init("name", required: true),
        .init("nopassword", .bool, default: true), .init("setenv", .bool, default: false),
        .init("host", default: "ALL"), .init("runas"), .init("sudoers_path", default: "/etc/sudoers.d"),
        .init("state", choices: ["present", "absent"], default: "present"), .init("user"),
        .init("validation", choices: ["absent", "detect", "required"], default: "detect"),
    ], mutuallyExclusive: [["user", "group"]])

    public var file: String
    public var present: Bool
    public var validation: String
    /// The file's one line (empty for `state: absent`).
    public var content: String

    public init(arguments args: ModuleArguments) throws {
        let name = try args.requiredString("name")
        let dir = try args.string("sudoers_path") ?? "/etc/sudoers.d"
        // os.path.join: an absolute name stands alone.
        file = name.hasPrefix("/") ? name : (dir.hasSuffix("/") || dir.isEmpty ? dir + name : dir + "/" + name)
        present = try args.choice("state", ["present", "absent"]) != "absent"
        validation = try args.choice("validation", ["absent", "detect", "required"]) ?? "detect"
        let user = try args.string("user"), group = try args.string("group")
        if user != nil && group != nil { throw ModuleError("parameters are mutually exclusive: user|group") }
        content = ""
        guard present else { return }
        guard let commands = try args.stringList("commands") else {
            throw ModuleError("state is present but all of the following are missing: commands")
        }
        guard let owner = user ?? group.map({ "%" + $0 }) else {
            throw ModuleError("one of user or group is required when state is present")
        }
        let host = try args.string("host") ?? "ALL"
        let runas = try args.string("runas").map { "(\($0))" } ?? ""
        let nopasswd = try args.bool("nopassword") ?? true ? "NOPASSWD:" : ""
        let setenv = try args.bool("setenv") ?? false ? "SETENV:" : ""
        content = "\(owner) \(host)=\(runas)\(nopasswd)\(setenv) \(commands.joined(separator: ", "))\n"
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("file", file)
        s.set("present", present)
        s.set("validation", validation)
        s.set("content", content)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        var result = ModuleResult(changed: out.has("changed"))
        if context.diffMode, out.has("changed") {
            result.diffs = [FileDiff(path: file, before: Base64Text.decode(out.first("before64") ?? ""), after: content)]
        }
        return result
    }

    static let body = #"""
    if [ "$present" != 1 ]; then
      [ -e "$file" ] || exit 0
      pv changed
      [ "$check" = 1 ] || rm -f -- "$file" || die "cannot remove $file"
      exit 0
    fi
    if [ "$validation" != absent ]; then
      v=$(command -v visudo 2>/dev/null)
      [ -z "$v" ] && for _d in /sbin /usr/sbin /usr/local/sbin; do [ -x "$_d/visudo" ] && { v=$_d/visudo; break; }; done
      if [ -n "$v" ]; then
        _o=$(printf '%s' "$content" | "$v" -c -f - 2>/dev/null) || die "Failed to validate sudoers rule: $_o"
      elif [ "$validation" = required ]; then
        die "Failed to find required executable \"visudo\" in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"
      fi
    fi
    if [ -f "$file" ] && [ "$(stat -c %a "$file")" = 440 ] && [ "$(cat "$file"; printf x)" = "${content}x" ]; then exit 0; fi
    pv changed
    [ -f "$file" ] && pv before64 "$(base64 < "$file" | tr -d '\n')"
    [ "$check" = 1 ] && exit 0
    tmp="$file.pv$$"
    trap 'rm -f "$tmp"' EXIT
    printf '%s' "$content" > "$tmp" && chmod 440 "$tmp" && mv -f -- "$tmp" "$file" || die "cannot write $file"
    """#
}
