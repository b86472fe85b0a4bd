import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The cluster-side lock of the swarm steps: a file on one swarm node, taken over SSH with
/// POSIX sh, so two controllers (two machines, or `--no-lock`, or two lock directories) cannot
/// both initialise or reshape one swarm. The controller-side `RunLock` cannot see a run from
/// another machine; this one lives where the change happens.
///
/// - The lock is `/run/provision/swarm.lock` (tmpfs: gone at reboot), created with `ln` of a
///   file already written, so it is atomic and never seen without its holder: controller host
///   name, pid, run id, playbook, the node's clock at creation and the lease's expiry.
/// - Re-entrant for one run (same run id): the hosts of one run that step through the same
///   node each add a holder file under `swarm.holders/`; the last one out removes the lock.
///   Commands of one run to one node go through that node's serialised transport, so these
///   updates never race each other; only different controllers race, on the `ln`.
/// - Stale when the lease the holder declared has expired (on the node's clock, so controller
///   clocks do not matter), or when the holder ran on this same controller and its process is
///   gone. A stale lock is broken under a second, short-lived `mkdir` mutex that re-checks the
///   holder, so two controllers cannot both break it and both go ahead.
/// - A controller that finds the lock held waits a bounded time, then fails naming the holder.
public struct SwarmLock {
    /// Who holds the lock, as the lock file says.
    public struct Holder: Equatable, Sendable {
        public var run: String
        public var controller: String
        public var pid: Int32
        public var playbook: String
        /// Seconds since the epoch on the node's clock.
        public var since: Int
        public var expires: Int

