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

    func render(hosts showHosts: Bool, tasks showTasks: Bool, tags showTags: Bool) -> String {
        var out = ""
        for (n, play) in playbook.plays.enumerated() {
            let name = play.name.isEmpty ? play.hosts : play.name
            out += "\n  play #\(n + 1) (\(play.hosts)): \(name)\tTAGS: [\(play.tags.joined(separator: ", "))]\n"
            if showHosts {
                let hosts = hostsOf(play)
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
    func hostsOf(_ play: Play) -> [String] {
        guard let pattern = try? HostPattern(play.hosts), let r = try? pattern.resolve(in: inventory) else { return [] }
        let hosts = r.indices.map { inventory.host(at: $0) }
        return hosts.map(\.name).filter { !limited || limit.contains($0) }
    }
}
