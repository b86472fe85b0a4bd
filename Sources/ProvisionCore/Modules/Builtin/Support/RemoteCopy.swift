/// `copy` with `remote_src: true`: a file already on the host copied to `dest` there, in one
/// script that compares both SHA-256s first and copies only when they differ (atomically:
/// a temporary file beside `dest`, then rename).
struct RemoteCopy {
    var src: String
    var dest: String
    var attributes: FileAttributes
    var backup = false
    var force = true

    func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("src", src)
        s.set("dest", dest)
        s.set("backup", backup)
        s.set("force", force)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let out = try s.run(in: context)
        var data: [String: Value] = ["src": .string(src), "dest": .string(out.first("dest") ?? dest), "state": "file"]
        if let b = out.first("backup") { data["backup_file"] = .string(b) }
        if let sum = out.first("sum") { data["checksum"] = .string(sum) }
        if let f = out.failure { return .failed(f, data: data) }
        let attrs = FileAttributes.changed(in: out)
        let copied = out.has("copied")
        var messages: [String] = []
        if copied { messages.append("copied") }
        if !attrs.isEmpty { messages.append(ContentDeployment.attrMessage(attrs)) }
        return ModuleResult(changed: copied || !attrs.isEmpty,
                            message: messages.isEmpty ? nil : messages.joined(separator: "; "), data: data)
    }

    static let body = #"""
    [ -f "$src" ] || die "source $src not found on the host (remote_src)"
    case $dest in
      */) dest="$dest$(basename -- "$src")" ;;
      *) [ -d "$dest" ] && dest="${dest%/}/$(basename -- "$src")" ;;
    esac
    pv dest "$dest"
    want=$(sha256sum < "$src" | cut -d ' ' -f 1)
    pv sum "$(sha1sum < "$src" | cut -d ' ' -f 1)"
    if [ -f "$dest" ]; then
      if [ "$(sha256sum < "$dest" | cut -d ' ' -f 1)" = "$want" ] || [ "$force" != 1 ]; then pv_attrs "$dest"; exit 0; fi
    elif [ -e "$dest" ]; then
      die "destination $dest exists and is not a regular file"
    fi
    pv copied
    [ "$check" = 1 ] && exit 0
    dir=$(dirname -- "$dest")
    [ -d "$dir" ] || die "destination directory $dir does not exist"
    tmp=$(mktemp "$dir/.provision-copy.XXXXXX") || die "cannot create a temporary file in $dir"
    trap 'rm -f -- "$tmp"' EXIT
    cp -- "$src" "$tmp" || die "cannot copy $src"
    if [ -f "$dest" ]; then
      chmod "$(stat -c %a -- "$dest")" "$tmp"
      chown "$(stat -c %u:%g -- "$dest")" "$tmp" 2>/dev/null || true
      if [ "$backup" = 1 ]; then
        _b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$dest" "$_b" && pv backup "$_b"
      fi
    else
      # A new file gets the umask's mode, not the source's (Ansible's atomic_move does so).
      chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp"
    fi
    mv -f -- "$tmp" "$dest" || die "cannot move the copy to $dest"
    trap - EXIT
    pv_attrs "$dest"
    exit 0
    """#
}
