import Foundation

/// `git`: clones a repository onto the host and keeps it at `version` (branch, tag, commit or
/// HEAD) with the host's own `git`, as Ansible's does: `before`/`after` are the commits, a
/// working tree with local modifications is refused unless `force`, `update: false` leaves an
/// existing clone alone, `clone: false` never creates one (it reports the remote's commit, as
/// Ansible does), and check mode asks the remote
/// (`git ls-remote`) without changing anything.
public struct GitModule: Module {
    public static let name = "git"
    public static let argumentSpec = ArgumentSpec([
        .init("repo", required: true, aliases: ["name"]), .init("dest"), .init("version", default: "HEAD"),
        .init("remote", default: "origin"), .init("force", .bool, default: false), .init("depth", .int),
        .init("clone", .bool, default: true), .init("update", .bool, default: true),
        .init("accept_hostkey", .bool, default: false), .init("accept_newhostkey", .bool, default: false),
        .init("key_file"), .init("ssh_opts"), .init("executable"), .init("bare", .bool, default: false),
        .init("recursive", .bool, default: true), .init("single_branch", .bool, default: false),
        .init("umask", .mode),
    ])

    public var repo: String
    public var dest: String
    public var version: String
    public var remote: String
    public var force: Bool
    public var depth: Int?
    public var clone: Bool
    public var update: Bool
    public var bare: Bool
    public var recursive: Bool
    public var singleBranch: Bool
    public var executable: String
    /// GIT_SSH_COMMAND for ssh remotes (key_file, ssh_opts, accept_hostkey).
    var sshCommand: String?
    var umask: String?

