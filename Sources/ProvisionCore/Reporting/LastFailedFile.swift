import Foundation

/// `.provision/last-failed`: the hosts that failed or were unreachable in the last run, one a
/// line, so `--limit @.provision/last-failed` retries just those. Removed after a clean run.
public enum LastFailedFile {
    public static let relativePath = ".provision/last-failed"

    /// Writes `hosts` (atomically) under `directory`, or removes the file when there are none.
    public static func record(_ hosts: [String],
                              in directory: String = FileManager.default.currentDirectoryPath) {
        let path = (directory as NSString).appendingPathComponent(relativePath)
        if hosts.isEmpty {
            try? FileManager.default.removeItem(atPath: path)
            return
        }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try? Data((hosts.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
