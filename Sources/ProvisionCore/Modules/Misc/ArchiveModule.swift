/// `archive` (community.general.archive): files and trees packed into a tar (plain, gz, bz2,
/// xz) or zip archive, or one file compressed, with the host's `tar`, `gzip`, `bzip2`, `xz`
/// and `zip` (a clear error names the one missing).
///
/// As the collection's module: globs in `path`/`exclude_path` are expanded on the host;
/// member names are relative to the sources' common parent (a directory's own entry is not
/// stored, its contents are); one existing file without `force_archive` is compressed alone
/// (to `PATH.FORMAT` without `dest`); the task changes when the archive's members (or the
/// compressed bytes) differ from the previous archive's; check mode reports a change for an
/// archive of several sources, and for a single file when `dest` is missing. One remote script.
public struct ArchiveModule: Module {
    public static let name = "archive"
    public static let collection = "community.general"
    static let formats = ["bz2", "gz", "tar", "xz", "zip"]
    public static let argumentSpec = ArgumentSpec([
        .init("path", .list, required: true),
        .init("format", choices: formats, default: "gz"),
        .init("dest"),
        .init("exclude_path", .list),
        .init("exclusion_patterns", .list),
        .init("force_archive", .bool, default: false),
        .init("remove", .bool, default: false),
    ] + FileAttributes.fields)

    public var paths: [String]
    public var format: String
    public var dest: String?
    public var excludePaths: [String]
    public var patterns: [String]
    public var force: Bool
    public var remove: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        paths = try args.stringList("path") ?? []
        format = try args.choice("format", Self.formats) ?? "gz"
        dest = try args.string("dest")
        excludePaths = try args.stringList("exclude_path") ?? []
        patterns = try args.stringList("exclusion_patterns") ?? []
        force = try args.bool("force_archive") ?? false
        remove = try args.bool("remove") ?? false
        attributes = try FileAttributes(args)
        if paths.isEmpty { throw ModuleError("missing required arguments: path") }
        for p in paths + excludePaths + [dest ?? ""] where p.contains("\n") { throw ModuleError("a path cannot hold a newline") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("paths", paths.joined(separator: "\n"))
        s.set("excludes", excludePaths.joined(separator: "\n"))
        s.set("patterns", patterns.joined(separator: "\n"))
        s.set("format", format)
        s.set("dest", dest ?? "")
        s.set("force", force)
        s.set("remove", remove)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let out = try s.run(in: context)
        let list: (String) -> Value = { key in .list(out.all(key).map(Value.string)) }
        var data: [String: Value] = [
            "expanded_paths": list("expanded"), "expanded_exclude_paths": list("expanded_exclude"),
        ]
        if let f = out.failure {
            data["path"] = .string(paths.joined(separator: ", "))
            return .failed(f, data: data)
        }
        data["archived"] = list("archived")
        data["missing"] = list("missing")
        data["dest"] = .string(out.first("dest") ?? "")
        data["dest_state"] = .string(out.first("dest_state") ?? "absent")
        data["arcroot"] = .string(out.first("arcroot") ?? "")
        return ModuleResult(changed: out.has("changed") || out.has("attr"), data: data)
    }

