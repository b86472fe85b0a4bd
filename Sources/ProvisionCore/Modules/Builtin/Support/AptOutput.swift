import Foundation

/// Reads apt-get's and dpkg-query's output. Pure: tested on recorded output.
enum AptOutput {
    /// apt-get's summary: "2 upgraded, 3 newly installed, 0 to remove and 5 not upgraded."
    struct Summary: Equatable {
        var upgraded = 0
        var installed = 0
        var removed = 0
        var changesSomething: Bool { upgraded + installed + removed > 0 }
    }

    /// Every summary line in `text`, added up (one per apt-get run).
    static func summary(_ text: String) -> Summary? {
        guard let re = try? NSRegularExpression(
            pattern: #"^(\d+) upgraded, (\d+) newly installed, (?:(\d+) reinstalled, )?(\d+) to remove"#,
            options: [.anchorsMatchLines]) else { return nil }
        var s = Summary()
        var found = false
        for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            func n(_ i: Int) -> Int {
                guard let r = Range(m.range(at: i), in: text) else { return 0 }
                return Int(text[r]) ?? 0
            }
            found = true
            s.upgraded += n(1)
            s.installed += n(2) + n(3)
            s.removed += n(4)
        }
        return found ? s : nil
    }

    /// Package names apt-get acted on (or would, with -s): its `Inst`, `Remv`, `Purg` lines.
    static func simulatedActions(_ text: String) -> [(action: String, package: String)] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count >= 2, ["Inst", "Remv", "Purg"].contains(String(words[0])) else { return nil }
            return (String(words[0]), String(words[1]))
        }
    }

    /// `dpkg-query -W -f='${db:Status-Abbrev}'`: "ii " installed, "rc " config files only, …
    static func isInstalled(statusAbbrev: String) -> Bool {
        let s = statusAbbrev.trimmingCharacters(in: .whitespaces)
        // First letter: wanted (i install, h hold, …); second: current state (i installed).
        return s.count >= 2 && s.dropFirst().first == "i"
    }

    /// A valid package spec: NAME, NAME=VERSION or NAME:ARCH, where NAME and VERSION may be
    /// fnmatch globs (`nginx*`, `1.2*`), or `*` (Debian policy characters and glob characters
    /// only, so the spec is safe in the script's unquoted word list, which runs with `set -f`).
    static func isValidSpec(_ spec: String) -> Bool {
        spec == "*" || spec.range(of: #"^[a-z0-9*?\[][a-z0-9+.\-*?\[\]]*(:[a-z0-9]+)?(=[A-Za-z0-9.+~:\-*?]+)?$"#,
                                  options: .regularExpression) != nil
    }
}
