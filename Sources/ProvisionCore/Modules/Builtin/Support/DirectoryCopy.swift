import Foundation

/// `copy` of a controller directory: `src: dir` lands in `dest/dir/`, `src: dir/` puts the
/// directory's contents in `dest/`, as in Ansible.
///
/// One round trip compares every file by SHA-256 (and settles owner/group/mode of those that
/// exist); then missing directories are made in one more, and only files whose content
/// differs are sent. Local symlinks are followed (Ansible's `local_follow`).
struct DirectoryCopy {
    var source: String
    var dest: String
    var contentsOnly: Bool
    var attributes: FileAttributes
    var directoryMode: String?
    var force = true
    var backup = false

    struct Entry {
        var relative: String
        var isDirectory: Bool
    }

    /// Files and directories under `source`, parents before children, sorted for stable output.
    func entries() throws -> [Entry] {
        guard let walker = FileManager.default.enumerator(atPath: source) else {
            throw ModuleError("cannot read directory \(source) on the controller")
        }
        var out: [Entry] = []
        for case let rel as String in walker {
            if rel.contains("\n") { throw ModuleError("file name with a newline under \(source): \(rel)") }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: (source as NSString).appendingPathComponent(rel), isDirectory: &isDir) else {
                continue  // a dangling symlink
            }
            out.append(Entry(relative: rel, isDirectory: isDir.boolValue))
        }
        return out.sorted { $0.relative < $1.relative }
    }

    var root: String {
        if contentsOnly { return dest }
        let name = (source as NSString).lastPathComponent
        return (dest.hasSuffix("/") ? dest : dest + "/") + name
    }

    func run(in context: HostContext) throws -> ModuleResult {
        let list = try entries()
        var script = ModuleScript(Self.probeBody)
        script.set("root", root)
        script.set("check", context.checkMode)
        attributes.apply(to: &script)
        let input = list.map { ($0.isDirectory ? "d " : "f ") + $0.relative }.joined(separator: "\n") + "\n"
        let out = try script.run(in: context, stdin: Data(input.utf8))
        try out.check("cannot inspect \(root)")
        let me = out.first("me")
        var remote: [String: [String]] = [:]
        for line in out.all("file") {
            let parts = line.split(separator: " ", maxSplits: 4).map(String.init)
            if parts.count == 5 { remote[parts[4]] = parts }
        }
        let missingDirs = out.all("nodir")
        if let bad = out.first("notfile") { return .failed("\(root)/\(bad) exists and is not a regular file") }
        if let bad = out.first("notdir") { return .failed("\(root)/\(bad) exists and is not a directory") }

        var toSend: [(Entry, Data, RemoteFileProbe.State)] = []
        for e in list where !e.isDirectory {
            guard let data = FileManager.default.contents(atPath: (source as NSString).appendingPathComponent(e.relative)) else {
                return .failed("cannot read \(source)/\(e.relative) on the controller")
            }
            let path = root + "/" + e.relative
            if let r = remote[e.relative] {
                if r[0] == ContentDeployment.sha256(data) || !force { continue }
                toSend.append((e, data, .init(path: path, kind: .file, mode: r[1], uid: r[2], gid: r[3], sha256: r[0],
                                              me: me, content: nil, attributeChanges: [], parentMissing: false)))
            } else {
                toSend.append((e, data, .init(path: path, kind: .missing, me: me, attributeChanges: [], parentMissing: false)))
            }
        }
        let attrs = FileAttributes.changed(in: out)
        let changedFiles = toSend.map { $0.0.relative }
        var data: [String: Value] = ["dest": .string(dest), "src": .string(source), "changed_files": .list(changedFiles.map(Value.string))]
        let changed = !toSend.isEmpty || !missingDirs.isEmpty || !attrs.isEmpty
        let attrDiffs = context.diffMode ? FileAttributes.diffs(in: out) : []
        if context.checkMode || !changed {
            return ModuleResult(changed: changed, message: changed ? Self.summary(changedFiles, missingDirs) : nil,
                                diffs: attrDiffs, data: data)
        }
        if !missingDirs.isEmpty {
            var mk = ModuleScript(#"while IFS= read -r d; do mkdir -p -- "$root/$d" || die "cannot create $root/$d"; "#
                + #"[ -z "$dmode" ] || chmod -- "$dmode" "$root/$d" || die "chmod $dmode $root/$d failed"; done"#)
            mk.set("root", root)
            mk.set("dmode", directoryMode ?? "")
            try mk.run(in: context, stdin: Data((missingDirs.joined(separator: "\n") + "\n").utf8)).check("cannot create directories under \(root)")
        }
        var backups: [Value] = []
        for (_, bytes, state) in toSend {
            let writer = RemoteFileWriter(state: state, attributes: attributes, backup: backup)
            if let b = try writer.write(bytes, in: context).backupFile { backups.append(.string(b)) }
        }
        if !backups.isEmpty { data["backup_files"] = .list(backups) }
        return .changed(data, message: Self.summary(changedFiles, missingDirs), diffs: attrDiffs)
    }

    static func summary(_ files: [String], _ dirs: [String]) -> String {
        var parts: [String] = []
        if !files.isEmpty { parts.append("\(files.count) file(s) copied") }
        if !dirs.isEmpty { parts.append("\(dirs.count) director(ies) created") }
        return parts.isEmpty ? "attributes changed" : parts.joined(separator: ", ")
    }

    /// Reads `d REL` / `f REL` lines; reports `nodir REL`, `file SHA MODE UID GID REL`,
    /// `notfile REL`, `notdir REL`; the root itself counts as a directory entry "".
    static let probeBody = #"""
    pv me "$(id -u):$(id -g)"
    if [ -e "$root" ] && [ ! -d "$root" ]; then pv notdir .; exit 0; fi
    [ -d "$root" ] || pv nodir .
    while IFS= read -r line; do
      kind=${line%% *}; rel=${line#* }; p="$root/$rel"
      if [ "$kind" = d ]; then
        if [ -d "$p" ]; then :; elif [ -e "$p" ]; then pv notdir "$rel"; else pv nodir "$rel"; fi
      elif [ -f "$p" ]; then
        pv file "$(sha256sum < "$p" | cut -d ' ' -f 1) $(stat -c '%a %u %g' -- "$p") $rel"
        pv_attrs "$p"
      elif [ -e "$p" ]; then
        pv notfile "$rel"
      fi
    done
    exit 0
    """#
}
