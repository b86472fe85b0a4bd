import Foundation

/// `mount` (ansible.posix.mount): an fstab entry and the mount state of a path, on Linux.
///
/// One script reads fstab and whether the path is a mount point (`/proc/self/mountinfo`, so
/// bind mounts count too); the fstab edit is computed here (`FstabEdit`, other lines and
/// comments kept); a second script writes fstab and (u|re)mounts only when something changes.
public struct MountModule: Module {
    public static let name = "mount"
    public static let collection = "ansible.posix"
    static let states = ["absent", "absent_from_fstab", "mounted", "present", "unmounted", "remounted", "ephemeral"]
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true, aliases: ["name"]),
        .init("src"), .init("fstype"), .init("opts"),
        .init("dump", default: "0"), .init("passno", default: "0"),
        .init("state", required: true, choices: states),
        .init("fstab"), .init("boot", .bool, default: true), .init("backup", .bool, default: false),
    ])

    public var path: String
    public var src: String?
    public var fstype: String?
    public var opts: String
    public var dump: String
    public var passno: String
    public var state: String
    public var fstab: String
    /// `fstab` was given (mount/remount then pass `-T FILE`).
    var fstabGiven: Bool
    public var boot: Bool
    public var backup: Bool
    public var warnings: [String] = []
    /// Ansible's returned `boot` ("no" once `boot: false` applied, even with `defaults`).
    var bootReturn = "yes"

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        state = try args.choice("state", Self.states) ?? "present"
        src = try args.string("src")
        fstype = try args.string("fstype")
        opts = try args.string("opts") ?? "defaults"
        dump = try args.string("dump") ?? "0"
        passno = try args.string("passno") ?? "0"
        let f = try args.string("fstab")
        fstabGiven = f != nil
        fstab = f ?? "/etc/fstab"
        boot = try args.bool("boot") ?? true
        backup = try args.bool("backup") ?? false
        if ["mounted", "present", "ephemeral"].contains(state) {
            let missing = ["src", "fstype"].filter { !args.has($0) }
            if !missing.isEmpty {
                throw ModuleError("state is \(state) but all of the following are missing: \(missing.joined(separator: ", "))")
            }
        }
        // Paths are expanded as Ansible's `type='path'` does (a leading ~ only).
        path = Self.expandTilde(path)
        src = src.map(Self.expandTilde)
        var list = opts.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if list.contains("noauto") {
            warnings.append("Ignore the 'boot' due to 'opts' contains 'noauto'.")
        } else if !boot {
            bootReturn = "no"
            if list.contains("defaults") {
                warnings.append("Ignore the 'boot' due to 'opts' contains 'defaults'.")
            } else {
                list.append("noauto")
                opts = list.joined(separator: ",")
            }
        }
        for v in [path, src ?? "", fstype ?? "", opts, dump, passno] where v.contains("\n") {
            throw ModuleError("mount fields cannot contain a line break: \(v.debugDescription)")
        }
    }

    static func expandTilde(_ p: String) -> String {
        p == "~" || p.hasPrefix("~/") ? "$HOME" + p.dropFirst() : p
    }

    var entry: FstabEdit.Entry {
        .init(src: src ?? "", name: path, fstype: fstype ?? "", opts: opts, dump: dump, passno: passno)
    }

    /// What Ansible returns besides `changed` (its `args` dict on Linux).
    func data(backupFile: String) -> [String: Value] {
        var d: [String: Value] = ["name": .string(path), "opts": .string(opts), "dump": .string(dump),
                                  "passno": .string(passno), "fstab": .string(fstab),
                                  "boot": .string(bootReturn),
                                  "backup_file": .string(backupFile)]
        if let src { d["src"] = .string(src) }
        if let fstype { d["fstype"] = .string(fstype) }
        return d
    }

    /// The fstab change for the state: the new text, or nil when fstab stays as it is.
    func fstabPlan(current: String) -> String? {
        switch state {
        case "present", "mounted":
            let r = FstabEdit.set(current, entry)
            return r.changed ? r.text : nil
        case "absent", "absent_from_fstab":
            let r = FstabEdit.unset(current, name: path, src: src)
            return r.changed ? r.text : nil
        default:
            return nil
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var read = ModuleScript(Self.readBody)
        read.set("path", path)
        read.set("fstab", fstab)
        read.set("need_fstab", state != "ephemeral")
        read.set("src", src ?? "")
        let out = try read.run(in: context)
        if let f = out.failure { return .failed(f) }
        let current = Base64Text.decode(out.first("fstab") ?? "")
        let mounted = out.has("mounted")
        let newFstab = fstabPlan(current: current)
        var changed = newFstab != nil
        // What the action script is to do.
        var action = ""
        switch state {
        case "absent": if changed && mounted { action = "umount" }
        case "unmounted": if mounted { action = "umount"; changed = true }
        case "mounted", "ephemeral":
            if !mounted {
                action = "mount"; changed = true
            } else if state == "ephemeral" {
                guard out.has("same_src") else {
                    return .failed("Ephemeral mount point is already mounted with a different source than the specified one. Failing in order to prevent an unwanted unmount or override operation. Try replacing this command with a \"state: unmounted\" followed by a \"state: ephemeral\", or use a different destination path.")
                }
                action = "remount"; changed = true
            } else if changed {
                action = "remount"
            }
        case "remounted": action = "remount"; changed = true
        default: break
        }
        var result = ModuleResult(changed: changed, data: data(backupFile: ""), warnings: warnings)
        if let newFstab, context.diffMode {
            result.diffs = [FileDiff(path: fstab, before: current, after: newFstab)]
        }
        guard changed, !context.checkMode else { return result }
        var write = ModuleScript(Self.actBody)
        write.set("path", path)
        write.set("fstab", fstab)
        write.set("fstab_arg", fstabGiven && fstab != "/etc/fstab" ? fstab : "")
        write.set("write", newFstab != nil)
        write.set("backup", backup)
        write.set("action", action)
        write.set("state", state)
        write.set("src", src ?? "")
        write.set("fstype", fstype ?? "")
        write.set("opts", opts)
        write.set("old64", Data(current.utf8).base64EncodedString())
        let w = try write.run(in: context, stdin: Data((newFstab ?? "").utf8))
        if let f = w.failure { return .failed(f, data: result.data) }
        result.data = data(backupFile: w.first("backup_file") ?? "")
        return result
    }

    /// Prints fstab as base64 (creating an empty one, and its directory, when missing, as
    /// Ansible does) and `@@pv mounted` when the path is a mount point.
    static let readBody = #"""
    if [ "$need_fstab" = 1 ] && [ ! -e "$fstab" ]; then
      mkdir -p -- "$(dirname -- "$fstab")" 2>/dev/null
      : >> "$fstab" || die "Failed to open $fstab due to permission issue"
    fi
    [ "$need_fstab" = 1 ] && { pv fstab "$(base64 < "$fstab" | tr -d '\n')" || die "cannot read $fstab"; }
    # mountinfo's fifth field is the mount point, the fourth the root within its source
    # (octal escapes decoded). The path counts as mounted when it is a mount point.
    p=$path
    if [ -d "$p" ] && command -v realpath >/dev/null 2>&1; then p=$(realpath -- "$p" 2>/dev/null || printf '%s' "$path"); fi
    if [ -r /proc/self/mountinfo ]; then
      m=$(P="$p" awk '
        function dec(s,   out, i, c) { out = ""
          for (i = 1; i <= length(s); i++) { c = substr(s, i, 1)
            if (c == "\\" && substr(s, i + 1, 3) ~ /^[0-7][0-7][0-7]$/) {
              out = out sprintf("%c", (substr(s, i + 1, 1) * 64) + (substr(s, i + 2, 1) * 8) + substr(s, i + 3, 1)); i += 3
            } else out = out c }
          return out }
        { for (i = 7; i <= NF && $i != "-"; i++) ; if (dec($5) == ENVIRON["P"]) { found = 1; src = dec($(i + 2)); root = dec($4) } }
        END { if (found) print src; if (found) print root }' /proc/self/mountinfo)
      if [ -n "$m" ]; then
        pv mounted
        msrc=$(printf '%s\n' "$m" | sed -n 1p); mroot=$(printf '%s\n' "$m" | sed -n 2p)
        if [ "$msrc" = "$src" ] || [ "$mroot" = "$src" ]; then pv same_src; fi
      fi
    elif mountpoint -q -- "$path" 2>/dev/null; then pv mounted
    fi
    exit 0
    """#

    /// Writes stdin to fstab (with a backup when asked), then mounts, unmounts or remounts.
    /// A failed mount puts the old fstab back, as Ansible does.
    static let actBody = #"""
    tmp=$(mktemp) || die "mktemp failed"
    trap 'rm -f "$tmp"' EXIT
    cat > "$tmp"
    restore() { [ "$write" = 1 ] && printf '%s' "$old64" | base64 -d > "$fstab"; }
    if [ "$write" = 1 ]; then
      if [ "$backup" = 1 ]; then
        _b="$fstab.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$fstab" "$_b" && pv backup_file "$_b"
      fi
      cat "$tmp" > "$fstab" || die "cannot write $fstab"
    fi
    T=""; [ -n "$fstab_arg" ] && T="-T"
    do_mount() {
      if [ "$state" = ephemeral ]; then
        if [ "$opts" != defaults ]; then mount -t "$fstype" -o "$opts" "$src" "$path" 2>&1; else mount -t "$fstype" "$src" "$path" 2>&1; fi
      else mount $T ${fstab_arg:+"$fstab_arg"} "$path" 2>&1; fi
    }
    do_remount() {
      if [ "$state" = remounted ] && [ "$opts" != defaults ]; then o="remount,$opts"; else o=remount; fi
      if [ "$state" = ephemeral ]; then
        _x=""; [ "$opts" != defaults ] && _x="-o $opts"
        _o=$(mount -o "$o" -t "$fstype" $_x "$src" "$path" 2>&1) && return 0
      else
        _o=$(mount -o "$o" $T ${fstab_arg:+"$fstab_arg"} "$path" 2>&1) && return 0
      fi
      if [ "$state" = remounted ] && [ "$opts" != defaults ]; then
        die "Options were specified with remounted, but the remount command failed. Failing in order to prevent an unexpected mount result. Try replacing this command with a \"state: unmounted\" followed by a \"state: mounted\" using the full desired mount options instead."
      fi
      _o=$(umount "$path" 2>&1) || return 1
      _o=$(do_mount) || return 1
    }
    case $action in
      umount)
        _o=$(umount "$path" 2>&1) || die "Error unmounting $path: $_o" ;;
      mount)
        created=""
        if [ ! -e "$path" ]; then
          d=$path; while [ ! -e "$d" ]; do created="$d
    $created"; d=$(dirname -- "$d"); done
          mkdir -p -- "$path" || die "Error making dir $path"
        fi
        if ! _o=$(do_mount); then
          restore
          # The directories made for it go again, deepest first.
          printf '%s\n' "$created" | sort -r | while IFS= read -r d; do [ -n "$d" ] && rmdir -- "$d" 2>/dev/null; done
          die "Error mounting $path: $_o"
        fi ;;
      remount)
        do_remount || { restore; [ "$state" = remounted ] && die "Error remounting $path: $_o"; die "Error mounting $path: $_o"; } ;;
    esac
    if [ "$state" = absent ] && [ -d "$path" ]; then
      rmdir -- "$path" 2>/dev/null || die "Error rmdir $path: directory not empty or busy"
    fi
    exit 0
    """#
}
