/// `modprobe` (community.general.modprobe): a kernel module loaded or unloaded, and with
/// `persistent` its `/etc/modules-load.d/NAME.conf` and `/etc/modprobe.d/NAME.conf` options.
///
/// Differs from Ansible's on purpose in two places where Ansible is wrong: check mode writes no
/// persistent file, and a line it comments out keeps the file's other lines as they were.
public struct ModprobeModule: Module {
    public static let name = "modprobe"
    public static let aliases = ["community.general.modprobe"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("params", default: ""),
        .init("persistent", choices: ["disabled", "present", "absent"], default: "disabled"),
    ])

    public var module: String
    public var present: Bool
    public var params: String
    public var persistent: String
    /// Where the persistent files go (tests point them elsewhere).
    var loadDirectory = "/etc/modules-load.d"
    var optionsDirectory = "/etc/modprobe.d"
    /// The kernel's list of loaded modules (a test points it at a file of its own).
    var procModules = "/proc/modules"
    /// The kernel's built-in modules; empty: `/lib/modules/$(uname -r)/modules.builtin`.
    var modulesBuiltin = ""

    public init(arguments args: ModuleArguments) throws {
        module = try args.requiredString("name")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        params = try args.string("params") ?? ""
        persistent = try args.choice("persistent", ["disabled", "present", "absent"]) ?? "disabled"
        guard module.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw ModuleError("'\(module)' is not a kernel module name (letters, digits, '_' and '-')")
        }
        if params.contains("\n") { throw ModuleError("params must be on one line") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("name", module)
        s.set("present", present)
        s.set("params", params)
        s.set("persistent", persistent)
        s.set("load_dir", loadDirectory)
        s.set("opt_dir", optionsDirectory)
        s.set("proc_modules", procModules)
        s.set("builtin", modulesBuiltin)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        let data: [String: Value] = ["name": .string(module), "params": .string(params),
                                     "state": .string(present ? "present" : "absent")]
        if let f = out.failure { return .failed(f, data: data) }
        var result = ModuleResult(changed: out.has("changed"), data: data)
        result.warnings = out.all("warn")
        return result
    }

    static let body = #"""
    command -v modprobe >/dev/null 2>&1 || die "modprobe is not on this host (package kmod)"
    [ -n "$builtin" ] || builtin="/lib/modules/$(uname -r)/modules.builtin"
    us=$(printf '%s' "$name" | tr - _)
    # As Ansible's: a kernel without /proc/modules (no module support) is an error.
    [ -r "$proc_modules" ] || die "[Errno 2] No such file or directory: '$proc_modules'"
    loaded() {
      grep -q "^$us " "$proc_modules" && return 0
      [ -r "$builtin" ] || die "[Errno 2] No such file or directory: '$builtin'"
      grep -q "/$name\.ko\$" "$builtin"
    }
    set -f
    if [ "$present" = 1 ] && ! loaded; then
      if [ "$check" = 1 ]; then
        _o=$(modprobe -n "$name" $params 2>&1) || die "$_o"
      else
        _o=$(modprobe "$name" $params 2>&1) || die "$_o"
      fi
      pv changed
    elif [ "$present" != 1 ] && loaded; then
      if [ "$check" = 1 ]; then _o=$(modprobe -r -n "$name" 2>&1); else _o=$(modprobe -r "$name" 2>&1); fi || die "$_o"
      pv changed
    fi
    set +f
    mod_re="^ *$name *([#;].*)?\$"
    opt_re="^options $name [A-Za-z0-9_]+=[^ ]+ *([#;].*)?\$"
    files_in() { for _f in "$1"/*; do [ -f "$_f" ] && printf '%s\n' "$_f"; done; }
    persisted() { for _f in $(files_in "$load_dir"); do grep -Eq "$mod_re" "$_f" && return 0; done; return 1; }
    perm_params() { for _f in $(files_in "$opt_dir"); do grep -E "$opt_re" "$_f" | awk '{print $3}'; done | sort -u; }
    want_params=$(for p in $params; do printf '%s\n' "$p"; done | sort -u)
    # Comments out every line matching $1 in the files of directory $2.
    comment_out() {
      for _f in $(files_in "$2"); do
        grep -Eq "$1" "$_f" || continue
        _t=$(mktemp) && awk -v re="$1" '$0 ~ re { $0 = "#" $0 } { print }' "$_f" > "$_t" && cat "$_t" > "$_f" && rm -f "$_t" \
          || die "cannot edit $_f"
      done
    }
    case $persistent in
      present)
        if ! persisted; then
          pv changed
          [ "$check" = 1 ] || { mkdir -p "$load_dir" && printf '%s\n' "$name" > "$load_dir/$name.conf"; } || die "cannot write $load_dir/$name.conf"
        fi
        if [ "$(perm_params)" != "$want_params" ]; then
          pv changed
          if [ "$check" != 1 ]; then
            comment_out "$opt_re" "$opt_dir"
            mkdir -p "$opt_dir" && for p in $params; do printf 'options %s %s\n' "$name" "$p"; done > "$opt_dir/$name.conf" \
              || die "cannot write $opt_dir/$name.conf"
            [ -n "$params" ] || printf '\n' > "$opt_dir/$name.conf"
          fi
        fi ;;
      absent)
        if persisted; then pv changed; [ "$check" = 1 ] || comment_out "$mod_re" "$load_dir"; fi
        if [ -n "$(perm_params)" ]; then pv changed; [ "$check" = 1 ] || comment_out "$opt_re" "$opt_dir"; fi ;;
    esac
    exit 0
    """#
}
