import Foundation

/// `find`: lists files on the host by name pattern, type, age, size and content, returning
/// `files` (stat-like dicts, in `os.walk` order as Ansible does), `matched` and `examined`.
///
/// The host runs one `find … -exec stat` listing; names, age, size, hidden and depth are
/// filtered on the controller with Python's own semantics (`fnmatch`, `re.match`); only
/// `contains` and `get_checksum` need a second round trip, with `grep -E` (the regex goes
/// through `POSIXExtendedRegex`) and `sha1sum`. Never changes anything.
public struct FindModule: Module {
    public static let name = "find"
    public static let argumentSpec = ArgumentSpec([
        .init("paths", .list, required: true, aliases: ["name", "path"]),
        .init("patterns", .list, aliases: ["pattern"], default: .list([])),
        .init("excludes", .list, aliases: ["exclude"]), .init("contains"),
        .init("read_whole_file", .bool, default: false),
        .init("file_type", choices: ["any", "directory", "file", "link"], default: "file"),
        .init("age"), .init("age_stamp", choices: ["atime", "ctime", "mtime"], default: "mtime"),
        .init("size"), .init("recurse", .bool, default: false), .init("hidden", .bool, default: false),
        .init("follow", .bool, default: false), .init("get_checksum", .bool, default: false),
        .init("use_regex", .bool, default: false), .init("depth", .int),
    ])

    public var paths: [String]
    var patterns: [(String) -> Bool] = []
    var excludes: [(String) -> Bool] = []
    var contains: POSIXExtendedRegex?
    public var readWholeFile: Bool
    public var fileType: String
    /// Seconds; negative: younger than.
    public var age: Int?
    public var ageStamp: String
    /// Bytes; negative: smaller than.
    public var size: Int?
    public var recurse: Bool
    public var hidden: Bool
    public var follow: Bool
    public var getChecksum: Bool
    public var depth: Int?

