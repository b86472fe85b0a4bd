/// Shell lines that every transport builds the same way, so they behave alike.
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

    /// The sudo prefix for `become`. `prompt` is a unique string sudo prints before it reads a
    /// password on stdin (`-S`); with no password `-n` makes sudo fail at once instead of waiting.
    public static func sudo(_ become: Become, prompt: String) -> String {
        let user = become.user == "root" ? "" : " -u \(Shell.quote(become.user))"
        if become.password != nil {
            return "sudo -S -p \(Shell.quote(prompt))\(user) -H --"
        }
        return "sudo -n\(user) -H --"
    }

    /// The command line run through sudo. With a password, the command first prints `marker`
    /// on stderr, so the caller knows sudo has let it run and stdin now belongs to it.
    public static func becomeLine(_ script: String, become: Become, prompt: String, marker: String) -> String {
        let inner = become.password == nil ? script : "echo \(Shell.quote(marker)) >&2; " + script
        return sudo(become, prompt: prompt) + " /bin/sh -c " + Shell.quote(inner)
    }

    /// Messages sudo prints when it cannot run the command, mapped to what the user should know.
    public static func becomeFailure(stderr: String) -> String? {
        if stderr.contains("a password is required") || stderr.contains("a terminal is required") {
            return "sudo needs a password on this host: use --ask-become-pass (or PROVISION_BECOME_PASSWORD)"
        }
        if stderr.contains("incorrect password attempt") || stderr.contains("Sorry, try again") {
            return "incorrect sudo password"
        }
        if stderr.contains("is not in the sudoers file") || stderr.contains("is not allowed to execute") {
            return "the user may not run commands with sudo on this host"
        }
        return nil
    }
}
