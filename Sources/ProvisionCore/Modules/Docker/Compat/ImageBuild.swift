import Foundation

/// One image build on the node with the `docker` CLI, as `docker_image` (`source: build`, the
/// engine's classic builder) and `docker_image_build` (BuildKit through `docker buildx`) do it.
/// The build context is a directory on the node (or a URL the engine fetches), as in the
/// collection, where the module runs on the target host.
struct ImageBuild {
    var name: String
    var tag: String
    var path: String
    var dockerfile: String?
    var cacheFrom: [String] = []
    var pull = false
    var nocache = false
    var rm = true
    var network: String?
    var etcHosts: [String: String] = [:]
    var args: [String: String] = [:]
    var target: String?
    var platforms: [String] = []
    var shmSize: Int?
    var labels: [String: String] = [:]
    /// `docker_image`'s `container_limits` (memory, memswap, cpushares, cpusetcpus).
    var containerLimits: [String: String] = [:]
    /// `docker_image_build`'s `secrets` and `outputs`, as `--secret` / `--output` values; the
    /// environment the `type: value` secrets need.
    var secrets: [String] = []
    var secretEnvironment: [String: String] = [:]
    var outputs: [String] = []
    var timeout: TimeInterval?

    static let limitKeys = ["memory": "--memory", "memswap": "--memory-swap", "cpushares": "--cpu-shares",
                            "cpusetcpus": "--cpuset-cpus"]

    /// A URL or git address the engine fetches itself; anything else is a directory on the node.
    var isRemote: Bool {
        ["http://", "https://", "git://", "github.com/", "git@"].contains { path.hasPrefix($0) }
    }

    /// The Dockerfile as `--file` takes it: relative names are relative to the context (the
    /// CLI would read them relative to its working directory).
    var dockerfilePath: String? {
        guard let d = dockerfile else { return nil }
        if d.hasPrefix("/") || isRemote { return d }
        return (path.hasSuffix("/") ? path : path + "/") + d
    }

    /// The words after `docker build` / `docker buildx build`, ending with `-- PATH`.
    func arguments(buildkit: Bool) -> [String] {
        var a = ["--tag", "\(name):\(tag)"]
        if !spacedLabels.isEmpty { a += ["--file", "-"] } else if let f = dockerfilePath { a += ["--file", f] }
        for c in cacheFrom { a += ["--cache-from", c] }
        if pull { a.append("--pull") }
        if let n = network { a += ["--network", n] }
        if nocache { a.append("--no-cache") }
        for (h, ip) in etcHosts.sorted(by: { $0.key < $1.key }) { a += ["--add-host", "\(h):\(ip)"] }
        for (k, v) in args.sorted(by: { $0.key < $1.key }) { a += ["--build-arg", "\(k)=\(v)"] }
        if let t = target { a += ["--target", t] }
        for p in platforms { a += ["--platform", p] }
        if let s = shmSize { a += ["--shm-size", String(s)] }
        for (k, v) in labels.sorted(by: { $0.key < $1.key }) where spacedLabels[k] == nil { a += ["--label", "\(k)=\(v)"] }
        if buildkit {
            a = ["--progress", "plain"] + a
            for s in secrets { a += ["--secret", s] }
            for o in outputs { a += ["--output", o] }
        } else {
            a += ["--rm=\(rm)", "--force-rm=\(rm)"]
            for (k, v) in containerLimits.sorted(by: { $0.key < $1.key }) {
                if let flag = Self.limitKeys[k] { a += [flag, v] }
            }
        }
        return a + ["--", path]
    }

    /// Labels whose key has white space, which the CLI's `--label` refuses (the API takes
    /// them): they go into a `LABEL` line after the Dockerfile, which is then read from stdin.
    var spacedLabels: [String: String] {
        labels.filter { $0.key.contains { $0.isWhitespace } }
    }

