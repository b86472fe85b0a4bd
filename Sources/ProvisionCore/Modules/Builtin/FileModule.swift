/// `file`: a path's kind (`directory`, `file`, `link`, `hard`, `touch`, `absent`) and its
/// owner, group and mode, in one script.
///
/// Without `state`, an existing path keeps its kind and a missing one is an error, as in
/// Ansible. `modification_time`/`access_time` default to `now` for `touch` (a change every
/// run, as in Ansible) and to `preserve` otherwise; a fixed time changes the file only when
/// its time differs, so a re-run reports no change.
public struct FileModule: Module {
    public static let name = "file"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("path", required: true, aliases: ["dest", "name"]),
            .init("state", choices: ["absent", "directory", "file", "hard", "link", "touch"]),
            .init("src"), .init("recurse", .bool, default: false), .init("force", .bool, default: false),
            .init("follow", .bool, default: true),
            .init("modification_time"), .init("access_time"),
            .init("modification_time_format", default: "%Y%m%d%H%M.%S"),
            .init("access_time_format", default: "%Y%m%d%H%M.%S"),
        ] + FileAttributes.fields
    )

    public var path: String
    public var state: String?
    public var src: String?
    public var recurse: Bool
    public var force: Bool
    public var follow: Bool
    var attributes: FileAttributes
    var modificationTime: FileTimestamp
    var accessTime: FileTimestamp

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        state = try args.choice("state", ["absent", "directory", "file", "hard", "link", "touch"])
        src = try args.string("src")
        recurse = try args.bool("recurse") ?? false
        force = try args.bool("force") ?? false
        follow = try args.bool("follow") ?? true
        attributes = try FileAttributes(args)
        let timeDefault: FileTimestamp = state == "touch" ? .now : .preserve
        modificationTime = try FileTimestamp.parse(args.string("modification_time"),
                                                   format: args.string("modification_time_format") ?? "%Y%m%d%H%M.%S",
                                                   name: "modification_time", stateDefault: timeDefault)
        accessTime = try FileTimestamp.parse(args.string("access_time"),
                                             format: args.string("access_time_format") ?? "%Y%m%d%H%M.%S",
                                             name: "access_time", stateDefault: timeDefault)
        if (state == "link" || state == "hard"), src == nil {
            throw ModuleError("'src' is required with state=\(state ?? "")")
        }
        if recurse, state != "directory" {
            throw ModuleError("'recurse' needs state=directory")
        }
        if path.isEmpty { throw ModuleError("'path' must not be empty") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var script = ModuleScript(Self.body)
        script.set("p", path)
        script.set("state", state ?? "")
        script.set("src", src ?? "")
        script.set("force", force)
        script.set("follow", follow)
        script.set("recurse", recurse)
        script.set("mtime", state == "absent" ? "" : modificationTime.scriptValue)
        script.set("atime", state == "absent" ? "" : accessTime.scriptValue)
        script.set("check", context.checkMode)
        attributes.apply(to: &script)
        let out = try script.run(in: context)
        var data: [String: Value] = ["path": .string(path)]
        if let s = out.first("state") { data["state"] = .string(s) }
        if let f = out.failure { return .failed(f, data: data) }
        let actions = out.all("did")
        let attrs = FileAttributes.changed(in: out)
        let changed = !actions.isEmpty || !attrs.isEmpty
        let message = (actions + (attrs.isEmpty ? [] : [ContentDeployment.attrMessage(attrs)])).joined(separator: "; ")
        var diffs: [FileDiff] = []
        if context.diffMode, let before = out.first("before"), let after = out.first("after"), before != after {
            diffs.append(FileDiff(path: path, before: "state: \(before)\n", after: "state: \(after)\n"))
        }
        if context.diffMode { diffs += FileAttributes.diffs(in: out) }
        return ModuleResult(changed: changed, message: message.isEmpty ? nil : message, diffs: diffs, data: data)
    }

    /// `did WHAT` lines are the changes; `before`/`after` the path's kind for --diff.
    static let body = FileTimestamp.shellFunction + "\n" + #"""
    kind() {
      if [ -L "$1" ]; then echo link; elif [ -d "$1" ]; then echo directory; elif [ -f "$1" ]; then echo file
      elif [ -e "$1" ]; then echo other; else echo absent; fi
    }
    cur=$(kind "$p")
    pv before "$cur"
    act() { [ "$check" = 1 ] || "$@"; }
    if [ -z "$state" ]; then
      if [ "$cur" = absent ]; then die "file $p does not exist (use state: touch or state: directory to create it)"; fi
      state=$cur; [ "$state" = other ] && state=file
    fi
    case $state in
      absent)
        if [ "$cur" != absent ]; then pv did "removed $p"; act rm -rf -- "$p" || die "cannot remove $p"; fi
        pv after absent; pv state absent; exit 0 ;;
      directory)
        if [ "$cur" = link ] && [ "$follow" = 1 ] && [ -d "$p" ]; then cur=directory; fi
        case $cur in
          directory) ;;
          absent) pv did "created directory $p"; act mkdir -p -- "$p" || die "cannot create directory $p" ;;
          *) die "$p exists and is a $cur, not a directory" ;;
        esac ;;
      file)
        if [ "$cur" = link ] && [ "$follow" = 1 ] && [ -f "$p" ]; then cur=file; fi
        case $cur in
          file|other) ;;
          absent) die "file $p does not exist (use state: touch to create it)" ;;
          *) die "$p is a $cur, not a file" ;;
        esac ;;
      touch)
        if [ "$cur" = absent ]; then
          pv did "created $p"; act touch -- "$p" || die "cannot touch $p"
        fi ;;
      link)
        if [ "$cur" = link ] && [ "$(readlink -- "$p")" = "$src" ]; then :
        else
          case $cur in
            absent|link) ;;
            directory)
              if [ "$force" != 1 ] || [ -n "$(ls -A -- "$p")" ]; then die "refusing to replace directory $p by a link (it is not empty or force is off)"; fi ;;
            *) [ "$force" = 1 ] || die "refusing to convert $p from a $cur to a link (set force: true)" ;;
          esac
          pv did "linked $p -> $src"
          if [ "$check" != 1 ]; then
            if [ "$cur" = directory ]; then rmdir -- "$p" || die "cannot remove $p"; fi
            ln -sfn -- "$src" "$p" || die "cannot link $p to $src"
          fi
        fi ;;
      hard)
        [ -e "$src" ] || die "hard link source $src does not exist"
        if [ "$cur" != absent ] && [ "$p" -ef "$src" ]; then :
        else
          case $cur in
            absent) ;;
            directory) die "refusing to replace directory $p by a hard link" ;;
            *) [ "$force" = 1 ] || die "refusing to replace $p by a hard link (set force: true)" ;;
          esac
          pv did "hard linked $p to $src"
          act ln -f -- "$src" "$p" || die "cannot hard link $p to $src"
        fi ;;
    esac
    pv after "$state"; pv state "$state"
    if [ "$check" = 1 ] && [ ! -e "$p" ] && [ ! -L "$p" ]; then exit 0; fi
    pv_attrs "$p"
    pv_times "$p"
    """#
}
