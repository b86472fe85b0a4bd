/// Shell lines that every transport builds the same way, so they behave alike (sudo's are in
/// `SudoHandshake`).
public enum RemoteScript {
    /// `command.line` with its environment exported first, as one `sh -c` argument.
    public static func withEnvironment(_ command: RemoteCommand) -> String {
        guard !command.environment.isEmpty else { return command.line }
        let exports = command.environment.keys.sorted().map { key in
            "export \(key)=\(Shell.quote(command.environment[key] ?? ""))"
        }
        return exports.joined(separator: "; ") + "; " + command.line
    }

    /// Reads stdin into a temporary file beside `path`, sets `mode`, then renames it over
    /// `path`: readers see the old file or the new one, never half of it.
    public static func atomicWrite(path: String, mode: Int) -> String {
        let q = Shell.quote(path)
        let m = String(mode, radix: 8)
        return "umask 077; d=$(dirname \(q)) && t=$(mktemp \"$d/.provision.XXXXXX\") && "
            + "{ cat > \"$t\" && chmod \(m) \"$t\" && mv -f \"$t\" \(q); } || { rc=$?; rm -f \"$t\"; exit $rc; }"
    }
}
