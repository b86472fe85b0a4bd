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
        .init("filter", .list), .init("fact_path", .string),
    ])

    public var timeout: Int
    public var filter: [String]
    public var subsets: Set<String>
    /// `gather_subset` as written: Ansible reports it back unchanged.
    public var askedSubsets: [String]
    /// Where `*.fact` files are read for `ansible_local`.
    public var factPath: String?

    /// The subsets provision gathers, and which facts belong to each besides `min`.
    static let hardwareFacts: Set<String> = ["memtotal_mb", "memfree_mb", "swaptotal_mb", "processor", "processor_count",
                                             "processor_cores", "processor_threads_per_core", "processor_vcpus",
                                             "processor_nproc", "device_model", "pi_model", "is_raspberry_pi",
                                             "cgroup_version", "cgroup_memory", "swapfree_mb", "memory_mb",
                                             "uptime_seconds", "devices", "device_links", "mounts", "lvm",
                                             "bios_date", "bios_vendor", "bios_version", "board_asset_tag", "board_name",
                                             "board_serial", "board_vendor", "board_version", "chassis_asset_tag",
                                             "chassis_serial", "chassis_vendor", "chassis_version", "form_factor",
                                             "product_name", "product_serial", "product_uuid", "product_version",
                                             "system_vendor"]
    static let networkFacts: Set<String> = ["default_ipv4", "default_ipv6", "all_ipv4_addresses", "all_ipv6_addresses",
                                            "interfaces", "fibre_channel_wwn", "hostnqn", "iscsi_iqn"]
    static let virtualFacts: Set<String> = ["virtualization_type", "virtualization_role", "virtualization_tech_guest",
                                            "virtualization_tech_host"]
    static let known: Set<String> = ["all", "min", "hardware", "network", "virtual", "ohai", "facter"]

    public init(arguments args: ModuleArguments) throws {
        timeout = try args.int("gather_timeout") ?? 60
        filter = try args.stringList("filter") ?? []
        askedSubsets = try args.stringList("gather_subset") ?? ["all"]
        subsets = try Self.subsets(askedSubsets)
        factPath = try args.string("fact_path")
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
        let facts = try FactGatherer.gather(on: context.transport, become: context.become, timeout: TimeInterval(timeout),
                                            factPath: factPath)
        let all = facts.unprefixed
        let interfaces = Set((all["interfaces"]?.listValue ?? []).compactMap {
            $0.stringValue?.replacingOccurrences(of: "-", with: "_")
        })
        var bare = all.filter { key, _ in
            if Self.hardwareFacts.contains(key) { return subsets.contains("hardware") }
            if Self.networkFacts.contains(key) || interfaces.contains(key) { return subsets.contains("network") }
            if Self.virtualFacts.contains(key) { return subsets.contains("virtual") }
            return subsets.contains("min")
        }
        bare["module_setup"] = true
        bare["gather_subset"] = .list(askedSubsets.map(Value.string))
        if !filter.isEmpty {
            bare = bare.filter { key, _ in
                filter.contains { fnmatch($0, "ansible_" + key, 0) == 0 || fnmatch($0, key, 0) == 0 }
            }
        }
        var values: [String: Value] = [:]
        for (k, v) in bare { values[k.hasPrefix("ansible_") ? k : "ansible_" + k] = v }
        // Ansible's marker that setup ran: inside ansible_facts only, never a variable of its own.
        bare["_ansible_facts_gathered"] = true
        values["ansible_facts"] = .dict(bare)
        var r = ModuleResult.ok([SetFactModule.factsKey: .dict(values)])
        // Ansible warns about each local fact file it could not run or read.
        r.warnings = (all["ansible_local"]?.dictValue ?? [:]).compactMap { _, v in
            guard let s = v.stringValue, s.hasPrefix("Failure executing fact script") || s.hasPrefix("error loading facts") else { return nil }
            return s
        }
        r.effects.facts = values
        return r
    }
}
