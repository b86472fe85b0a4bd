/// `setup` (alias `gather_facts`): gathers the host's facts (`FactGatherer`, one command) and
/// returns them in `data["ansible_facts"]`: every `ansible_*` variable plus the `ansible_facts`
/// dict, ready for the executor to merge into the host's variables.
public struct SetupModule: Module {
    public static let name = "setup"
    public static let aliases = ["gather_facts"]
    public static let argumentSpec = ArgumentSpec([
        .init("gather_subset", .list), .init("gather_timeout", .int, default: 60), .init("filter", .list),
    ])

    public var timeout: Int
    public var filter: [String]

    public init(arguments args: ModuleArguments) throws {
        timeout = try args.int("gather_timeout") ?? 60
        filter = try args.stringList("filter") ?? []
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let facts = try FactGatherer.gather(on: context.transport, timeout: TimeInterval(timeout))
        var values = facts.values
        if !filter.isEmpty {
            values = values.filter { key, _ in
                filter.contains { pattern in
                    key == pattern || (pattern.hasSuffix("*") && key.hasPrefix(String(pattern.dropLast())))
                }
            }
        }
        var r = ModuleResult.ok([SetFactModule.factsKey: .dict(values)])
        r.effects.facts = values
        return r
    }
}

import Foundation
