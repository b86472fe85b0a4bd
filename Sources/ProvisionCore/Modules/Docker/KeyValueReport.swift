/// The machine-readable lines a module's remote script prints: `key=value`, one per line.
///
/// Scripts print facts and what they did this way, so one round trip both checks and reports.
/// The value is the rest of the line after the first `=` (it may hold spaces or `=`); a key
/// printed twice keeps every value, in order. Lines without `=` or with a key that is not a
/// plain identifier are ignored, so stray output from a tool cannot be mistaken for a report.
public struct KeyValueReport: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: String)]

    public init(parsing text: String) {
        var out: [(String, String)] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard let eq = line.firstIndex(of: "=") else { continue }
            let key = String(line[line.startIndex..<eq])
            guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") })
            else { continue }
            out.append((key, String(line[line.index(after: eq)...])))
        }
        entries = out
    }

    /// The last value printed for `key`.
    public subscript(key: String) -> String? {
        entries.last { $0.key == key }?.value
    }

    /// Every value printed for `key`, in order.
    public func all(_ key: String) -> [String] {
        entries.filter { $0.key == key }.map(\.value)
    }

    public func flag(_ key: String) -> Bool {
        self[key] == "1" || self[key] == "true" || self[key] == "yes"
    }

    public static func == (a: KeyValueReport, b: KeyValueReport) -> Bool {
        a.entries.elementsEqual(b.entries) { $0.key == $1.key && $0.value == $1.value }
    }
}
