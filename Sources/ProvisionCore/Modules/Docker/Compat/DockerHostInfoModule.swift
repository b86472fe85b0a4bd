import Foundation

/// `docker_host_info` (`community.docker.docker_host_info`): the engine's `docker info` as
/// `host_info`, and on request lists of `containers` (running, or all with `containers_all`),
/// `images`, `networks`, `volumes` (each with `*_filters`) and `disk_usage`. Without
/// `verbose_output` each list entry carries the collection's short set of fields.
/// `can_talk_to_docker` says whether the engine answered (also on failure).
public struct DockerHostInfoModule: Module {
    public static let name = "docker_host_info"
    public static let aliases = ["community.docker.docker_host_info"]
    public static let argumentSpec = ArgumentSpec([
        .init("containers", .bool, default: false), .init("containers_all", .bool, default: false),
        .init("containers_filters", .dict),
        .init("images", .bool, default: false), .init("images_filters", .dict),
        .init("networks", .bool, default: false), .init("networks_filters", .dict),
        .init("volumes", .bool, default: false), .init("volumes_filters", .dict),
        .init("disk_usage", .bool, default: false), .init("verbose_output", .bool, default: false),
    ] + DockerConnection.fields)

    var connection: DockerConnection
    var lists: [(kind: String, filters: [String])] = []
    var containersAll, diskUsage, verbose: Bool

    public init(arguments a: ModuleArguments) throws {
        connection = try DockerConnection(arguments: a)
        for kind in ["containers", "images", "networks", "volumes"] where try a.bool(kind) == true {
            lists.append((kind, DockerPruneModule.filterFlags(try a.dict(kind + "_filters"))))
        }
        containersAll = try a.bool("containers_all") ?? false
        diskUsage = try a.bool("disk_usage") ?? false
        verbose = try a.bool("verbose_output") ?? false
    }

    /// The short fields of each list entry, as the collection names them, from the CLI's.
    static let shortFields: [String: [(api: String, cli: String)]] = [
        "containers": [("Id", "ID"), ("Image", "Image"), ("Command", "Command"), ("Created", "CreatedAt"),
                       ("Status", "Status"), ("Ports", "Ports"), ("Names", "Names")],
        "images": [("Id", "ID"), ("RepoTags", "Repository"), ("Created", "CreatedAt"), ("Size", "Size")],
        "networks": [("Id", "ID"), ("Driver", "Driver"), ("Name", "Name"), ("Scope", "Scope")],
        "volumes": [("Driver", "Driver"), ("Name", "Name")],
    ]

    static func entry(_ kind: String, _ v: Value, verbose: Bool) -> Value {
        var out: [String: Value] = [:]
        if verbose, let d = v.dictValue { for (k, x) in d { out[k] = x } }
        for (api, cli) in shortFields[kind] ?? [] {
            var x = v[cli] ?? .null
            switch api {
            case "Names": x = .list((x.stringValue ?? "").split(separator: ",").map { .string("/" + $0) })
            case "RepoTags":
                let repo = v["Repository"]?.stringValue ?? "", tag = v["Tag"]?.stringValue ?? ""
                x = repo == "<none>" ? .list([]) : .list([.string("\(repo):\(tag)")])
            default: break
            }
            if verbose { out.removeValue(forKey: cli) }
            out[api] = x
        }
        return .dict(out)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        let info = try cli.run(["info", "--format", "{{json .}}"])
        guard info.succeeded, let host = Value(jsonText: info.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)),
              host["ServerErrors"] == nil || host["ServerErrors"]?.isNull == true else {
            let why = info.stderrText.isEmpty ? info.stdoutText : info.stderrText
            return .failed("Error talking to the Docker daemon: \(SwarmInfo.excerpt(why))", data: ["can_talk_to_docker": .bool(false)])
        }
        var data: [String: Value] = ["host_info": host, "can_talk_to_docker": .bool(true)]
        for (kind, filters) in lists {
            var args = [String(kind.dropLast()), "ls", "--format", "{{json .}}"]
            if kind == "containers" && containersAll { args.append("--all") }
            if kind == "containers" || kind == "images" { args.append("--no-trunc") }
            let out = try cli.must(args + filters, what: "Error listing \(kind)")
            data[kind] = .list(try DockerCLI.jsonLines(out).map { Self.entry(kind, $0, verbose: verbose) })
        }
        if diskUsage {
            let out = try cli.must(["system", "df", "--format", "{{json .}}"], what: "Error reading disk usage")
            var du: [String: Value] = [:]
            for line in try DockerCLI.jsonLines(out) {
                let type = line["Type"]?.stringValue ?? ""
                du[type.replacingOccurrences(of: " ", with: "")] = line
            }
            if let size = du["Images"]?["Size"]?.stringValue { du["LayersSize"] = .int(DockerPruneModule.decimalBytes(size) ?? 0) }
            data["disk_usage"] = .dict(du)
        }
        return .ok(data)
    }
}