    public init(arguments args: ModuleArguments) throws {
        paths = try args.stringList("paths") ?? []
        let useRegex = try args.bool("use_regex") ?? false
        var pats = try args.stringList("patterns") ?? []
        if pats.isEmpty { pats = [useRegex ? ".*" : "*"] }
        func matcher(_ p: String) throws -> (String) -> Bool {
            if useRegex {
                let re = try PythonRegex(p)
                return { name in re.regex.firstMatch(in: name, options: .anchored, range: NSRange(name.startIndex..., in: name)) != nil }
            }
            let g = try PythonFnmatch(p)
            return g.matches
        }
        patterns = try pats.map(matcher)
        excludes = try (args.stringList("excludes") ?? []).map(matcher)
        readWholeFile = try args.bool("read_whole_file") ?? false
        if let c = try args.string("contains") {
            // Line by line Ansible uses re.match (anchored at the line's start).
            let ere = try POSIXExtendedRegex(python: c)
            contains = readWholeFile ? ere : POSIXExtendedRegex(pattern: "^(" + ere.pattern + ")", caseInsensitive: ere.caseInsensitive)
        }
        fileType = try args.choice("file_type", ["any", "directory", "file", "link"]) ?? "file"
        ageStamp = try args.choice("age_stamp", ["atime", "ctime", "mtime"]) ?? "mtime"
        recurse = try args.bool("recurse") ?? false
        hidden = try args.bool("hidden") ?? false
        follow = try args.bool("follow") ?? false
        getChecksum = try args.bool("get_checksum") ?? false
        depth = try args.int("depth")
        if let a = try args.string("age") {
            guard let n = Self.scaled(a, ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800]) else {
                throw ModuleError("failed to process age '\(a)'")
            }
            age = n
        }
        if let s = try args.string("size") {
            guard let n = Self.scaled(s, ["b": 1, "k": 1024, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40]) else {
                throw ModuleError("failed to process size '\(s)'")
            }
            size = n
        }
    }

    /// `-?\d+` with an optional unit letter.
    static func scaled(_ text: String, _ units: [Character: Int]) -> Int? {
        var t = text.lowercased()
        var factor = 1
        if let last = t.last, let f = units[last] { factor = f; t.removeLast() }
        guard let n = Int(t), !t.hasPrefix("+") else { return nil }
        return n * factor
    }

    /// One entry of the host's listing.
    struct Entry {
        var path: String
        var depth: Int
        var rawMode: Int
        var fields: [String]
        /// A directory, or a link to one (os.walk puts those with the directories).
        var walksAsDirectory: Bool
        var kind: Int { rawMode & 0o170000 }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.listing)
        s.set("paths", paths.joined(separator: "\n"))
        s.set("follow", follow)
        s.set("maxdepth", recurse ? (depth.map { $0 > 0 ? String($0 + 1) : "" } ?? "") : "1")
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let now = Double(out.first("now") ?? "") ?? Date().timeIntervalSince1970
        var skipped: [String: Value] = [:]
        var warnings: [String] = []
        var examined = 0
        var found: [(Entry, [String: Value])] = []
        var groups: [(root: String, lines: [(key: String, value: String)])] = []
        for (key, value) in out.markers {
            switch key {
            case "skip":
                skipped[value] = .string("'\(value)' is not a directory")
                warnings.append("Skipped '\(value)' path due to this access issue: '\(value)' is not a directory")
            case "tree": groups.append((value, []))
            case "e", "ldir": if !groups.isEmpty { groups[groups.count - 1].lines.append((key, value)) }
            default: break
            }
        }
        for g in groups {
            let entries = Self.walkOrder(g.lines, root: g.root)
            examined += entries.count
            for e in entries where keep(e, now: now) { found.append((e, Self.statInfo(e))) }
        }
        if (contains != nil && fileType == "file") || getChecksum {
            found = try contentPass(found, in: context)
        }
        let files = found.map { Value.dict($0.1) }
        var r = ModuleResult.ok(["files": .list(files), "matched": .int(files.count), "examined": .int(examined),
                                 "skipped_paths": .dict(skipped)],
                                message: warnings.isEmpty ? "All paths examined" : "Not all paths examined, check warnings for details")
        r.warnings = warnings
        return r
    }

    func keep(_ e: Entry, now: Double) -> Bool {
        if let depth, depth != 0, e.depth > depth { return false }
        let base = (e.path as NSString).lastPathComponent
        if base.hasPrefix("."), !hidden { return false }
        let typeOK: Bool
        switch fileType {
        case "any": typeOK = true
        case "directory": typeOK = e.kind == 0o040000
        case "link": typeOK = e.kind == 0o120000
        default: typeOK = e.kind == 0o100000
        }
        guard typeOK, patterns.contains(where: { $0(base) }), !excludes.contains(where: { $0(base) }) else { return false }
        if let age {
            let idx = ["atime": 7, "mtime": 8, "ctime": 9][ageStamp] ?? 8
            let t = Double(e.fields[idx]) ?? 0
            if age >= 0 ? !(now - t >= Double(age)) : !(now - t <= Double(-age)) { return false }
        }
        if let size, e.kind == 0o100000 || fileType == "file" {
            let sz = Int(e.fields[3]) ?? 0
            if size >= 0 ? !(sz >= size) : !(sz <= -size) { return false }
        }
        return true
    }

    /// Greps and checksums the regular files among `found` on the host.
    func contentPass(_ found: [(Entry, [String: Value])], in context: HostContext) throws -> [(Entry, [String: Value])] {
        let contains = fileType == "file" ? self.contains : nil
        let regular = found.filter { $0.0.kind == 0o100000 }
        guard !regular.isEmpty else { return found }
        var s = ModuleScript(#"""
        while IFS= read -r f; do
          if [ -n "$re" ]; then
            grep -Eq $gopt -- "$re" "$f" 2>/dev/null || continue
          fi
          if [ "$sum" = 1 ]; then pv sum "$(sha1sum < "$f" | cut -d ' ' -f 1) $f"; else pv sum "- $f"; fi
        done
        """#)
        s.set("re", contains?.pattern ?? "")
        s.set("gopt", (contains?.caseInsensitive == true ? "-i " : "") + (readWholeFile ? "-z" : ""))
        s.set("sum", getChecksum)
        let list = regular.map(\.0.path).joined(separator: "\n") + "\n"
        let out = try s.run(in: context, stdin: Data(list.utf8))
        if let f = out.failure { throw ModuleError(f) }
        var sums: [String: String] = [:]
        for v in out.all("sum") {
            guard let sp = v.firstIndex(of: " ") else { continue }
            sums[String(v[v.index(after: sp)...])] = String(v[..<sp])
        }
        return found.compactMap { item in
            guard item.0.kind == 0o100000 else { return contains == nil ? item : nil }
            guard let sum = sums[item.0.path] else { return nil }
            var d = item.1
            if getChecksum { d["checksum"] = .string(sum) }
            return (item.0, d)
        }
    }
}
