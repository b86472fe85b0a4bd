/// Quoting for POSIX `sh`, used wherever a value reaches a remote command line.
public enum Shell {
    /// `s` as one single-quoted shell word: safe for any content.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }),
           s.unicodeScalars.allSatisfy({ $0.isASCII }) {
            return s
        }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Words joined into one command line, each quoted.
    public static func join(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }
}

import Foundation
