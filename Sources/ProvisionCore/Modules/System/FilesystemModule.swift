/// `filesystem` (community.general.filesystem): a filesystem on a block device or a regular
/// file, made with the host's `mkfs.*`, found with `blkid`, removed with `wipefs --all`.
///
/// As the collection's module: an existing filesystem of the same kind is left alone (or
/// grown with `resizefs`), one of another kind is only overwritten with `force`; the mkfs
/// command always carries the type's force flag (`-F` for ext, `-f` for xfs…) then `opts`.
/// Growing is implemented for ext2/3/4 (`resize2fs`, when `tune2fs` shows the filesystem
/// smaller than the device); other types with `resizefs` fail clearly. One remote script.
public struct FilesystemModule: Module {
    public static let name = "filesystem"
    public static let collection = "community.general"
    /// mkfs program and its always-passed force flags, per type.
    static let mkfs: [String: (String, [String])] = [
        "ext2": ("mkfs.ext2", ["-F"]), "ext3": ("mkfs.ext3", ["-F"]), "ext4": ("mkfs.ext4", ["-F"]),
        "ext4dev": ("mkfs.ext4", ["-F"]), "xfs": ("mkfs.xfs", ["-f"]), "btrfs": ("mkfs.btrfs", ["-f"]),
        "reiserfs": ("mkfs.reiserfs", ["-q"]), "ocfs2": ("mkfs.ocfs2", ["-Fx"]), "f2fs": ("mkfs.f2fs", ["-f"]),
        "vfat": ("mkfs.vfat", []), "swap": ("mkswap", ["-f"]), "lvm": ("pvcreate", ["-f"]), "ufs": ("newfs", []),
    ]
    public static let argumentSpec = ArgumentSpec([
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("fstype", choices: mkfs.keys.sorted(), aliases: ["type"]),
        .init("dev", required: true, aliases: ["device"]),
        .init("opts"),
        .init("force", .bool, default: false),
        .init("resizefs", .bool, default: false),
    ])

    public var dev: String
    public var present: Bool
    public var fstype: String?
    public var opts: [String]
    public var force: Bool
    public var resize: Bool

    public init(arguments args: ModuleArguments) throws {
        dev = try args.requiredString("dev")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        fstype = try args.choice("fstype", Self.mkfs.keys.sorted())
        opts = (try args.string("opts") ?? "").split(whereSeparator: { $0.isWhitespace }).map(String.init)
        force = try args.bool("force") ?? false
        resize = try args.bool("resizefs") ?? false
        if present && fstype == nil { throw ModuleError("state is present but all of the following are missing: fstype") }
    }

    /// blkid's name for a type (`lvm` is `LVM2_member`), and the kind two names share.
    static func kind(_ t: String) -> String {
        switch t {
        case "ext4dev": return "ext4"
        case "LVM2_member", "lvm": return "lvm"
        default: return t
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("dev", dev)
        s.set("present", present)
        let type = fstype ?? ""
        let (prog, flags) = Self.mkfs[type] ?? ("", [])
        s.set("kind", Self.kind(type))
        s.set("fstype", type)
        s.set("mkfs", prog)
        s.set("mkfs_args", Shell.join(flags + opts))
        s.set("force", force)
        s.set("resize", resize)
        s.set("ext", type.hasPrefix("ext"))
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        return ModuleResult(changed: out.has("changed"), message: out.first("msg"))
    }

    static let body = #"""
    find_bin() { command -v "$1" 2>/dev/null || for _d in /sbin /usr/sbin /usr/local/sbin; do [ -x "$_d/$1" ] && { echo "$_d/$1"; return 0; }; done; }
    need() { _b=$(find_bin "$1"); [ -n "$_b" ] || die "Failed to find required executable \"$1\" in paths: $PATH:/sbin:/usr/sbin:/usr/local/sbin"; printf '%s' "$_b"; }
    if [ ! -e "$dev" ]; then
      [ "$present" = 1 ] && die "Device $dev not found."
      pv msg "Device $dev not found."; exit 0
    fi
    blkid=$(need blkid) || exit 1
    fs=$("$blkid" -c /dev/null -o value -s TYPE "$dev" 2>/dev/null | tr -d ' \n')
    cur_kind=$fs
    case $fs in ext4dev) cur_kind=ext4 ;; LVM2_member) cur_kind=lvm ;; esac
    if [ "$present" != 1 ]; then
      [ -n "$fs" ] || exit 0
      pv changed
      [ "$check" = 1 ] && exit 0
      w=$(need wipefs) || exit 1
      _o=$("$w" --all "$dev" 2>&1) || die "$_o"
      exit 0
    fi
    if [ -n "$fs" ] && [ "$cur_kind" = "$kind" ]; then
      if [ "$resize" = 1 ]; then
        [ "$ext" = 1 ] || die "module does not support resizing $fstype filesystem yet (here: ext2/3/4 only)"
        t=$(need tune2fs) || exit 1
        info=$(LC_ALL=C "$t" -l "$dev" 2>&1) || die "$info"
        fssize=$(printf '%s\n' "$info" | awk -F: '/^Block count:/ { c = $2 } /^Block size:/ { s = $2 } END { if (c != "" && s != "") printf "%.0f", c * s }')
        [ -n "$fssize" ] || die "unable to process tune2fs output for $dev"
        if [ -b "$dev" ]; then devsize=$(blockdev --getsize64 "$dev") || die "cannot read the size of $dev"
        else devsize=$(stat -L -c %s "$dev"); fi
        name=$(printf '%s' "$fstype" | sed 's/^e/E/')
        [ "$fssize" -lt "$devsize" ] || { pv msg "$name filesystem is using the whole device $dev"; exit 0; }
        pv changed
        [ "$check" = 1 ] && { pv msg "resizing filesystem $name on device $dev"; exit 0; }
        r=$(need resize2fs) || exit 1
        _o=$("$r" "$dev" 2>/dev/null) || die "resize2fs failed on $dev"
        pv msg "$(printf '%s' "$_o" | tr '\n' ' ')"
        exit 0
      fi
      [ "$force" = 1 ] || exit 0
    elif [ -n "$fs" ] && [ "$force" != 1 ]; then
      die "'$dev' is already used as $fs, use force=true to overwrite"
    fi
    pv changed
    [ "$check" = 1 ] && exit 0
    m=$(need "$mkfs") || exit 1
    _o=$(eval "\"\$m\" $mkfs_args \"\$dev\"" 2>&1) || die "$_o"
    exit 0
    """#
}