    /// The `LABEL` line for `spacedLabels`, with Dockerfile quoting.
    var labelLine: String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "LABEL " + spacedLabels.sorted { $0.key < $1.key }.map { "\(q($0.key))=\(q($0.value))" }.joined(separator: " ")
    }

    /// Fails unless the context directory (and a named Dockerfile) exists on the node.
    func checkContext(_ cli: DockerCLI, missing: String, missingDockerfile: String?) throws {
        guard !isRemote else { return }
        guard try cli.context.run("test -d \(Shell.quote(path))").succeeded else { throw ModuleError(missing) }
        if let f = dockerfilePath, let message = missingDockerfile,
           !(try cli.context.run("test -f \(Shell.quote(f))").succeeded) {
            throw ModuleError(message)
        }
    }

    /// Whether the node's CLI has the buildx plugin.
    static func hasBuildx(_ cli: DockerCLI) throws -> Bool {
        try cli.run(["buildx", "version"], timeout: 60).succeeded
    }

    /// Runs the build: BuildKit through buildx, or the engine's classic builder (which the
    /// collection's `docker_image` uses, through the API).
    func run(_ cli: DockerCLI, buildkit: Bool) throws -> CommandResult {
        let env = (buildkit ? [] : ["DOCKER_BUILDKIT=0"]) + secretEnvironment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let words = (buildkit ? ["buildx", "build"] : ["build"]) + arguments(buildkit: buildkit)
        // Secret values reach the CLI through its environment, read from stdin: never in argv
        // (not this script's either, which `ps` on the node would show).
        let exports = env.map { "export \(Shell.quote($0))\n" }.joined()
        var input = "$DOCKER \(words.map(Shell.quote).joined(separator: " ")) </dev/null"
        if !spacedLabels.isEmpty {
            guard !isRemote else { throw ModuleError("labels with white space in their names cannot be given for a remote build context through the docker CLI") }
            if target != nil { throw ModuleError("labels with white space in their names cannot be combined with target through the docker CLI (they become a LABEL line of the last stage)") }
            let file = dockerfilePath ?? ((path.hasSuffix("/") ? path : path + "/") + "Dockerfile")
            input = "{ cat -- \(Shell.quote(file)) && printf '\\n%s\\n' \(Shell.quote(labelLine)); } | $DOCKER \(words.map(Shell.quote).joined(separator: " "))"
        }
        return try cli.script("eval \"$(cat)\"\n" + input, stdin: Data(exports.utf8), timeout: timeout ?? max(cli.timeout, 1800))
    }

    /// `etc_hosts`, `args`, `labels`: booleans as docker's `true`/`false`, other scalars as text.
    static func strings(_ d: [String: Value]?, _ option: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for (k, v) in d ?? [:] {
            switch v {
            case .dict, .list: throw ModuleError("'\(option)' values must be strings, numbers or booleans ('\(k)' is not)")
            case .bool(let b): out[k] = b ? "true" : "false"
            case .null: out[k] = ""
            default: out[k] = v.renderedString
            }
        }
        return out
    }

    /// `shm_size` in bytes (`64M`, `1g`, a number of bytes).
    static func size(_ v: String?, _ option: String) throws -> Int? {
        guard let v else { return nil }
        guard let n = ContainerSpec.bytes(v) else { throw ModuleError("Failed to convert \(option) to bytes: '\(v)' is not a size") }
        return n
    }
}

extension ImageBuild {
    /// `docker_image`'s `build` suboptions and their kinds.
    static let imageModuleKeys: [String: ArgumentSpec.Kind] = [
        "cache_from": .list, "container_limits": .dict, "dockerfile": .string, "http_timeout": .int,
        "network": .string, "nocache": .bool, "path": .string, "pull": .bool, "rm": .bool, "args": .dict,
        "use_config_proxy": .bool, "target": .string, "etc_hosts": .dict, "platform": .string,
        "shm_size": .string, "labels": .dict,
    ]

    /// The build `docker_image` describes in its `build` option, checked as Ansible checks
    /// suboptions (unknown keys, types, the required `path`).
    init(imageModule b: [String: Value], name: String, tag: String) throws {
        let unknown = b.keys.filter { Self.imageModuleKeys[$0] == nil }.sorted()
        if !unknown.isEmpty {
            throw ModuleError("Unsupported parameters for (docker_image) module: \(unknown.map { "build." + $0 }.joined(separator: ", ")). Supported parameters include: \(Self.imageModuleKeys.keys.sorted().joined(separator: ", ")).")
        }
        let spec = ArgumentSpec(Self.imageModuleKeys.map { ArgumentSpec.Field($0.key, $0.value) })
        for (key, message) in spec.problems(in: b) { throw ModuleError("build.\(key ?? ""): \(message)") }
        let a = ModuleArguments(b, spec: spec)
        guard let path = try a.string("path") else {
            throw ModuleError("If \"source\" is set to \"build\", the \"build.path\" option must be specified.")
        }
        self.init(name: name, tag: tag, path: path)
        dockerfile = try a.string("dockerfile")
        cacheFrom = try a.stringList("cache_from") ?? []
        pull = try a.bool("pull") ?? false
        nocache = try a.bool("nocache") ?? false
        rm = try a.bool("rm") ?? true
        network = try a.string("network")
        etcHosts = try Self.strings(try a.dict("etc_hosts"), "build.etc_hosts")
        args = try Self.strings(try a.dict("args"), "build.args")
        target = try a.string("target")
        platforms = try a.string("platform").map { [$0] } ?? []
        shmSize = try Self.size(try a.string("shm_size"), "build.shm_size")
        labels = try Self.strings(try a.dict("labels"), "build.labels")
        for (k, v) in try a.dict("container_limits") ?? [:] {
            guard Self.limitKeys[k] != nil else { throw ModuleError("Invalid container_limits key \(k)") }
            containerLimits[k] = v.renderedString
        }
        if let t = try a.int("http_timeout") { timeout = TimeInterval(t) }
    }
}
