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
        if verbose, let d = v.dictValue {
            for (k, x) in d { out[k] = x }
            if let c = out.removeValue(forKey: "CreatedAt") { out["Created"] = c }
        }
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

    /// The fields of the engine's list API that the CLI's listing lacks, from inspect output.
    static func enrich(_ entries: [Value], kind: String, cli: DockerCLI) throws -> [Value] {
        try entries.map { e in
            guard case .dict(var d) = e, let id = d["Id"]?.stringValue, let i = try cli.inspect(kind == "images" ? "image" : "container", id)
            else { return e }
            d["Labels"] = i["Config"]?["Labels"] ?? .null
            if kind == "containers" {
                d["ImageID"] = i["Image"] ?? .null
                d["State"] = i["State"]?["Status"] ?? .null
                d["Mounts"] = i["Mounts"] ?? .null
                d["HostConfig"] = .dict(["NetworkMode": i["HostConfig"]?["NetworkMode"] ?? .null])
                d["NetworkSettings"] = .dict(["Networks": i["NetworkSettings"]?["Networks"] ?? .null])
            } else {
                d["ParentId"] = i["Parent"] ?? .null
                d["RepoTags"] = i["RepoTags"] ?? .null
                d["RepoDigests"] = i["RepoDigests"] ?? .null
                d["Size"] = i["Size"] ?? .null
                d["Created"] = i["Created"] ?? .null
            }
            return .dict(d)
        }
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
            var entries = try DockerCLI.jsonLines(out).map { Self.entry(kind, $0, verbose: verbose) }
            if verbose && (kind == "containers" || kind == "images") { entries = try Self.enrich(entries, kind: kind, cli: cli) }
            data[kind] = .list(entries)
        }
        if diskUsage {
            // The verbose df lists each image, container and volume, as the engine's API does.
            let out = try cli.must(["system", "df", "--verbose", "--format", "{{json .}}"], what: "Error reading disk usage")
            guard case .dict(var du)? = try DockerCLI.jsonLines(out).first else {
                throw ModuleError("docker system df printed no disk usage")
            }
            let sizes = (du["Images"]?.listValue ?? []).map { DockerPruneModule.decimalBytes($0["UniqueSize"]?.stringValue ?? "") ?? 0 }
            let shared = (du["Images"]?.listValue ?? []).map { DockerPruneModule.decimalBytes($0["SharedSize"]?.stringValue ?? "") ?? 0 }.max() ?? 0
            du["LayersSize"] = .int(sizes.reduce(0, +) + shared)
            // Without verbose_output the collection gives the sizes only, not the lists.
            data["disk_usage"] = verbose ? .dict(du) : .dict(["LayersSize": du["LayersSize"] ?? .int(0)])
        }
        return .ok(data)
    }
}
