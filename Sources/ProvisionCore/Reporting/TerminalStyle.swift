import Foundation

/// ANSI colours, used only when writing to a terminal and `NO_COLOR` is unset.
public struct TerminalStyle: Sendable {
    public var enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colours on when `fd` is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    public static func detect(fileDescriptor fd: Int32,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return TerminalStyle(enabled: isatty(fd) == 1 && !noColor && environment["TERM"] != "dumb")
    }

    public func green(_ s: String) -> String { wrap(s, "32") }
    public func red(_ s: String) -> String { wrap(s, "31") }
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    public func magenta(_ s: String) -> String { wrap(s, "35") }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func dim(_ s: String) -> String { wrap(s, "2") }

    private func wrap(_ s: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
