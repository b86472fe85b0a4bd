import Foundation

/// The host side of `find`: one listing, and its parsing into `os.walk` order.
extension FindModule {
    /// Prints `@@pv tree ROOT` per directory searched, then `@@pv e RAWMODE UID GID SIZE INODE
    /// DEV NLINK ATIME MTIME CTIME USER GROUP PATH` per entry and `@@pv ldir PATH` per link to
    /// a directory; `@@pv skip PATH` for a path that is not a directory.
    static let listing = #"""
    if stat -c '%.9Y' / >/dev/null 2>&1; then tf='%.9X %.9Y %.9Z'; else tf='%X %Y %Z'; fi
    pv now "$(date +%s)"
    if [ "$follow" = 1 ]; then L=-L; lt=-xtype; else L=; lt=-type; fi
    if [ -n "$maxdepth" ]; then md="-maxdepth $maxdepth"; else md=; fi
    printf '%s\n' "$paths" | while IFS= read -r p; do
      [ -n "$p" ] || continue
      case $p in "~") p=$HOME ;; "~/"*) p=$HOME/${p#"~/"} ;; esac
      if [ ! -d "$p" ]; then pv skip "$p"; continue; fi
      pv tree "$p"
      find $L "$p" -mindepth 1 $md -exec stat -c "@@pv e %f %u %g %s %i %d %h $tf %U %G %n" {} + 2>/dev/null
      find $L "$p" -mindepth 1 $md $lt l -exec sh -c 'for l; do [ -d "$l" ] && printf "@@pv ldir %s\n" "$l"; done' sh {} + 2>/dev/null
    done
    exit 0
    """#

    /// Python's `os.path.normpath` for absolute and relative POSIX paths.
    static func normpath(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/") where c != "." {
            if c == "..", let last = parts.last, last != ".." { parts.removeLast() }
            else if c == "..", absolute { continue }
            else { parts.append(c) }
        }
        let body = parts.joined(separator: "/")
        if absolute { return "/" + body }
        return body.isEmpty ? "." : body
    }

    /// The entries under `root` in the order Ansible's `os.walk` loop visits them: in each
    /// directory its files (in directory order), then its subdirectories, then each
    /// subdirectory's own listing, top-down.
    static func walkOrder(_ lines: [(key: String, value: String)], root: String) -> [Entry] {
        let linkDirs = Set(lines.filter { $0.key == "ldir" }.map(\.value))
        var byParent: [String: [Entry]] = [:]
        let rootKey = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
        for (key, value) in lines where key == "e" {
            let f = value.split(separator: " ", maxSplits: 12, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 13, let raw = Int(f[0], radix: 16) else { continue }
            let rawPath = f[12]
            let rel = rawPath.hasPrefix(rootKey + "/") ? String(rawPath.dropFirst(rootKey.count + 1)) : rawPath
            let depth = rel.split(separator: "/").count
            let isDir = raw & 0o170000 == 0o040000 || linkDirs.contains(rawPath)
            let parent = (rawPath as NSString).deletingLastPathComponent
            let e = Entry(path: rawPath, depth: depth, rawMode: raw, fields: Array(f[0..<12]), walksAsDirectory: isDir)
            byParent[parent == "" ? "." : parent, default: []].append(e)
        }
        var out: [Entry] = []
        func visit(_ dir: String) {
            let children = byParent[dir] ?? []
            let dirs = children.filter(\.walksAsDirectory)
            out += children.filter { !$0.walksAsDirectory } + dirs
            for d in dirs { visit(d.path) }
        }
        visit(rootKey)
        return out.map { e in var e = e; e.path = normpath(e.path); return e }
    }

    /// Ansible's `statinfo` dict for one entry.
    static func statInfo(_ e: Entry) -> [String: Value] {
        let f = e.fields
        let bits = e.rawMode & 0o7777
        func num(_ s: String) -> Value {
            if let i = Int(s) { return .int(i) }
            return Double(s).map(Value.double) ?? .null
        }
        func time(_ s: String) -> Value { Double(s).map(Value.double) ?? .null }
        func name(_ s: String) -> Value { .string(s == "UNKNOWN" ? "" : s) }
        let kind = e.kind
        return [
            "path": .string(e.path),
            "mode": .string(String(format: "%04o", bits)),
            "isdir": .bool(kind == 0o040000), "ischr": .bool(kind == 0o020000), "isblk": .bool(kind == 0o060000),
            "isreg": .bool(kind == 0o100000), "isfifo": .bool(kind == 0o010000), "islnk": .bool(kind == 0o120000),
            "issock": .bool(kind == 0o140000),
            "uid": num(f[1]), "gid": num(f[2]), "size": num(f[3]), "inode": num(f[4]), "dev": num(f[5]),
            "nlink": num(f[6]), "atime": time(f[7]), "mtime": time(f[8]), "ctime": time(f[9]),
            "pw_name": name(f[10]), "gr_name": name(f[11]),
            "wusr": .bool(bits & 0o200 != 0), "rusr": .bool(bits & 0o400 != 0), "xusr": .bool(bits & 0o100 != 0),
            "wgrp": .bool(bits & 0o020 != 0), "rgrp": .bool(bits & 0o040 != 0), "xgrp": .bool(bits & 0o010 != 0),
            "woth": .bool(bits & 0o002 != 0), "roth": .bool(bits & 0o004 != 0), "xoth": .bool(bits & 0o001 != 0),
            "isuid": .bool(bits & 0o4000 != 0), "isgid": .bool(bits & 0o2000 != 0),
        ]
    }
}
