/// Host results of one task folded together: hosts with the same status, message and output
/// tail share one line under their node set (`ok: red[01-04]`).
public struct RunOutcomeGroup: Sendable {
    public var status: TaskStatus
    public var ignored: Bool
    public var message: String?
    public var outputTail: String?
    public var delegatedTo: String?
    public var hosts: [String]

    /// Groups in status order (ok, changed, skipped, failed, unreachable), each group's hosts in
    /// the order given.
    /// `showMessages`: keep the one-line messages of successful results (`debug` output);
    /// otherwise only failures carry theirs, so hosts whose module said something host-specific
    /// (a path) still fold together.
    public static func fold(_ results: [TaskHostResult], showMessages: Bool = true) -> [RunOutcomeGroup] {
        var groups: [RunOutcomeGroup] = []
        for r in results {
            let failing = r.status == .failed || r.status == .unreachable
            let message = failing || (showMessages && r.items.isEmpty) ? r.message : nil
            if let i = groups.firstIndex(where: {
                $0.status == r.status && $0.ignored == r.ignored && $0.message == message
                    && $0.outputTail == r.outputTail && $0.delegatedTo == r.delegatedTo
            }) {
                groups[i].hosts.append(r.host)
            } else {
                groups.append(RunOutcomeGroup(status: r.status, ignored: r.ignored, message: message,
                                              outputTail: r.outputTail, delegatedTo: r.delegatedTo, hosts: [r.host]))
            }
        }
        return groups.enumerated().sorted { a, b in
            a.element.status == b.element.status ? a.offset < b.offset : a.element.status < b.element.status
        }.map(\.element)
    }

    /// Diffs folded by identical text: each distinct diff with the hosts that produced it.
    public static func foldDiffs(_ results: [TaskHostResult]) -> [(hosts: [String], diff: String)] {
        var out: [(hosts: [String], diff: String)] = []
        for r in results where !r.diffs.isEmpty {
            let text = r.diffs.joined(separator: "\n")
            if let i = out.firstIndex(where: { $0.diff == text }) { out[i].hosts.append(r.host) }
            else { out.append(([r.host], text)) }
        }
        return out
    }
}
