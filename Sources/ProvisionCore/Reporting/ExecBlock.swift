import Foundation

/// Hosts whose `exec` results are identical (same outcome, exit status, stdout and stderr, or
/// the same reason for not running), shown once under their folded node set.
public struct ExecBlock: Sendable, Equatable {
    public var hosts: [String]
    public var status: ExecResult.Status
    public var result: CommandResult?
    public var error: String?

    public var nodeSet: String { NodeSet.fold(hosts) }

    private struct Key: Hashable {
        var status: ExecResult.Status
        var exit: Int32?
        var signal: String?
        var stdout: Data?
        var stderr: Data?
        var error: String?
    }

    /// Groups `results` into blocks in linear time: successes first, then failures, errors,
    /// unreachable and interrupted hosts; within a kind, in order of each block's first host.
    /// Hosts keep the order of `results`.
    public static func fold(_ results: [ExecResult]) -> [ExecBlock] {
        var index: [Key: Int] = [:]
        var blocks: [ExecBlock] = []
        for r in results {
            let key = Key(status: r.status, exit: r.result?.status, signal: r.result?.signal,
                          stdout: r.result?.stdout, stderr: r.result?.stderr, error: r.error)
            if let i = index[key] {
                blocks[i].hosts.append(r.host)
            } else {
                index[key] = blocks.count
                blocks.append(ExecBlock(hosts: [r.host], status: r.status, result: r.result, error: r.error))
            }
        }
        // A stable sort keeps first-appearance order within each kind.
        return blocks.enumerated().sorted { a, b in
            a.element.status == b.element.status ? a.offset < b.offset : a.element.status < b.element.status
        }.map(\.element)
    }
}
