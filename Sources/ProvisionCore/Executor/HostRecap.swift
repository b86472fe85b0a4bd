/// Per-host counters for the recap, as Ansible counts them: `ok` includes changed tasks.
public struct HostRecap: Sendable, Equatable {
    public var ok = 0
    public var changed = 0
    public var failed = 0
    public var unreachable = 0
    public var skipped = 0
    public var rescued = 0
    public var ignored = 0

    public init() {}

    mutating func count(_ r: TaskHostResult) {
        switch r.status {
        case .ok: ok += 1
        case .changed: ok += 1; changed += 1
        case .skipped: skipped += 1
        // An ignored failure counts as ok too, as Ansible's recap does.
        case .failed: if r.ignored { ignored += 1; ok += 1 } else { failed += 1 }
        case .unreachable: unreachable += 1
        }
    }
}

/// The end of a run: per-host counters in inventory order, time, and the exit status.
public struct RunRecap: Sendable {
    public var hosts: [(name: String, recap: HostRecap)]
    public var duration: Double
    public var interrupted: Bool
    /// An error that stopped the run (Ansible's ERROR!): the run exits 1.
    public var error: String?

    public init(hosts: [(name: String, recap: HostRecap)], duration: Double, interrupted: Bool) {
        self.hosts = hosts
        self.duration = duration
        self.interrupted = interrupted
    }

    /// Hosts that failed or were unreachable (for `.provision/last-failed`).
    public var failedHosts: [String] {
        hosts.filter { $0.recap.failed > 0 || $0.recap.unreachable > 0 }.map(\.name)
    }

    /// 0 ok; 2 a host failed; 4 a host unreachable (or-ed); 130 interrupted; 1 a run error.
    public var exitCode: Int32 {
        if error != nil && !interrupted { return ExitStatus.usageOrLoadError }
        return ExitStatus.forRun(failed: hosts.contains { $0.recap.failed > 0 },
                          unreachable: hosts.contains { $0.recap.unreachable > 0 },
                          interrupted: interrupted)
    }
}
