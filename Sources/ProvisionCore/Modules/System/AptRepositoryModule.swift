import Foundation

/// `apt_repository`: a `deb`/`deb-src` line present in (or absent from) apt's source lists, as
/// Ansible's: a new line goes to `/etc/apt/sources.list.d/<name>.list` (Ansible's name rule or
/// `filename`), a disabled copy is re-enabled instead, removal takes every enabled copy and
/// deletes a file left empty; after a change the cache is updated (`update_cache`), and a failed
/// update puts the old files back. One round trip reads the lists; the edit is computed here
/// (`AptSourcesEdit`); a second writes them only when they change. PPAs are not supported.
public struct AptRepositoryModule: Module {
    public static let name = "apt_repository"
    public static let argumentSpec = ArgumentSpec([
        .init("repo", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("mode", .mode),
        .init("update_cache", .bool, aliases: ["update-cache"], default: true),
        .init("update_cache_retries", .int, default: 5),
        .init("update_cache_retry_max_delay", .int, default: 12),
        .init("filename"),
        .init("install_python_apt", .bool, default: true),
        .init("validate_certs", .bool, default: true),
        .init("codename"),
    ])

    public var repo: String
    public var source: String
    public var present: Bool
    public var mode: String
    public var updateCache: Bool
    public var retries: Int
    public var filename: String?
    var sourcesList = "/etc/apt/sources.list"
    var sourcesDir = "/etc/apt/sources.list.d"

    public init(arguments args: ModuleArguments) throws {
        repo = try args.requiredString("repo")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        if repo.hasPrefix("ppa:") { throw ModuleError("PPA repositories (\(repo)) are not supported by provision; give the deb line") }
        guard let s = AptSourcesEdit.normalised(repo) else { throw ModuleError("Invalid repository string: \(repo)") }
        source = s
        mode = try FileAttributes.mode(args.values["mode"]) ?? "644"
        updateCache = try args.bool("update_cache") ?? true
        retries = max(1, try args.int("update_cache_retries") ?? 5)
        filename = try args.string("filename")
        if let f = filename, f.contains("\n") || f.isEmpty { throw ModuleError("filename must be a file name") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var read = ModuleScript(Self.readBody)
        read.set("list", sourcesList)
        read.set("dir", sourcesDir)
        let out = try read.run(in: context)
        if let f = out.failure { return .failed(f) }
        let files = out.all("file").compactMap { entry -> (String, String)? in
            guard let sp = entry.firstIndex(of: " ") else { return nil }
            return (Base64Text.decode(String(entry[..<sp])), Base64Text.decode(String(entry[entry.index(after: sp)...])))
        }
        var edit = AptSourcesEdit(files: files)
        let before = edit.dump
        let target = AptSourcesEdit.suggestedFilename(source, filename: filename)
        let path = target.contains("/") ? target : (sourcesDir as NSString).appendingPathComponent(target)
        if present { edit.add(source, file: path) } else { edit.remove(source) }
        let after = edit.dump
        let changed = before != after
        var data: [String: Value] = ["repo": .string(repo), "state": .string(present ? "present" : "absent"), "diff": .dict([:])]
        var result = ModuleResult(changed: changed, data: data)
        let touched = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        if changed && context.diffMode {
            result.diffs = touched.map { FileDiff(path: $0, before: before[$0] ?? "", after: after[$0] ?? "") }
            data["diff"] = .list(touched.map { f in
                .dict(["before": .string(before[f] ?? ""), "after": .string(after[f] ?? ""),
                       "before_header": .string(before[f] == nil ? "/dev/null" : f),
                       "after_header": .string(after[f] == nil ? "/dev/null" : f)])
            })
            result.data = data
        }
        guard changed, !context.checkMode else { return result }
        // The files to write (base64 path, base64 content or `-` to delete, new or old).
        var payload = ""
        for f in touched {
            payload += Data(f.utf8).base64EncodedString() + " " + (after[f].map { Data($0.utf8).base64EncodedString() } ?? "-")
                + " " + (edit.newFiles.contains(f) ? "new" : "old") + "\n"
        }
        var write = ModuleScript(Self.writeBody)
        write.set("mode", mode)
        write.set("update_cache", updateCache)
        write.set("retries", String(retries))
        let w = try write.run(in: context, stdin: Data(payload.utf8))
        if let f = w.failure { return .failed(f, data: data) }
        return result
    }

    /// Prints `@@pv file B64PATH B64CONTENT` for sources.list and each sources.list.d/*.list.
    static let readBody = #"""
    for f in "$list" "$dir"/*.list; do
      [ -f "$f" ] || continue
      pv file "$(printf '%s' "$f" | base64 | tr -d '\n') $(base64 < "$f" | tr -d '\n')"
    done
    exit 0
    """#

    /// Writes the files from stdin, keeping copies to restore when the cache update fails.
    static let writeBody = #"""
    bk=$(mktemp -d) || die "mktemp failed"
    trap 'rm -rf "$bk"' EXIT
    i=0; : > "$bk/list"
    while read -r p c kind; do
      f=$(printf '%s' "$p" | base64 -d)
      i=$((i + 1))
      if [ -f "$f" ]; then cp -p "$f" "$bk/$i"; printf '%s %s\n' "$i" "$p" >> "$bk/list"; else printf 'new %s\n' "$p" >> "$bk/list"; fi
      if [ "$c" = - ]; then rm -f "$f"; continue; fi
      mkdir -p "$(dirname "$f")" || die "cannot create $(dirname "$f")"
      t="$f.pv$$"
      [ -f "$f" ] && cp -p "$f" "$t"
      printf '%s' "$c" | base64 -d > "$t" && mv -f "$t" "$f" || { rm -f "$t"; die "cannot write $f"; }
      [ "$kind" = new ] && chmod "$mode" "$f"
    done
    if [ "$update_cache" = 1 ]; then
      n=0
      until _o=$(apt-get -q update 2>&1) && ! printf '%s\n' "$_o" | grep -q '^E:'; do
        n=$((n + 1))
        if [ $n -ge "$retries" ]; then
          while read -r k p; do
            f=$(printf '%s' "$p" | base64 -d)
            if [ "$k" = new ]; then rm -f "$f"; else cp -p "$bk/$k" "$f"; fi
          done < "$bk/list"
          die "Failed to update apt cache: $(printf '%s\n' "$_o" | grep -E '^(E|W):' | tail -n 3 | tr '\n' ' ')"
        fi
        sleep $((n < 4 ? n * 2 : 12))
      done
    fi
    exit 0
    """#
}
