/// Text from hosts made safe to show on a terminal: control characters and escape sequences
/// are shown escaped (`\x1b[2J`, `\r`, `\x00`, `\x9b`, `\u202e`), never interpreted, so a host cannot
/// retitle the window, clear the screen or rewrite earlier lines. Newlines and tabs stay.
public enum TerminalSafe {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else { out.append(scalar); continue }
            let escaped: String
            switch scalar {
            case "\r": escaped = "\\r"
            case _ where scalar.value < 0x100: escaped = "\\x" + hex(scalar.value, width: 2)
            default: escaped = "\\u" + hex(scalar.value, width: 4)
            }
            out.append(contentsOf: escaped.unicodeScalars)
        }
        return String(out)
    }

    /// C0 controls but newline and tab, DEL, C1 controls (U+0080–U+009F, `\u009b` is a CSI),
    /// and the bidirectional overrides that reorder what the operator reads.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
