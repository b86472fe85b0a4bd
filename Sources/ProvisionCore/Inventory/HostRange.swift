/// Expands Ansible host ranges in inventory names: `red[00:04]`, `node[1:9]`, `[a:c]`,
/// `web[0:10:2]`, several ranges in one name (`r[1:2]n[1:3]`).
///
/// Numeric ranges keep the start's zero padding (`[00:04]` gives `00`…`04`), as Ansible does.
public enum HostRange {
    /// Most names one pattern may expand to: a typo such as `[0:999999999]` must not exhaust memory.
    public static let maxHosts = 65_536

    /// Why a range could not be expanded; `offset` is the character offset in the name.
    public struct Problem: Error, Equatable, Sendable {
        public var message: String
        public var offset: Int
    }

    /// True when `name` holds a `[...]` range.
    public static func hasRange(_ name: String) -> Bool { name.contains("[") }

    /// The names `pattern` stands for, in order. Throws `Problem` for a malformed range.
    public static func expand(_ pattern: String) throws -> [String] {
        let chars = Array(pattern)
        guard let open = chars.firstIndex(of: "[") else {
            if let close = chars.firstIndex(of: "]") {
                throw Problem(message: "']' without a matching '[' in host name", offset: close)
            }
            return [pattern]
        }
        guard let close = chars[open...].firstIndex(of: "]") else {
            throw Problem(message: "unclosed '[' in host range", offset: open)
        }
        let head = String(chars[..<open])
        let body = String(chars[(open + 1)..<close])
        let tail = String(chars[(close + 1)...])
        let items = try rangeItems(body, offset: open)
        let tails: [String]
        do { tails = try expand(tail) } catch var p as Problem {
            p.offset += close + 1
            throw p
        }
        if items.count * tails.count > maxHosts {
            throw Problem(message: "host range expands to more than \(maxHosts) hosts", offset: open)
        }
        var out: [String] = []
        out.reserveCapacity(items.count * tails.count)
        for item in items { for t in tails { out.append(head + item + t) } }
        return out
    }

    private static func rangeItems(_ body: String, offset: Int) throws -> [String] {
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw Problem(message: "host range '[\(body)]' must be [begin:end] or [begin:end:step]", offset: offset)
        }
        let beg = parts[0].isEmpty ? "0" : parts[0]
        let end = parts[1]
        var step = 1
        if parts.count == 3 {
            guard let s = Int(parts[2]), s > 0 else {
                throw Problem(message: "host range step '\(parts[2])' must be a positive integer", offset: offset)
            }
            step = s
        }
        if end.isEmpty {
            throw Problem(message: "host range '[\(body)]' has no end", offset: offset)
        }
        if let b = Int(beg), let e = Int(end), beg.allSatisfy(\.isASCII), end.allSatisfy(\.isASCII) {
            var width = 0
            if beg.hasPrefix("0") && beg.count > 1 {
                guard beg.count == end.count else {
                    throw Problem(message: "host range '[\(body)]': a zero-padded begin and its end must have the same width", offset: offset)
                }
                width = beg.count
            }
            guard b <= e else {
                throw Problem(message: "host range '[\(body)]' begins after it ends", offset: offset)
            }
            guard (e - b) / step < maxHosts else {
                throw Problem(message: "host range expands to more than \(maxHosts) hosts", offset: offset)
            }
            return stride(from: b, through: e, by: step).map { n in
                let s = String(n)
                return width > s.count ? String(repeating: "0", count: width - s.count) + s : s
            }
        }
        guard beg.count == 1, end.count == 1, let bc = beg.unicodeScalars.first, let ec = end.unicodeScalars.first,
              bc.properties.isAlphabetic, ec.properties.isAlphabetic, bc.isASCII, ec.isASCII
        else {
            throw Problem(message: "host range '[\(body)]' must be numbers ([1:9], [01:10]) or single letters ([a:c])", offset: offset)
        }
        guard bc.value <= ec.value else {
            throw Problem(message: "host range '[\(body)]' begins after it ends", offset: offset)
        }
        return stride(from: bc.value, through: ec.value, by: step).compactMap { Unicode.Scalar($0).map { String(Character($0)) } }
    }
}
