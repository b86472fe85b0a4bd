import Foundation

/// A number read from a value, for arithmetic and comparisons.
enum TemplateNumber {
    case int(Int)
    case double(Double)

    var double: Double {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        }
    }

    var value: Value {
        switch self {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        }
    }

    /// Parses a numeric string (`"42"`, `"1.10"`, `" 3 "`); nil for anything else.
    init?(parsing s: String) {
        let t = s.trimmingCharacters(in: .whitespaces)
        if let i = Int(t) { self = .int(i); return }
        guard !t.isEmpty, t.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), let d = Double(t) else { return nil }
        self = .double(d)
    }
}
