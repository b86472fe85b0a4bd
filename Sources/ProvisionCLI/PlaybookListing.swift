import Foundation
import ProvisionCore

/// What `--list-hosts`, `--list-tasks` and `--list-tags` print, in `ansible-playbook`'s layout
/// (hosts in inventory order rather than Ansible's arbitrary one).
struct PlaybookListing {
    var playbook: Playbook
    var path: String
    var inventory: Inventory
    /// Hosts `--limit` leaves.
    var limit: Set<String>
    /// True when `--limit` was given (without it a play's own pattern decides alone).
    var limited: Bool

    /// Resolves every play's pattern as ansible-playbook does in every listing mode and
    /// `--syntax-check`: `warnings` gets its "Could not match supplied host pattern" lines;
    /// throws what it stops on (a subscript past the end).
    func resolvePatterns(warnings: inout [String]) throws {
        // Ansible shows a warning once however many plays repeat it.
        defer { var seen = Set<String>(); warnings = warnings.filter { seen.insert($0).inserted } }
        for play in playbook.plays { _ = try hostsOf(play, warnings: &warnings) }
    }

    func render(hosts showHosts: Bool, tasks showTasks: Bool, tags showTags: Bool) -> String {
        var out = ""
        var ignored: [String] = []
        for (n, play) in playbook.plays.enumerated() {
            let name = play.name.isEmpty ? play.hosts : play.name
            out += "\n  play #\(n + 1) (\(play.hosts)): \(name)\tTAGS: [\(play.tags.joined(separator: ", "))]\n"
            if showHosts {
                let hosts = (try? hostsOf(play, warnings: &ignored)) ?? []
                out += "    pattern: ['\(play.hosts)']\n    hosts (\(hosts.count)):\n"
                for h in hosts { out += "      \(h)\n" }
            }
            let tasks = (play.preTasks + play.roles + play.tasks + play.postTasks).flatMap(\.listedTasks)
            var allTags: [String] = []
            if showTasks { out += "    tasks:\n" }
            for task in tasks {
                let tags = Self.union(task.tags, play.tags)
                allTags = Self.union(allTags, tags)
                if showTasks { out += "      \(task.displayName)\tTAGS: [\(tags.joined(separator: ", "))]\n" }
            }
            if showTags { out += "      TASK TAGS: [\(allTags.sorted().joined(separator: ", "))]\n" }
        }
        return out
    }

    static func union(_ a: [String], _ b: [String]) -> [String] { Array(Set(a).union(b)).sorted() }

    /// The play's hosts within `--limit`; none when its pattern is templated or matches nothing.
    func hostsOf(_ play: Play, warnings: inout [String]) throws -> [String] {
        guard !Templating.containsTemplate(play.hosts), let pattern = try? HostPattern(play.hosts) else { return [] }
        let r = try pattern.resolve(in: inventory)
        warnings += r.warnings
        let hosts = r.indices.map { inventory.host(at: $0) }
        return hosts.map(\.name).filter { !limited || limit.contains($0) }
    }
}
