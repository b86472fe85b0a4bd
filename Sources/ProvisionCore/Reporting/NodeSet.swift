/// Folds host names into a compact node set, as clustershell does: `red01 red02 red03 red05`
/// becomes `red[01-03,05]`.
///
/// The last run of digits in a name is the index; names sharing the text around it fold
/// together. Zero padding is kept: `red01` and `red1` are different hosts, but `red10` joins a
/// padded `red[08-10]`. Several prefixes give several folded parts joined by commas. Cost is
/// O(n log n) in the number of names.
public struct NodeSet: Sendable, CustomStringConvertible {
    public private(set) var names: [String]

    public init<S: Sequence>(_ names: S) where S.Element == String { self.names = Array(names) }

    public var count: Int { names.count }

    /// The folded text, e.g. `red[01-03,05],blue7`.
    public var description: String { Self.fold(names) }

    private struct Key: Hashable {
        var prefix: Substring
        var suffix: Substring
        var width: Int
    }

    /// Folds `names` (duplicates removed). Parts come in order of each part's first name.
    public static func fold(_ names: [String]) -> String {
        var plain: [String] = []
        var order: [Key] = []
        var numbers: [Key: [(value: Int, text: Substring)]] = [:]
        var padded: [Key: Set<Int>] = [:]  // widths seen with zero padding, per prefix/suffix
        var parsed: [(Key, Int, Substring)] = []
        var seen = Set<String>()
        for name in names where seen.insert(name).inserted {
            guard let (prefix, digits, suffix) = split(name), let value = Int(digits), digits.count < 19 else {
                plain.append(name)
                continue
            }
            let width = digits.count > 1 && digits.hasPrefix("0") ? digits.count : 0
            let key = Key(prefix: prefix, suffix: suffix, width: width)
            if width > 0 { padded[Key(prefix: prefix, suffix: suffix, width: 0), default: []].insert(width) }
            parsed.append((key, value, digits))
        }
        for (var key, value, digits) in parsed {
            // An unpadded number as wide as a padded set of the same prefix joins it.
            if key.width == 0, padded[key]?.contains(digits.count) == true { key.width = digits.count }
            if numbers[key] == nil { order.append(key) }
            numbers[key, default: []].append((value, digits))
        }
        var parts: [String] = []
        for key in order {
            guard let list = numbers[key] else { continue }
            if list.count == 1, let only = list.first {
                parts.append(String(key.prefix) + String(only.text) + String(key.suffix))
                continue
            }
            let values = list.map(\.value).sorted()
            parts.append(String(key.prefix) + "[" + ranges(values, width: key.width) + "]" + String(key.suffix))
        }
        return (parts + plain).joined(separator: ",")
    }

    /// `[1,2,3,5]` → `1-3,5`, each number padded to `width`.
    static func ranges(_ sorted: [Int], width: Int) -> String {
        func pad(_ n: Int) -> String {
            let s = String(n)
            return s.count < width ? String(repeating: "0", count: width - s.count) + s : s
        }
        var out: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1] == sorted[j] + 1 { j += 1 }
            out.append(i == j ? pad(sorted[i]) : pad(sorted[i]) + "-" + pad(sorted[j]))
            i = j + 1
        }
        return out.joined(separator: ",")
    }

    /// Splits a name around its last run of ASCII digits.
    static func split(_ name: String) -> (Substring, Substring, Substring)? {
        let u = name.utf8
        guard let lastDigit = u.lastIndex(where: { $0 >= 48 && $0 <= 57 }) else { return nil }
        var start = lastDigit
        while start > u.startIndex {
            let prev = u.index(before: start)
            guard u[prev] >= 48 && u[prev] <= 57 else { break }
            start = prev
        }
        let end = u.index(after: lastDigit)
        return (name[..<start], name[start..<end], name[end...])
    }
}
