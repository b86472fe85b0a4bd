import Foundation

/// Shell lines that every transport builds the same way, so they behave alike (sudo's are in
/// `SudoHandshake`).
public enum RemoteScript {
    /// A command's script and stdin with its environment applied: the exports travel as the
    /// first line of stdin, which the script reads and evaluates before anything else, so
    /// values never appear in an argv (`ps` shows the command line to every user of a host).
    ///
    /// Throws `TransportError(.failed)` for a name sh cannot export or a value holding a NUL.
    public static func withEnvironment(_ command: RemoteCommand, host: String) throws -> (script: String, stdin: Data?) {
        guard !command.environment.isEmpty else { return (command.line, command.stdin) }
        var exports = "__pv_nl=$(printf '\\n_'); __pv_nl=${__pv_nl%_}; "
        for name in command.environment.keys.sorted() {
            let value = command.environment[name] ?? ""
            guard isName(name) else {
                throw TransportError(.failed, host: host, "environment variable name \(Shell.quote(name)) is not valid in sh")
            }
            guard !value.unicodeScalars.contains("\0") else {
                throw TransportError(.failed, host: host, "the value of environment variable \(name) contains a NUL character")
            }
            exports += "export \(name)=\(oneLine(value)); "
        }
        exports += "unset __pv_nl\n"
        var stdin = Data(exports.utf8)
        if let input = command.stdin { stdin.append(input) }
        // `read` takes one byte at a time from a pipe, so the command's own input stays unread.
        let script = "IFS= read -r __pv_env || exit 125; eval \"$__pv_env\"; unset __pv_env; " + command.line
        return (script, stdin)
    }

    /// `value` quoted for sh on a single line: newlines come from `$__pv_nl`.
    static func oneLine(_ value: String) -> String {
        let quoted = Shell.quote(value)
        guard quoted.unicodeScalars.contains("\n") else { return quoted }
        var out = String.UnicodeScalarView()
        for scalar in quoted.unicodeScalars {
            if scalar == "\n" { out.append(contentsOf: "'\"$__pv_nl\"'".unicodeScalars) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// Whether sh can export `name`: a letter or `_`, then letters, digits and `_` (ASCII).
    public static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic)
            || ("0"..."9").contains($0) }
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
