import Foundation

/// Ends, on a host, the commands a transport started, from outside the command's own session:
/// after a second Ctrl-C, while the session is still busy waiting for them.
///
/// Every command runs with `PROVISION_CMD=<token>` exported before anything else, so every
/// process it starts (an `exec`, a child, a grandchild that left the process group) inherits
/// the token in its environment; ending the command signals every process whose environment
/// holds it, TERM and then KILL. (sudo resets the environment: under become the token is
/// exported again inside sudo's shell.)
public protocol CommandEndingTransport: Transport {
    /// Ends the command running now, if any, through a fresh connection; waits at most
    /// `timeout` seconds. Never throws: the host may be gone.
    func endRunningCommand(timeout: TimeInterval)
}

extension RemoteScript {
    /// A token naming one command's processes.
    public static func makeCommandToken() -> String {
        "pv" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
    }

    /// The export that marks a command's processes with `token` (put first in its script).
    public static func markProcesses(_ token: String) -> String {
        "PROVISION_CMD=\(token); export PROVISION_CMD; "
    }

    /// Signals every process whose environment or arguments hold `token` (a sudo still
    /// waiting for its password carries it in its arguments only): TERM, up to 2 s of grace,
    /// then KILL. The needle is joined only inside the shell, so this script's own processes
    /// never match. Reading another user's environment needs that user (or root): run it with
    /// the command's become.
    public static func endProcesses(_ token: String) -> String {
        """
        n1=PROVISION_CMD=; n2=\(token); me=$$
        pv_find() { for d in /proc/[0-9]*; do p=${d#/proc/}; [ "$p" = "$me" ] && continue; \
        e=$(tr '\\0' ' ' < "$d/environ" 2>/dev/null; tr '\\0' ' ' < "$d/cmdline" 2>/dev/null); \
        case "$e" in *"$n1$n2"*) echo "$p";; esac; done; }
        p=$(pv_find); [ -z "$p" ] && exit 0; kill -TERM $p 2>/dev/null
        i=0; while [ $i -lt 10 ]; do sleep 0.2; p=$(pv_find); [ -z "$p" ] && exit 0; i=$((i+1)); done
        kill -KILL $p 2>/dev/null; exit 0
        """
    }
}
