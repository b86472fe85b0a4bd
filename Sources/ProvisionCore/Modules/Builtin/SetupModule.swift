import Foundation

/// `setup` (alias `gather_facts`): gathers the host's facts (`FactGatherer`, one command) and
/// returns them in `data["ansible_facts"]`: every `ansible_*` variable plus the `ansible_facts`
/// dict, ready for the executor to merge into the host's variables.
///
/// `gather_subset` keeps Ansible's groups (`all`, `min`, `hardware`, `network`, `virtual`, and
/// `!name` to leave one out; the minimal facts always come, unless `!min`); `filter` keeps
/// the facts whose `ansible_` name matches one of its fnmatch patterns.
public struct SetupModule: Module {
    public static let name = "setup"
    public static let aliases = ["gather_facts"]
    public static let argumentSpec = ArgumentSpec([
        .init("gather_subset", .list, default: .list(["all"])), .init("gather_timeout", .int, default: 60),
        .init("filter", .list),
    ])

    public var timeout: Int
    public var filter: [String]
    public var subsets: Set<String>

    /// The subsets provision gathers, and which facts belong to each besides `min`.
    static let hardwareFacts: Set<String> = ["memtotal_mb", "memfree_mb", "swaptotal_mb", "processor", "processor_count",
                                             "processor_cores", "processor_threads_per_core", "processor_vcpus",
                                             "processor_nproc", "device_model", "pi_model", "is_raspberry_pi",
                                             "cgroup_version", "cgroup_memory"]
    static let networkFacts: Set<String> = ["default_ipv4", "all_ipv4_addresses"]
    static let known: Set<String> = ["all", "min", "hardware", "network", "virtual", "ohai", "facter"]

    public init(arguments args: ModuleArguments) throws {
        timeout = try args.int("gather_timeout") ?? 60
        filter = try args.stringList("filter") ?? []
        subsets = try Self.subsets(args.stringList("gather_subset") ?? ["all"])
    }

    /// Ansible's subset arithmetic over the groups provision knows.
    static func subsets(_ asked: [String]) throws -> Set<String> {
        var include: Set<String> = []
        var exclude: Set<String> = []
        var noMin = false
        for raw in asked {
            let s = raw.trimmingCharacters(in: .whitespaces)
            let bang = s.hasPrefix("!")
            let name = bang ? String(s.dropFirst()) : s
            guard known.contains(name) else {
                throw ModuleError("Bad subset '\(name)' given to Ansible. gather_subset options allowed: \(known.sorted().joined(separator: ", "))")
            }
            if bang {
                // `!all` leaves the minimal facts; only `!min` drops those.
                if name == "min" { noMin = true }
                exclude.formUnion(name == "all" ? ["hardware", "network", "virtual"] : [name])
            } else {
                include.formUnion(name == "all" ? ["min", "hardware", "network", "virtual"] : [name])
            }
        }
        if include.isEmpty { include = ["min", "hardware", "network", "virtual"] }
        var result = include.subtracting(exclude)
        if noMin { result.remove("min") } else { result.insert("min") }
        return result
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let facts = try FactGatherer.gather(on: context.transport, become: context.become, timeout: TimeInterval(timeout))
        var bare = facts.unprefixed.filter { key, _ in
            if Self.hardwareFacts.contains(key) { return subsets.contains("hardware") }
            if Self.networkFacts.contains(key) { return subsets.contains("network") }
            return subsets.contains("min")
        }
        bare["gather_subset"] = .list(subsets.sorted().map(Value.string))
        if !filter.isEmpty {
            bare = bare.filter { key, _ in
                filter.contains { fnmatch($0, "ansible_" + key, 0) == 0 || fnmatch($0, key, 0) == 0 }
            }
        }
        var values: [String: Value] = [:]
        for (k, v) in bare { values["ansible_" + k] = v }
        values["ansible_facts"] = .dict(bare)
        var r = ModuleResult.ok([SetFactModule.factsKey: .dict(values)])
        r.effects.facts = values
        return r
    }
}
