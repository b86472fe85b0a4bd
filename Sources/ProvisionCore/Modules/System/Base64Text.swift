import Foundation

/// Text a script printed as base64 on one status line (file content with newlines).
enum Base64Text {
    static func decode(_ s: String) -> String {
        guard let d = Data(base64Encoded: s) else { return "" }
        return String(decoding: d, as: UTF8.self)
    }
}