    public init(arguments args: ModuleArguments) throws {
        repo = try args.requiredString("repo")
        guard let d = try args.string("dest") else { throw ModuleError("the following is missing: dest") }
        dest = d
        version = try args.string("version") ?? "HEAD"
        remote = try args.string("remote") ?? "origin"
        force = try args.bool("force") ?? false
        depth = try args.int("depth")
        clone = try args.bool("clone") ?? true
        update = try args.bool("update") ?? true
        bare = try args.bool("bare") ?? false
        recursive = try args.bool("recursive") ?? true
        singleBranch = try args.bool("single_branch") ?? false
        executable = try args.string("executable") ?? "git"
        umask = try FileAttributes.mode(args.values["umask"])
        var ssh: [String] = []
        if let k = try args.string("key_file") { ssh += ["-i", Shell.quote(k), "-o", "IdentitiesOnly=yes"] }
        if try args.bool("accept_hostkey") == true { ssh += ["-o", "StrictHostKeyChecking=no"] }
        else if try args.bool("accept_newhostkey") == true { ssh += ["-o", "StrictHostKeyChecking=accept-new"] }
        if let o = try args.string("ssh_opts") { ssh.append(o) }
        sshCommand = ssh.isEmpty ? nil : "ssh " + ssh.joined(separator: " ")
        if bare { throw ModuleError("'bare: true' is not supported yet") }
        if let depth, depth < 1 { throw ModuleError("'depth' must be a positive integer (got \(depth))") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("repo", repo)
        s.set("dest", dest)
        s.set("version", version)
        s.set("remote", remote)
        s.set("force", force)
        s.set("depth", depth.map(String.init) ?? "")
        s.set("clone", clone)
        s.set("update", update)
        s.set("recursive", recursive)
        s.set("single", singleBranch)
        s.set("git", executable)
        s.set("sshcmd", sshCommand ?? "")
        s.set("um", umask ?? "")
        s.set("check", context.checkMode)
        let out = try s.run(in: context, timeout: 1800)
        var data: [String: Value] = [:]
        data["before"] = out.first("before").map { $0.isEmpty ? Value.null : .string($0) } ?? .null
        data["after"] = out.first("after").map { $0.isEmpty ? Value.null : .string($0) } ?? .null
        data["remote_url_changed"] = .bool(out.has("urlchanged"))
        if let f = out.failure { return .failed(f, data: data) }
        let changed = out.has("changed")
        var r = ModuleResult(changed: changed, data: data)
        if context.diffMode, changed, case .string(let a)? = data["after"] {
            let b = data["before"]?.stringValue ?? ""
            r.diffs = [FileDiff(path: dest, before: b.isEmpty ? "" : b + "\n", after: a + "\n")]
        }
        return r
    }

    static let body = #"""
    command -v "$git" >/dev/null 2>&1 || die "git is not installed on the host (or executable is wrong)"
    [ -n "$sshcmd" ] && { GIT_SSH_COMMAND=$sshcmd; export GIT_SSH_COMMAND; }
    [ -n "$um" ] && umask "$um"
    g() { "$git" "$@"; }
    isbranch() { g ls-remote --exit-code --heads "$repo" "$version" >/dev/null 2>&1; }
    remote_sha() {
      if [ "$version" = HEAD ]; then g ls-remote "$repo" HEAD | cut -f1 | head -n 1; return; fi
      r=$(g ls-remote "$repo" "refs/heads/$version" "refs/tags/$version^{}" "refs/tags/$version" | cut -f1 | head -n 1)
      if [ -n "$r" ]; then printf '%s\n' "$r"; else printf '%s\n' "$version"; fi
    }
    if [ ! -e "$dest/.git" ]; then
      pv before ""
      # As Ansible: without clone, report what the remote's version is (and call it a change).
      if [ "$clone" != 1 ]; then pv after "$(remote_sha)"; pv changed; exit 0; fi
      if [ "$check" = 1 ]; then pv after "$(remote_sha)"; pv changed; exit 0; fi
      set -- clone --origin "$remote"
      [ -n "$depth" ] && set -- "$@" --depth "$depth"
      [ "$single" = 1 ] && set -- "$@" --single-branch
      [ "$recursive" = 1 ] && set -- "$@" --recursive
      if [ "$version" != HEAD ] && { isbranch || g ls-remote --exit-code --tags "$repo" "$version" >/dev/null 2>&1; }; then
        set -- "$@" --branch "$version"
      fi
      err=$(g "$@" -- "$repo" "$dest" 2>&1) || die "Failed to clone $repo: $err"
      if [ "$version" != HEAD ] && [ "$(g -C "$dest" rev-parse HEAD)" != "$(g -C "$dest" rev-parse --verify -q "$version^{commit}" 2>/dev/null)" ]; then
        err=$(g -C "$dest" checkout --force "$version" 2>&1) || die "Failed to checkout $version: $err"
      fi
      pv after "$(g -C "$dest" rev-parse HEAD)"; pv changed; exit 0
    fi
    before=$(g -C "$dest" rev-parse HEAD 2>/dev/null) || die "$dest is not a usable git repository"
    pv before "$before"
    url=$(g -C "$dest" remote get-url "$remote" 2>/dev/null)
    if [ "$url" != "$repo" ]; then
      pv urlchanged
      [ "$check" = 1 ] || g -C "$dest" remote set-url "$remote" "$repo" 2>/dev/null || g -C "$dest" remote add "$remote" "$repo"
    fi
    if [ -n "$(g -C "$dest" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
      [ "$force" = 1 ] || die "Local modifications exist in the destination: $dest (force=no)."
      pv changed
      [ "$check" = 1 ] || g -C "$dest" reset --hard -q || die "git reset failed in $dest"
    fi
    if [ "$update" != 1 ]; then pv after "$before"; exit 0; fi
    if [ "$check" = 1 ]; then
      want=$(remote_sha)
      pv after "$want"
      case $want in "$before"*) ;; *) pv changed ;; esac
      exit 0
    fi
    set -- fetch --tags --force "$remote"
    [ -n "$depth" ] && set -- "$@" --depth "$depth"
    err=$(g -C "$dest" "$@" '+refs/heads/*:refs/remotes/'"$remote"'/*' 2>&1) || die "Failed to download remote objects and refs: $err"
    if [ "$version" = HEAD ]; then
      head=$(g ls-remote --symref "$repo" HEAD 2>/dev/null | sed -n 's|^ref: refs/heads/\([^	]*\)	HEAD$|\1|p')
      if [ -n "$head" ]; then target="$remote/$head"; branch=$head; else target=FETCH_HEAD; branch=; fi
    elif g -C "$dest" rev-parse --verify -q "refs/remotes/$remote/$version" >/dev/null; then
      target="$remote/$version"; branch=$version
    else
      target=$version; branch=
    fi
    want=$(g -C "$dest" rev-parse --verify -q "$target^{commit}") || die "Failed to find version $version in $repo"
    if [ "$want" != "$before" ]; then
      if [ -n "$branch" ]; then
        err=$(g -C "$dest" checkout --force -B "$branch" "$want" 2>&1) || die "Failed to checkout $branch: $err"
        g -C "$dest" branch -q --set-upstream-to="$remote/$branch" "$branch" >/dev/null 2>&1
      else
        err=$(g -C "$dest" checkout --force "$want" 2>&1) || die "Failed to checkout $version: $err"
      fi
      [ "$recursive" = 1 ] && g -C "$dest" submodule update --init --recursive >/dev/null 2>&1
      pv changed
    fi
    pv after "$want"
    exit 0
    """#
}