        public var description: String {
            let when = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(since)))
            return "provision run of \(playbook.isEmpty ? "an unnamed playbook" : playbook) (pid \(pid) on \(controller), since \(when))"
        }
    }

    /// This controller's run: who the lock file names.
    public struct Identity: Sendable {
        public var run: String
        public var controller: String
        public var pid: Int32
        public var playbook: String

        public init(run: String, controller: String, pid: Int32, playbook: String) {
            self.run = run
            self.controller = controller
            self.pid = pid
            self.playbook = playbook
        }

        /// This process: one run id for its whole life, so every step of a run is re-entrant.
        public static var current: Identity {
            Identity(run: processRun, controller: RunLock.controllerName, pid: getpid(), playbook: playbook)
        }

        private static let processRun = UUID().uuidString.lowercased()
        private static let playbookLock = NSLock()
        nonisolated(unsafe) private static var playbookPath = ""
        /// The playbook the run executes (set by `provision run`), named in the lock file.
        public static var playbook: String {
            get { playbookLock.lock(); defer { playbookLock.unlock() }; return playbookPath }
            set { playbookLock.lock(); playbookPath = newValue; playbookLock.unlock() }
        }
    }

    /// The lock is held by another run that is neither stale nor gone after the wait.
    public struct Busy: Error, CustomStringConvertible, LocalizedError {
        public let node: String
        public let holder: Holder
        public let path: String
        public let waited: TimeInterval

        public var description: String {
            "the swarm is being changed by another \(holder.description): its lock \(path) on \(node) was still held after waiting \(Int(waited)) s. Wait for that run to end and run again; if it is gone, the lock expires by itself at \(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(holder.expires)))) or can be removed with rm \(path) on \(node)"
        }
        public var errorDescription: String? { description }
    }

    /// What one attempt found.
    enum Attempt: Equatable {
        /// Taken (fresh, or re-entered by this run); `tookOver` names a stale holder replaced.
        case acquired(reentrant: Bool, tookOver: Holder?)
        /// Held by another run; `path` is where the lock file was found.
        case held(Holder, path: String)
        /// The lock changed hands under three tries in a row: try again.
        case contended
    }

    /// The node the lock is on, for messages.
    public var node: String
    public var transport: Transport
    public var become: Become?
    /// The holder within this run: the host whose step takes the lock.
    public var holderName: String
    public var identity: Identity
    /// The directory on the node; tests point it elsewhere.
    public var directory: String
    /// How long the lock stays valid without its holder releasing it.
    public var lease: TimeInterval

    public static let defaultDirectory = "/run/provision"

    public init(node: String, transport: Transport, become: Become?, holderName: String,
                identity: Identity = .current, directory: String = SwarmLock.defaultDirectory,
                lease: TimeInterval = 900) {
        self.node = node
        self.transport = transport
        self.become = become
        self.holderName = holderName
        self.identity = identity
        self.directory = directory
        self.lease = lease
    }

    public var path: String { (directory as NSString).appendingPathComponent("swarm.lock") }

    /// Takes the lock, waiting up to `wait` seconds for another run's; throws `Busy` naming
    /// the holder after that. Returns the stale holder taken over, if any (for a note).
    @discardableResult
    public func acquire(wait: TimeInterval, poll: TimeInterval = 2) throws -> Holder? {
        let start = Date()
        var breaking: String?
        while true {
            switch try attempt(breaking: breaking) {
            case .acquired(_, let tookOver):
                return tookOver
            case .contended:
                guard Date().timeIntervalSince(start) + poll <= wait else {
                    throw ModuleError("the swarm lock \(path) on \(node) kept changing hands for \(Int(wait)) s")
                }
                Thread.sleep(forTimeInterval: poll)
            case .held(let holder, let found):
                // A holder of this controller whose process is gone will never release: break
                // it now rather than waiting out its lease.
                if holder.controller == identity.controller, holder.pid != identity.pid,
                   kill(holder.pid, 0) != 0, errno == ESRCH, breaking != holder.run {
                    breaking = holder.run
                    continue
                }
                let waited = Date().timeIntervalSince(start)
                guard waited + poll <= wait else { throw Busy(node: node, holder: holder, path: found, waited: waited) }
                Thread.sleep(forTimeInterval: poll)
            }
        }
    }

    /// One try, one round trip. `breaking` is a run id known dead: its lock is broken as stale.
    func attempt(breaking: String? = nil) throws -> Attempt {
        let r = try transport.run(RemoteCommand(acquireScript(breaking: breaking), timeout: 60, become: become))
        let kv = KeyValueReport(parsing: r.stdoutText)
        if let e = kv["error"] { throw ModuleError("cannot take the swarm lock \(path) on \(node): \(e)") }
        switch kv["state"] {
        case "acquired", "reentered":
            return .acquired(reentrant: kv["state"] == "reentered", tookOver: Self.holder(kv, prefix: "stale."))
        case "held":
            guard let holder = Self.holder(kv, prefix: "holder.") else { return .contended }
            return .held(holder, path: kv["dir"].map { ($0 as NSString).appendingPathComponent("swarm.lock") } ?? path)
        default:
            throw ModuleError("cannot take the swarm lock \(path) on \(node) (exit \(r.status)): \(SwarmInfo.excerpt(r.stderrText))")
        }
    }

    /// Drops this holder; the lock goes when no holder of this run is left. A lock of another
    /// run (ours expired and was taken over) is left alone.
    public func release() throws {
        let r = try transport.run(RemoteCommand(releaseScript, timeout: 60, become: become))
        guard r.succeeded else {
            throw ModuleError("cannot release the swarm lock \(path) on \(node): \(SwarmInfo.excerpt(r.stderrText))")
        }
    }

    /// Runs `body` holding the lock, and releases it however `body` ends; `note` gets a line for
    /// a stale lock taken over and for a release that failed.
    public func holding<T>(wait: TimeInterval, note: (String) -> Void = { _ in }, _ body: () throws -> T) throws -> T {
        if let stale = try acquire(wait: wait) {
            note("took over the swarm lock on \(node) left by a stale \(stale.description)")
        }
        let value: T
        do {
            value = try body()
        } catch {
            try? release()
            throw error
        }
        if let why = releaseLeavingExpiry() { note(why) }
        return value
    }

    /// Releases after a step that went through: a failure to release (a lost connection) must
    /// not turn a done change into a failed step, so it is reported, and the lease ends it.
    public func releaseLeavingExpiry() -> String? {
        do {
            try release()
            return nil
        } catch {
            return "could not release the swarm lock \(path) on \(node) (\(error)); it expires with its lease (\(Int(lease)) s)"
        }
    }

    static func holder(_ kv: KeyValueReport, prefix: String) -> Holder? {
        guard let run = kv[prefix + "run"], !run.isEmpty else { return nil }
        return Holder(run: run, controller: kv[prefix + "controller"] ?? "", pid: Int32(kv[prefix + "pid"] ?? "") ?? 0,
                      playbook: kv[prefix + "playbook"] ?? "", since: Int(kv[prefix + "since"] ?? "") ?? 0,
                      expires: Int(kv[prefix + "expires"] ?? "") ?? 0)
    }

    /// One line, no control characters: the lock file is read back line by line.
    static func field(_ s: String) -> String {
        Shell.quote(String(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init)))
    }

    /// A file name for the holder: inventory names may hold any character.
    var holderFile: String {
        let safe = String(holderName.unicodeScalars.map { s -> Character in
            s.isASCII && (CharacterSet.alphanumerics.contains(s) || "-_.".unicodeScalars.contains(s)) ? Character(s) : "_"
        })
        return Shell.quote("h-" + safe.prefix(100))
    }

    var prelude: String {
        """
        umask 077
        d=\(Shell.quote(directory)); l="$d/swarm.lock"; h="$d/swarm.holders"; me=\(holderFile); run=\(Self.field(identity.run))
        # Without root (a docker-group user, no become) /run is closed: a per-user directory in
        # /tmp still keeps out a second controller logged in as the same user.
        if ! mkdir -p "$d" 2>/dev/null || [ ! -w "$d" ]; then
          d="/tmp/provision-swarm-$(id -u)"; l="$d/swarm.lock"; h="$d/swarm.holders"
          mkdir -p "$d" 2>/dev/null && [ -w "$d" ] || { echo "error=cannot create $d"; exit 0; }
        fi
        echo "dir=$d"
        """
    }

    /// Tries `ln` of a complete lock file; else re-enters our own run's lock, reports a live
    /// holder, or breaks a stale one under the `.break` mutex and tries again.
    func acquireScript(breaking: String?) -> String {
        """
        \(prelude)
        lease=\(Int(lease)); breaking=\(Self.field(breaking ?? ""))
        t="$d/swarm.lock.$$"; stale=
        for n in 1 2 3; do
          now=$(date +%s)
          printf 'run=%s\\ncontroller=%s\\npid=%s\\nplaybook=%s\\nsince=%s\\nexpires=%s\\n' "$run" \(Self.field(identity.controller)) \(identity.pid) \(Self.field(identity.playbook)) "$now" "$((now + lease))" > "$t" || { echo "error=cannot write $t"; exit 0; }
          if ln "$t" "$l" 2>/dev/null; then
            rm -f "$t"; rm -rf "$h"; mkdir "$h" && : > "$h/$me"
            echo state=acquired; [ -n "$stale" ] && printf '%s\\n' "$stale" | sed 's/^/stale./'
            exit 0
          fi
          rm -f "$t"
          o=$(cat "$l" 2>/dev/null) || continue
          orun=$(printf '%s\\n' "$o" | sed -n 's/^run=//p')
          if [ "$orun" = "$run" ]; then mkdir -p "$h" && : > "$h/$me"; echo state=reentered; exit 0; fi
          exp=$(printf '%s\\n' "$o" | sed -n 's/^expires=//p')
          case "$exp" in ''|*[!0-9]*) exp=0 ;; esac
          if [ "$now" -lt "$exp" ] && { [ -z "$breaking" ] || [ "$orun" != "$breaking" ]; }; then
            echo state=held; printf '%s\\n' "$o" | sed 's/^/holder./'; exit 0
          fi
          # Stale: break it only while holding the short .break mutex, and only if the lock
          # still names the holder judged stale (another controller may have replaced it).
          if mkdir "$l.break" 2>/dev/null; then
            [ "$(cat "$l" 2>/dev/null)" = "$o" ] && { rm -f "$l"; rm -rf "$h"; stale=$o; }
            rmdir "$l.break"
          else
            # A breaker that died mid-way leaves .break behind; it only ever lives for a moment.
            find "$l.break" -maxdepth 0 -mmin +1 -exec rmdir {} \\; 2>/dev/null
            echo state=held; printf '%s\\n' "$o" | sed 's/^/holder./'; exit 0
          fi
        done
        echo state=held; cat "$l" 2>/dev/null | sed 's/^/holder./'

        """
    }

    var releaseScript: String {
        """
        \(prelude)
        orun=$(sed -n 's/^run=//p' "$l" 2>/dev/null)
        [ "$orun" = "$run" ] || { echo released=0; exit 0; }
        rm -f "$h/$me"
        if [ -z "$(ls -A "$h" 2>/dev/null)" ]; then rm -rf "$h"; rm -f "$l"; echo released=1; else echo released=0; fi

        """
    }

    static var scriptsForSyntaxCheck: [(String, String)] {
        let lock = SwarmLock(node: "n", transport: LocalTransport(), become: nil, holderName: "pi1",
                             identity: Identity(run: "r", controller: "c", pid: 1, playbook: "p.yml"))
        return [("swarm-lock", lock.acquireScript(breaking: "x")), ("swarm-unlock", lock.releaseScript)]
    }
}
