import Foundation

/// One round trip that learns what a file-writing module needs about its destination: what is
/// there, its mode and owner, its SHA-256, optionally its content; and that already brings the
/// owner/group/mode of an existing file to what the task asks (reported, or only reported in
/// check mode), since those are applied whether or not the content changes.
struct RemoteFileProbe {
    enum Kind: String { case file, directory, missing, other }

    struct State {
        var path: String
        var kind: Kind
        /// Octal permission bits as `stat -c %a` prints them.
        var mode: String?
        var uid: String?
        var gid: String?
        var sha256: String?
        /// The connecting (or become) user's `uid:gid`.
        var me: String?
        var content: Data?
        var attributeChanges: [String]
        /// Before/after of those changes, for `--diff`.
        var attributeDiffs: [FileDiff] = []
        /// The directory that would hold a missing file does not exist either.
        var parentMissing: Bool
        var modeValue: Int? { mode.flatMap { Int($0, radix: 8) } }
        var exists: Bool { kind != .missing }
    }

    var path: String
    var attributes: FileAttributes
    /// When `path` is a directory, probe `path/appendName` instead (copy's dir dest).
    var appendName: String?
    var readContent: Bool
    /// Follow a symlink at `path` to the file it names (edit the target, as Ansible does).
    var followLinks = true

    func run(in context: HostContext) throws -> State {
        var script = ModuleScript(Self.body)
        script.set("dest", path)
        script.set("base", appendName ?? "")
        script.set("read", readContent)
        script.set("follow", followLinks)
        script.set("check", context.checkMode)
        attributes.apply(to: &script)
        let out = try script.run(in: context)
        try out.check("cannot inspect \(path)")
        let stat = (out.first("stat") ?? "").split(separator: " ").map(String.init)
        var content: Data?
        if readContent, let range = out.result.stdout.range(of: Data("@@pv content\n".utf8)) {
            content = out.result.stdout.subdata(in: range.upperBound..<out.result.stdout.endIndex)
        }
        return State(path: out.first("dest") ?? path,
                     kind: Kind(rawValue: out.first("kind") ?? "") ?? .other,
                     mode: stat.count > 0 ? stat[0] : nil, uid: stat.count > 1 ? stat[1] : nil,
                     gid: stat.count > 2 ? stat[2] : nil, sha256: out.first("sha"), me: out.first("me"),
                     content: content, attributeChanges: FileAttributes.changed(in: out),
                     attributeDiffs: FileAttributes.diffs(in: out), parentMissing: out.first("parent") == "missing")
    }

    static let body = #"""
    case $dest in
      */) if [ -n "$base" ]; then dest="$dest$base"; fi ;;
      *) if [ -n "$base" ] && [ -d "$dest" ]; then dest="${dest%/}/$base"; fi ;;
    esac
    if [ "$follow" = 1 ] && [ -L "$dest" ]; then
      _t=$(readlink -f -- "$dest") && [ -n "$_t" ] && dest=$_t
    fi
    pv dest "$dest"
    pv me "$(id -u):$(id -g)"
    if [ -d "$dest" ]; then pv kind directory; exit 0; fi
    if [ ! -e "$dest" ] && [ ! -L "$dest" ]; then
      pv kind missing
      [ -d "$(dirname -- "$dest")" ] || pv parent missing
      exit 0
    fi
    if [ ! -f "$dest" ]; then pv kind other; exit 0; fi
    pv kind file
    pv stat "$(stat -c '%a %u %g %s' -- "$dest")"
    [ -r "$dest" ] || die "$dest is not readable"
    pv sha "$(sha256sum < "$dest" | cut -d ' ' -f 1)"
    pv_attrs "$dest"
    if [ "$read" = 1 ]; then printf '@@pv content\n'; cat -- "$dest"; fi
    exit 0
    """#
}
