/// The fstab edit of ansible.posix.mount on Linux, on text: other lines, comments and blank
/// lines stay as they are; the entry for a mount point is found by its second field.
struct FstabEdit {
    /// One entry's fields, unescaped as given by the task.
    struct Entry: Equatable {
        var src: String
        var name: String
        var fstype: String
        var opts: String
        var dump: String
        var passno: String
    }

    /// fstab's escapes for the characters a field cannot hold as they are.
    static func escape(_ v: String) -> String {
        v.replacingOccurrences(of: "\\", with: "\\134").replacingOccurrences(of: " ", with: "\\040")
            .replacingOccurrences(of: "&", with: "\\046")
    }

    /// The file's lines, each with its newline (with `terminate`, a last line without one gets
    /// one: Ansible's add/update does that, its removal does not).
    static func lines(_ text: String, terminate: Bool = true) -> [String] {
        var out: [String] = []
        var cur = ""
        for ch in text {
            cur.append(ch)
            if ch == "\n" { out.append(cur); cur = "" }
        }
        if !cur.isEmpty { out.append(terminate ? cur + "\n" : cur) }
        return out
    }

    /// Python's `str.split()` on a line.
    static func fields(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0B}" || $0 == "\u{0C}" })
            .map(String.init)
    }

    static func isComment(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty || t.hasPrefix("#")
    }

    /// The line that matches `name` (and, for a swap line `none`, `src` when given).
    static func matches(_ f: [String], name: String, src: String?) -> Bool {
        guard f[1] == escape(name) else { return false }
        if let src, f[1] == "none", f[2] == "swap", f[0] != src { return false }
        return true
    }

    /// `present`/`mounted`: the entry added or brought up to date. As Ansible: a line of four
    /// or five fields counts as different (its missing dump/passno are not strings), and once
    /// one matching line changed, every later matching line is rewritten too.
    static func set(_ text: String, _ e: Entry) -> (text: String, changed: Bool) {
        let want = [escape(e.src), escape(e.name), escape(e.fstype), escape(e.opts), escape(e.dump), escape(e.passno)]
        var out = ""
        var exists = false
        var changed = false
        for line in lines(text) {
            let f = fields(line)
            guard !isComment(line), (4...6).contains(f.count), matches(f, name: e.name, src: e.src) else {
                out += line
                continue
            }
            exists = true
            var ld = f
            for i in [0, 2, 3, 4, 5] where i >= ld.count || ld[i] != want[i] {
                changed = true
            }
            while ld.count < 6 { ld.append("0") }
            if changed {
                for i in [0, 2, 3, 4, 5] { ld[i] = want[i] }
                out += ld.joined(separator: " ") + "\n"
            } else {
                out += line
            }
        }
        if !exists {
            out += want.joined(separator: " ") + "\n"
            changed = true
        }
        return (out, changed)
    }

    /// `absent`/`absent_from_fstab`: every six-field line for the mount point removed.
    static func unset(_ text: String, name: String, src: String?) -> (text: String, changed: Bool) {
        var out = ""
        var changed = false
        for line in lines(text, terminate: false) {
            let f = fields(line)
            if !isComment(line), f.count == 6, matches(f, name: name, src: src) {
                changed = true
                continue
            }
            out += line
        }
        return (out, changed)
    }
}