    static let body = #"""
    need() { command -v "$1" >/dev/null 2>&1 || die "format $format needs $1 on the host, which is not installed"; }
    # Expands a newline-separated list of paths; globs (with * or ?) through the shell.
    expand() {
      printf '%s\n' "$1" | while IFS= read -r _p; do
        [ -n "$_p" ] || continue
        case $_p in
          *'*'*|*'?'*) for _g in $_p; do [ -e "$_g" ] || [ -L "$_g" ] && printf '%s\n' "$_g"; done ;;
          *) printf '%s\n' "$_p" ;;
        esac
      done
    }
    globby=0
    case $paths in *'*'*|*'?'*) globby=1 ;; esac
    set -f; expanded=$(set +f; expand "$paths"); ex=$(set +f; expand "$excludes"); set +f
    printf '%s\n' "$expanded" | while IFS= read -r _p; do [ -n "$_p" ] && pv expanded "$_p"; done
    printf '%s\n' "$ex" | while IFS= read -r _p; do [ -n "$_p" ] && pv expanded_exclude "$_p"; done
    srcs=$(printf '%s\n' "$expanded" | grep -v '^$' | grep -vxF -e "$ex" -e '' | LC_ALL=C sort -u)
    [ -n "$ex" ] || srcs=$(printf '%s\n' "$expanded" | grep -v '^$' | LC_ALL=C sort -u)
    [ -n "$srcs" ] || die "Error, no source paths were found"
    first=$(printf '%s\n' "$srcs" | head -n 1)
    count=$(printf '%s\n' "$srcs" | wc -l)
    # The common parent: the character-wise common prefix of each source's directory plus
    # '/', cut back to a directory, ending with '/'.
    root=$(printf '%s\n' "$srcs" | awk '
      { d = $0; sub(/\/[^\/]*$/, "", d); if (d == $0) d = ""; d = d "/"
        if (NR == 1) p = d; else { n = 0; while (n < length(p) && n < length(d) && substr(p, n + 1, 1) == substr(d, n + 1, 1)) n++; p = substr(p, 1, n) } }
      END { sub(/[^\/]*$/, "", p); print p }')
    pv arcroot "$root"
    must=$force
    { [ $globby = 1 ] || [ -d "$first" ] || [ "$count" -gt 1 ]; } && must=1
    if [ -z "$dest" ]; then
      [ "$must" = 1 ] && die "Error, must specify \"dest\" when archiving multiple files or trees"
      dest="$first.$format"
    fi
    pv dest "$dest"
    if [ "$remove" = 1 ]; then
      printf '%s\n' "$srcs" | while IFS= read -r _p; do
        if [ -d "$_p" ]; then case $dest in "${_p%/}"/*) die "Error, created archive can not be contained in source paths when remove=true" ;; esac; fi
      done || exit 1
    fi
    targets=""; n_missing=0
    while IFS= read -r _p; do
      if [ -e "$_p" ] || [ -L "$_p" ]; then targets="$targets$_p
    "; else pv missing "$_p"; n_missing=1; fi
    done <<EOF
    $srcs
    EOF
    is_archive() { printf '%s\n' "${1##*/}" | grep -Eiq '\.(tar|tar\.(gz|bz2|xz)|tgz|tbz2|zip)$'; }
    if [ -z "$targets" ]; then
      if [ -e "$dest" ]; then if is_archive "$dest"; then pv dest_state archive; else pv dest_state compress; fi
      else pv dest_state absent; fi
      exit 0
    fi
    # fnmatch as Python's: `*` matches '/' too, as a case pattern does.
    excluded() {
      _ifs=$IFS; IFS='
    '; set -f
      for _pat in $patterns; do case $1 in $_pat) set +f; IFS=$_ifs; return 0 ;; esac; done
      set +f; IFS=$_ifs; return 1
    }
    [ -n "$patterns" ] || excluded() { return 1; }
    # The archive's listing, to compare old and new: tar members with their metadata, zip
    # names with CRCs, a compressed file's bytes.
    decomp() {
      case $format in
        gz) gzip -dc "$1" ;; bz2) bzip2 -dc "$1" ;; xz) xz -dc "$1" ;; tar) cat "$1" ;;
      esac
    }
    listing() {
      [ -f "$1" ] || return 0
      if [ "$format" = zip ]; then unzip -v "$1" 2>/dev/null | awk 'NR > 3 && $7 ~ /^[0-9a-f]{8}$/ { c = $7; for (i = 1; i <= 7; i++) $i = ""; print c, $0 }' | LC_ALL=C sort
      elif [ "$single" = 1 ] && [ "$format" != tar ]; then decomp "$1" 2>/dev/null | cksum
      else decomp "$1" 2>/dev/null | tar -tv --full-time -f - 2>/dev/null | LC_ALL=C sort
      fi
    }
    single=0; [ "$must" = 1 ] || single=1
    if [ "$check" = 1 ]; then
      if [ $single = 0 ] || [ ! -e "$dest" ]; then pv changed; fi
      pv dest_state absent
      exit 0
    fi
    case $format in zip) need zip; need unzip ;; tar) need tar ;; gz) need gzip ;; bz2) need bzip2 ;; xz) need xz ;; esac
    [ $single = 0 ] && [ "$format" != zip ] && need tar
    [ $single = 1 ] && [ "$format" = tar ] && need tar
    tmp=$(mktemp -d) || die "mktemp failed"
    trap 'rm -rf "$tmp"' EXIT
    old=$(listing "$dest")
    # The members, relative to the root, one a line.
    printf '%s' "$targets" | while IFS= read -r _t; do
      [ -n "$_t" ] || continue
      if [ $single = 0 ] && [ -d "$_t" ] && [ ! -L "$_t" ]; then
        find "$_t" -mindepth 1
      else printf '%s\n' "$_t"; fi
    done | while IFS= read -r _f; do
      _n=${_f#"$root"}
      if [ "$format" = zip ]; then excluded "$_f" && continue; else excluded "$_n" && continue; fi
      printf '%s\n' "$_f"
    done > "$tmp/full"
    sed "s|^$(printf '%s' "$root" | sed 's/[][\.*^$|]/\\&/g')||" "$tmp/full" > "$tmp/names"
    out="$tmp/new.zip"
    if [ $single = 1 ] && [ "$format" != zip ] && [ "$format" != tar ]; then
      case $format in
        gz) gzip -nc < "$first" > "$out" ;; bz2) bzip2 -c < "$first" > "$out" ;; xz) xz -c < "$first" > "$out" ;;
      esac || die "Unable to write to compressed file: $dest"
      pv dest_state compress
    elif [ "$format" = zip ]; then
      ( cd "$root" && zip -q -D -X "$out" -@ < "$tmp/names" ) || die "Errors when writing archive at $dest"
    else
      ( cd "$root" && tar -c --no-recursion -f - -T "$tmp/names" ) > "$tmp/tar" || die "Error when writing archive at $dest"
      case $format in
        tar) mv "$tmp/tar" "$out" ;; gz) gzip -nc < "$tmp/tar" > "$out" ;; bz2) bzip2 -c < "$tmp/tar" > "$out" ;;
        xz) xz -c < "$tmp/tar" > "$out" ;;
      esac || die "Error when writing archive at $dest"
    fi
    if [ $single = 0 ] || [ "$format" = zip ] || [ "$format" = tar ]; then
      pv dest_state "$([ $n_missing = 1 ] && [ $single = 0 ] && echo incomplete || echo archive)"
    fi
    while IFS= read -r _f; do pv archived "$_f"; done < "$tmp/full"
    new=$(listing "$out")
    if [ ! -e "$dest" ] || [ "$old" != "$new" ]; then
      pv changed
      if [ -e "$dest" ]; then cat "$out" > "$dest" || die "cannot write $dest"; else mv -f "$out" "$dest" || die "cannot write $dest"; fi
    fi
    if [ "$remove" = 1 ]; then
      if [ $single = 1 ]; then rm -f -- "$first" || die "Unable to remove source file: $first"
      else printf '%s' "$targets" | while IFS= read -r _t; do [ -n "$_t" ] && rm -rf -- "$_t"; done; fi
    fi
    [ -e "$dest" ] && pv_attrs "$dest"
    exit 0
    """#
}
