import Foundation

/// `docker_prune` (`community.docker.docker_prune`): removes stopped containers, unused images,
/// networks, volumes and build cache, each when asked (with its `*_filters`). Returns what was
/// removed (`containers`, `images`, `networks`, `volumes`, `builder_cache_caches_deleted`) and
/// the space reclaimed in bytes; changed when anything was removed. No check mode, as in the
/// collection.
public struct DockerPruneModule: Module {
    public static let name = "docker_prune"
    public static let aliases = ["community.docker.docker_prune"]
    public static let supportsCheckMode = false
    public static let argumentSpec = ArgumentSpec([
        .init("containers", .bool, default: false), .init("containers_filters", .dict),
        .init("images", .bool, default: false), .init("images_filters", .dict),
        .init("networks", .bool, default: false), .init("networks_filters", .dict),
        .init("volumes", .bool, default: false), .init("volumes_filters", .dict),
        .init("builder_cache", .bool, default: false), .init("builder_cache_all", .bool, default: false),
        .init("builder_cache_filters", .dict), .init("builder_cache_keep_storage"),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    /// (kind, its filter flags) for each kind asked for, in the collection's order.
    var kinds: [(kind: String, filters: [String])] = []
    var builderAll = false
    var keepStorage: String?

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        for kind in ["containers", "images", "networks", "volumes", "builder_cache"] where try a.bool(kind) == true {
            kinds.append((kind, try Self.filterFlags(a.dict(kind + "_filters"))))
        }
        builderAll = try a.bool("builder_cache_all") ?? false
        keepStorage = try a.string("builder_cache_keep_storage")
    }

    /// `--filter k=v` for each filter; a list gives one flag per element, booleans are lower case.
    static func filterFlags(_ d: [String: Value]?) -> [String] {
        var out: [String] = []
        for (k, v) in (d ?? [:]).sorted(by: { $0.key < $1.key }) {
            let values: [Value] = v.listValue ?? [v]
            for x in values {
                if case .bool(let b) = x { out += ["--filter", "\(k)=\(b ? "true" : "false")"] } else { out += ["--filter", "\(k)=\(x.renderedString)"] }
            }
        }
        return out
    }

    /// The IDs or names listed under `Deleted …:` and the bytes of `Total reclaimed space: …`.
    public static func parse(_ out: String) -> (items: [String], bytes: Int) {
        var items: [String] = [], bytes = 0, inList = false
        for raw in out.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("Deleted ") && line.hasSuffix(":") { inList = true; continue }
            if line.hasPrefix("Total reclaimed space:") || line.hasPrefix("Total:") {
                let size = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                bytes = decimalBytes(size) ?? 0
                inList = false
                continue
            }
            if line.isEmpty || line.hasPrefix("ID") && line.contains("RECLAIMABLE") { continue }
            if inList { items.append(line) }
        }
        return (items, bytes)
    }

    /// `1.2kB`, `3MB`, `0B` as docker prints sizes (powers of 1000).
    public static func decimalBytes(_ s: String) -> Int? {
        let units: [(String, Double)] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3), ("KB", 1e3), ("B", 1)]
        for (u, m) in units where s.hasSuffix(u) {
            return Double(s.dropLast(u.count).trimmingCharacters(in: .whitespaces)).map { Int(($0 * m).rounded()) }
        }
        return Int(s)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        var data: [String: Value] = [:]
        var changed = false
        for (kind, filters) in kinds {
            var args: [String]
            switch kind {
            case "builder_cache":
                args = ["builder", "prune", "--force"] + (builderAll ? ["--all"] : []) + (keepStorage.map { ["--keep-storage", $0] } ?? [])
            default: args = [String(kind.dropLast()), "prune", "--force"]
            }
            let out = try cli.must(args + filters, what: "Error pruning \(kind)")
            let (items, bytes) = Self.parse(out)
            changed = changed || !items.isEmpty
            switch kind {
            case "images":
                data["images"] = .list(items.map { line in
                    let p = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    return p.count == 2 ? .dict([p[0].capitalized: .string(p[1])]) : .string(line)
                })
                data["images_space_reclaimed"] = .int(bytes)
            case "builder_cache":
                data["builder_cache_caches_deleted"] = .list(items.map(Value.string))
                data["builder_cache_space_reclaimed"] = .int(bytes)
                changed = changed || bytes > 0
            default:
                data[kind] = .list(items.map(Value.string))
                if kind != "networks" { data[kind + "_space_reclaimed"] = .int(bytes) }
            }
        }
        return ModuleResult(changed: changed, message: nil, data: data)
    }
}
