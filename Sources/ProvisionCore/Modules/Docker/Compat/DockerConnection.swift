/// The connection options every community.docker module takes (its `docker` doc fragment),
/// turned into the docker CLI's global flags. Without them the CLI talks to the node's own
/// engine, as the collection does through `unix:///var/run/docker.sock`.
struct DockerConnection {
    var dockerHost: String?
    var tls = false
    var validateCerts = false
    var caCert: String?
    var clientCert: String?
    var clientKey: String?
    var timeout = 60
    /// `api_version` other than `auto`: the CLI is pinned to it (`DOCKER_API_VERSION`).
    var apiVersion: String?

    /// The spec fields, with the collection's aliases.
    static let fields: [ArgumentSpec.Field] = [
        .init("docker_host", aliases: ["docker_url"]),
        .init("tls_hostname"),
        .init("api_version", aliases: ["docker_api_version"]),
        .init("timeout", .int, default: 60),
        .init("ca_path", aliases: ["ca_cert", "tls_ca_cert", "cacert_path"]),
        .init("client_cert", aliases: ["tls_client_cert", "cert_path"]),
        .init("client_key", aliases: ["tls_client_key", "key_path"]),
        .init("ssl_version"),
        .init("tls", .bool, default: false),
        .init("use_ssh_client", .bool, default: false),
        .init("validate_certs", .bool, aliases: ["tls_verify"], default: false),
        .init("debug", .bool, default: false),
    ]

    init() {}

    init(arguments a: ModuleArguments) throws {
        dockerHost = try a.string("docker_host")
        tls = try a.bool("tls") ?? false
        validateCerts = try a.bool("validate_certs") ?? false
        caCert = try a.string("ca_path")
        clientCert = try a.string("client_cert")
        clientKey = try a.string("client_key")
        timeout = try a.int("timeout") ?? 60
        if let v = try a.string("api_version"), v != "auto" { apiVersion = v }
        if try a.bool("use_ssh_client") == true {
            throw ModuleError("use_ssh_client is not supported: provision already runs the docker CLI on the node over SSH; leave docker_host unset to use the node's own engine")
        }
    }

    var flags: [String] {
        var out: [String] = []
        if let h = dockerHost, h != "unix:///var/run/docker.sock" { out += ["-H", h] }
        if validateCerts { out.append("--tlsverify") } else if tls { out.append("--tls") }
        if let c = caCert { out += ["--tlscacert", c] }
        if let c = clientCert { out += ["--tlscert", c] }
        if let k = clientKey { out += ["--tlskey", k] }
        return out
    }
}

/// Checks shared by the compatible modules, with the messages Ansible's argument checks give.
enum DockerArgumentChecks {
    /// Ansible's `required_if`: when `key` has `value`, all of `needed` must be set.
    static func requiredIf(_ a: ModuleArguments, _ rules: [(key: String, value: String, needed: [String])]) throws {
        for rule in rules where (try? a.string(rule.key)) == rule.value {
            let missing = rule.needed.filter { !a.has($0) }
            if !missing.isEmpty {
                throw ModuleError("\(rule.key) is \(rule.value) but all of the following are missing: \(missing.joined(separator: ", "))")
            }
        }
    }

    /// Ansible's `mutually_exclusive`.
    static func mutuallyExclusive(_ a: ModuleArguments, _ groups: [[String]]) throws {
        for g in groups {
            let given = g.filter { a.has($0) }
            if given.count > 1 { throw ModuleError("parameters are mutually exclusive: \(g.joined(separator: "|"))") }
        }
    }

    /// A string-keyed mapping of scalars (labels, env, driver options) as strings.
    static func stringMap(_ a: ModuleArguments, _ key: String) throws -> [String: String]? {
        guard let d = try a.dict(key) else { return nil }
        var out: [String: String] = [:]
        for (k, v) in d {
            switch v {
            case .dict, .list: throw ModuleError("'\(key)' values must be strings, numbers or booleans ('\(k)' is not)")
            case .bool(let b): out[k] = b ? "true" : "false"
            default: out[k] = v.renderedString
            }
        }
        return out
    }

    /// Labels: strings, integers and booleans become strings; a float (or a list or mapping) is
    /// refused with the collection's message, since `1.0` would not come back as it was written.
    static func labelMap(_ a: ModuleArguments, _ key: String) throws -> [String: String]? {
        guard let d = try a.dict(key) else { return nil }
        var out: [String: String] = [:]
        for (k, v) in d {
            switch v {
            case .double, .dict, .list, .null:
                throw ModuleError("The value \(v.renderedString) for '\(k)' of \(key) is not a string or something than can be safely converted to a string!")
            case .bool(let b): out[k] = b ? "true" : "false"
            default: out[k] = v.renderedString
            }
        }
        return out
    }

    /// A list of mappings (`ipam_config`, `mounts`, `publish`).
    static func dictList(_ a: ModuleArguments, _ key: String) throws -> [[String: Value]]? {
        guard let v = a.values[key], !v.isNull else { return nil }
        guard case .list(let items) = v else { throw ModuleError("'\(key)' must be a list of mappings") }
        return try items.map {
            guard case .dict(let d) = $0 else { throw ModuleError("'\(key)' must be a list of mappings") }
            return [String: Value](d)
        }
    }
}
