import Foundation

/// Jinja 3.1's `urlize`: the text HTML-escaped, split at whitespace, and each word that is an
/// http(s) URL, a `www.` or `.com`-like name, an IP URL or an e-mail address made a link, with
/// leading `(`/`<` and trailing `.`, `,`, `)`, `>` kept outside unless they balance the URL.
/// `rel` always holds Jinja's default policy `noopener` (plus `nofollow` and the caller's).
extension FilterLibrary {
    static func urlize(_ call: FilterCall) throws -> Value {
        let text = try call.text()
        let trimLimit = try call.args.int(0, "trim_url_limit")
        let nofollow = try call.args.bool(1, "nofollow") ?? false
        let target = try call.args.string(2, "target")
        var relParts = Set((try call.args.string(3, "rel") ?? "").split(whereSeparator: \.isWhitespace).map(String.init))
        if nofollow { relParts.insert("nofollow") }
        relParts.insert("noopener")
        let relAttr = " rel=\"\(htmlEscape(relParts.sorted().joined(separator: " ")))\""
        let targetAttr = target.map { $0.isEmpty ? "" : " target=\"\(htmlEscape($0))\"" } ?? ""
        var schemes: [String] = []
        switch try call.args.value(4, "extra_schemes") {
        case nil, .null?: break
        case .list(let l)?: schemes = l.map(PythonRepr.str)
        case .string(let s)?: schemes = s.map(String.init)
        case let v?: throw call.fail("'\(v.typeName)' object is not iterable")
        }
        for scheme in schemes where !fullMatch(Urlize.scheme, scheme) {
            throw call.fail("\(scheme) is not a valid scheme")
        }
        func trim(_ s: String) -> String {
            guard let limit = trimLimit, s.count > limit else { return s }
            return String(s.prefix(max(0, limit))) + "..."
        }
        var out = ""
        for (word, isSpace) in Urlize.words(htmlEscape(text)) {
            guard !isSpace else { out += word; continue }
            var (head, middle, tail) = ("", word, "")
            if let r = middle.range(of: "^([(<]|&lt;)+", options: .regularExpression) {
                head = String(middle[r])
                middle = String(middle[r.upperBound...])
            }
            if let r = middle.range(of: "([)>.,\\n]|&gt;)+$", options: .regularExpression) {
                tail = String(middle[r])
                middle = String(middle[..<r.lowerBound])
            }
            for (open, close) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
                let opens = middle.components(separatedBy: open).count - 1
                guard opens > middle.components(separatedBy: close).count - 1 else { continue }
                for _ in 0..<min(opens, tail.components(separatedBy: close).count - 1) {
                    guard let r = tail.range(of: close) else { break }
                    middle += tail[..<r.upperBound]
                    tail = String(tail[r.upperBound...])
                }
            }
            if fullMatch(Urlize.http, middle) {
                let href = middle.hasPrefix("https://") || middle.hasPrefix("http://") ? middle : "https://" + middle
                middle = "<a href=\"\(href)\"\(relAttr)\(targetAttr)>\(trim(middle))</a>"
            } else if middle.hasPrefix("mailto:"), fullMatch(Urlize.email, String(middle.dropFirst(7))) {
                middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
            } else if middle.contains("@"), !middle.hasPrefix("www."), !middle.contains(":"), fullMatch(Urlize.email, middle) {
                middle = "<a href=\"mailto:\(middle)\">\(middle)</a>"
            } else {
                for scheme in schemes where middle != scheme && middle.hasPrefix(scheme) {
                    middle = "<a href=\"\(middle)\"\(relAttr)\(targetAttr)>\(middle)</a>"
                }
            }
            out += head + middle + tail
        }
        return .string(out)
    }

    private static func fullMatch(_ re: NSRegularExpression, _ s: String) -> Bool {
        re.firstMatch(in: s, options: [.anchored], range: NSRange(s.startIndex..., in: s))
            .map { $0.range.length == (s as NSString).length } ?? false
    }

    private enum Urlize {
        static let http = try! NSRegularExpression(pattern: """
            ((https?://|www\\.)(([\\w%-]+\\.)+)?([a-z]{2,63}|xn--[\\w%]{2,59})\
            |([\\w%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)\
            |(https?://)((([\\d]{1,3})(\\.[\\d]{1,3}){3})|(\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}])))\
            (?::[\\d]{1,5})?(?:[/?#]\\S*)?
            """, options: [.caseInsensitive])
        static let email = try! NSRegularExpression(pattern: "\\S+@\\w[\\w.-]*\\.\\w+")
        static let scheme = try! NSRegularExpression(pattern: "[\\w.+-]{2,}:(/){0,2}")

        /// `re.split(r"(\s+)", text)`: words and the whitespace runs between them.
        static func words(_ text: String) -> [(String, Bool)] {
            var parts: [(String, Bool)] = []
            var cur = "", curSpace = false
            for c in text {
                let space = c.isWhitespace
                if !cur.isEmpty, space != curSpace { parts.append((cur, curSpace)); cur = "" }
                cur.append(c)
                curSpace = space
            }
            if !cur.isEmpty || parts.isEmpty { parts.append((cur, curSpace)) }
            return parts
        }
    }
}
