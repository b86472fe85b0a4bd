import Foundation

extension KnownHostsFile {
    /// The warning for lines that could not be parsed, naming the file and the lines (the first
    /// few, then how many more); nil when every line was understood.
    var unparsedWarning: String? {
        guard let first = unparsedLines.first else { return nil }
        let shown = unparsedLines.prefix(5).map(String.init).joined(separator: ", ")
        let more = unparsedLines.count > 5 ? " and \(unparsedLines.count - 5) more" : ""
        let lines = unparsedLines.count == 1 ? "line \(first)" : "lines \(shown)\(more)"
        return "warning: \(path):\(first): cannot parse \(lines) of this known_hosts file "
            + "(expected 'HOSTS KEYTYPE BASE64KEY', optionally after @revoked or @cert-authority); "
            + "they are ignored"
    }

    /// Files already warned about in this process: one warning per file and run, not per host.
    private static let warned = WarnedFiles()

    /// Writes `unparsedWarning` to stderr the first time this path is seen with bad lines.
    func warnOnceAboutUnparsedLines(to write: (String) -> Void = { FileHandle.standardError.write(Data(("provision: " + $0 + "\n").utf8)) }) {
        guard let text = unparsedWarning, Self.warned.insert(path) else { return }
        write(text)
    }
}

/// A set of paths shared by every host's connecting thread.
private final class WarnedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var paths = Set<String>()

    func insert(_ path: String) -> Bool { lock.withLock { paths.insert(path).inserted } }
}
