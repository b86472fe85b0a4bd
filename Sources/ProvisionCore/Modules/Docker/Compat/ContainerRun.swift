import Foundation

/// One `docker_container` task on one host: reads the container and its image, then makes the
/// fewest changes that reach the wanted state, recording actions and differences.
struct ContainerRun {
    let module: DockerContainerModule
    let cli: DockerCLI
    let check: Bool
    var actions: [String] = []
    var before: [String: Value] = [:]
    var after: [String: Value] = [:]
    var warnings: [String] = []

    init(module: DockerContainerModule, cli: DockerCLI, check: Bool) {
        self.module = module
        self.cli = cli
        self.check = check
    }

    var name: String { module.containerName }

    mutating func execute(diffMode: Bool) throws -> ModuleResult {
        var existing = try cli.inspect("container", name)
        // In check mode nothing is removed: the result shows the container as it still is.
        let original = existing
        before["exists"] = .bool(existing != nil)
        if module.state == "absent" {
            after["exists"] = false
            if existing != nil {
                if !check { try remove() }
                actions.append("Removed container \(name)")
            }
            return finish(container: .dict([:]), diffMode: diffMode)
        }
        after["exists"] = true
        // The image: pulled when missing, or always with pull: true.
        var imageID: String?
        var imageInfo: Value?
        if let image = module.image {
            var img = try cli.inspect("image", image)
            let isID = DockerImageModule.isID(image)
            let policy = module.extras.pull
            if !isID && policy != "never" && (img == nil || policy == "always") {
                if check {
                    // Nothing is pulled in check mode: a change is reported for a missing image
                    // (or always, with pull_check_mode_behavior: always).
                    if img == nil || module.extras.pullCheckModeAlways { actions.append("Pulled image \(image)") }
                } else {
                    let r = try cli.run(["image", "pull", "--quiet"] + (module.extras.platform.map { ["--platform", $0] } ?? []) + [image])
                    if !r.succeeded && img == nil {
                        return .failed("Error pulling image \(image) - \(SwarmInfo.excerpt(r.stderrText))")
                    }
                    let pulled = try cli.inspect("image", image)
                    if pulled?["Id"] != img?["Id"] { actions.append("Pulled image \(image)") }
                    img = pulled
                }
            }
            if img == nil && policy == "never" && !isID {
                return .failed("Cannot find image with name \(image), and pull=never")
            }
            if img == nil && !check { return .failed("Cannot find image with ID \(image)") }
            imageID = img?["Id"]?.stringValue
            imageInfo = img
        }
        if let img = imageInfo, module.extras.imageLabelMismatchFail, module.spec.comparison("labels") == "strict" {
            let extra = (img["Config"]?["Labels"]?.dictValue ?? [:]).keys.filter { module.spec.labels?[$0] == nil }.sorted()
            if !extra.isEmpty {
                return .failed("Some labels should be removed but are present in the base image. You can set image_label_mismatch to 'ignore' to ignore this error. Labels: \(extra.map { "\"\($0)\"" }.joined(separator: ", "))")
            }
        }
        if let c = existing {
            // The image's labels are part of what the container should carry: a label the task
            // once overrode and no longer names goes back to the image's value.
            var spec = module.spec
            if let labels = spec.labels, let img = imageInfo {
                spec.labels = (img["Config"]?["Labels"]?.dictValue ?? [:]).mapValues(\.renderedString).merging(labels) { $1 }
            }
            var diffs = spec.differences(c) + module.extras.differences(c, spec: module.spec, image: imageInfo)
            if let id = imageID, !module.ignoreImage, module.spec.comparison("image") != "ignore" {
                if c["Image"]?.stringValue != id {
                    diffs.append(.init(option: "image", wanted: .string(id), current: c["Image"] ?? .null))
                } else if let wanted = module.image, let named = c["Config"]?["Image"]?.stringValue, named != wanted,
                          !DockerImageModule.isID(wanted) {
                    // The same image under another name: recreated only when asked.
                    if module.extras.imageNameMismatch == "recreate" {
                        diffs.append(.init(option: "image_name", wanted: .string(wanted), current: .string(named)))
                    } else if module.extras.imageNameMismatch == nil {
                        warnings.append("The container's image name is \"\(named)\" while the task names \"\(wanted)\" (the same image); it is not recreated. Set image_name_mismatch to recreate or ignore to choose.")
                    }
                }
            }
            let rebuild = diffs.filter { !$0.updatable }
            for d in diffs { before[d.option] = d.current; after[d.option] = d.wanted }
            if module.recreate || !rebuild.isEmpty {
                if !check { try remove() }
                actions.append("Removed container \(name)")
                existing = nil
            } else if !diffs.isEmpty {
                try update(diffs)
            }
        }
        var created = false
        if existing == nil {
            guard let image = module.image else {
                return .failed("Cannot create container when image is not specified!")
            }
            if !check {
                try create(image: image)
                existing = try cli.inspect("container", name)
            }
            actions.append("Created container \(name)")
            created = true
        }
        if let c = existing, !created { try reconcileNetworks(c) }
        let running = SwarmInfo.bool(existing?["State"]?["Running"])
        var status: Int?
        switch module.state {
        case "started", "healthy":
            if !running {
                if !check { try cli.must(["container", "start", name], what: "Error starting container \(name)") }
                actions.append("Started container \(name)")
            } else if module.restart {
                if !check { try cli.must(["container", "restart", name], what: "Error restarting container \(name)") }
                actions.append("Restarted container \(name)")
            }
            if let want = module.extras.paused {
                // A new or (re)started container runs unpaused.
                let isPaused = running && !module.restart && SwarmInfo.bool(existing?["State"]?["Paused"])
                if want != isPaused {
                    if !check { try cli.must(["container", want ? "pause" : "unpause", name], what: "Error \(want ? "pausing" : "unpausing") container \(name)") }
                    actions.append("\(want ? "Paused" : "Unpaused") container \(name)")
                    before["paused"] = .bool(isPaused)
                    after["paused"] = .bool(want)
                }
            }
            if module.state == "healthy" && !check { try waitHealthy() }
            if !module.detach && !check {
                let w = try cli.must(["container", "wait", name], what: "Error waiting for container \(name)")
                status = Int(w.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        case "stopped":
            if running {
                if !check {
                    let t = module.stopTimeout.map { ["--time", String($0)] } ?? []
                    let kill = ["container", "kill"] + (module.extras.killSignal.map { ["--signal", $0] } ?? []) + [name]
                    try cli.must(module.forceKill ? kill : ["container", "stop"] + t + [name],
                                 what: "Error stopping container \(name)")
                }
                actions.append("Stopped container \(name)")
            }
        default: break
        }
        var container: Value = check ? (existing ?? original ?? .dict([:])) : (try cli.inspect("container", name) ?? .dict([:]))
        if let status {
            // An auto-removed container is gone once it exited: nothing left to read.
            let autoRemoved = module.spec.autoRemove == true
            let logs = autoRemoved ? nil : try cli.run(["container", "logs", name])
            let output = logs.map { $0.stdoutText + $0.stderrText } ?? "Cannot retrieve result as auto_remove is enabled"
            if case .dict(var d) = container { d["Output"] = .string(output); container = .dict(d) }
            if module.cleanup && !autoRemoved {
                _ = try cli.run(["container", "rm", "--force", name])
                actions.append("Removed container \(name)")
            }
            var r = finish(container: container, diffMode: diffMode)
            r.data["status"] = .int(status)
            if status != 0 {
                r.failed = true
                r.message = output.isEmpty ? "the container exited with status \(status)" : output
            }
            return r
        }
        return finish(container: container, diffMode: diffMode)
    }

    /// Waits on the node until the health check says `healthy` (a container without one counts
    /// as healthy), failing on any state but `starting`/`unhealthy` or after the timeout.
    private func waitHealthy() throws {
        let limit = module.extras.healthyWaitTimeout.map { String(Int($0.rounded(.up))) } ?? "0"
        let script = """
        n=0; d=1
        while :; do
          s=$($DOCKER container inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{end}}' \(Shell.quote(name))) || exit 3
          case "$s" in healthy|"") exit 0 ;; starting|unhealthy) ;; *) echo "$s"; exit 4 ;; esac
          if [ \(limit) -gt 0 ] && [ $n -ge \(limit) ]; then exit 5; fi
          sleep $d; n=$((n + d)); [ $d -lt 10 ] && d=$((d + 1))
        done
        """
        let r = try cli.script(script, timeout: (module.extras.healthyWaitTimeout ?? 86400) + 120)
        switch r.status {
        case 0: return
        case 4: throw ModuleError("Encontered unexpected state \"\(r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))\" while waiting for container \"\(name)\"")
        case 5: throw ModuleError("Timeout of \(module.extras.healthyWaitTimeout.map { String($0) } ?? "") seconds exceeded while waiting for container \"\(name)\"")
        default: throw ModuleError("Encontered vanished container while waiting for container \"\(name)\": \(SwarmInfo.excerpt(r.stderrText))")
        }
    }

    private func remove() throws {
        try cli.must(["container", "rm", "--force"] + (module.keepVolumes ? [] : ["--volumes"]) + [name],
                     what: "Error removing container \(name)")
    }

    private mutating func update(_ diffs: [ContainerSpec.Difference]) throws {
        var flags: [String] = []
        for d in diffs {
            switch d.option {
            case "memory": if let m = module.spec.memory { flags += ["--memory", m] }
            case "restart_policy", "restart_retries":
                if let r = module.spec.restartPolicy, !flags.contains("--restart") {
                    flags += ["--restart", r == "on-failure" && module.spec.restartRetries != nil ? "on-failure:\(module.spec.restartRetries ?? 0)" : r]
                }
            default:
                if let o = module.spec.options.first(where: { $0.option.name == d.option }), o.option.updatable {
                    flags += o.flags
                }
            }
        }
        guard !flags.isEmpty else { return }
        if !check {
            let r = try cli.run(["container", "update"] + flags + [name])
            guard r.succeeded else { throw ModuleError("Error updating container \(name) failed: \(SwarmInfo.excerpt(r.stderrText))") }
            // docker update prints the engine's warnings bare, one a line.
            collectWarnings(r.stderrText, prefixed: false)
        }
        actions.append("Updated container \(name)")
    }

    private mutating func create(image: String) throws {
        var (flags, command) = try module.spec.createArguments(name: name)
        let nets = module.networks ?? []
        // docker create attaches one network; the others are connected before the start.
        if let first = nets.first, module.spec.networkMode == nil, module.networksCLICompatible {
            flags += ["--network", first["name"]?.renderedString ?? ""] + Self.endpointFlags(first, create: true)
        }
        let r = try cli.run(["container", "create"] + flags + [image] + command)
        guard r.succeeded else {
            throw ModuleError("Error creating container failed: \(SwarmInfo.excerpt(r.stderrText.isEmpty ? r.stdoutText : r.stderrText, limit: 4000))")
        }
        collectWarnings(r.stderrText)
        let rest = (module.networksCLICompatible && module.spec.networkMode == nil) ? Array(nets.dropFirst()) : nets
        for n in rest {
            try cli.must(["network", "connect"] + Self.endpointFlags(n, create: false) + [n["name"]?.renderedString ?? "", name],
                         what: "Error connecting container \(name) to network")
        }
    }

    static func endpointFlags(_ n: [String: Value], create: Bool) -> [String] {
        var f: [String] = []
        for a in n["aliases"]?.listValue ?? [] { f += [create ? "--network-alias" : "--alias", a.renderedString] }
        if let ip = n["ipv4_address"]?.stringValue { f += ["--ip", ip] }
        if let ip = n["ipv6_address"]?.stringValue { f += ["--ip6", ip] }
        for l in n["links"]?.listValue ?? [] { f += ["--link", l.renderedString] }
        return f
    }

    /// Connects the wanted networks the container lacks; with `comparisons: networks: strict`
    /// also disconnects the others.
    private mutating func reconcileNetworks(_ c: Value) throws {
        guard let nets = module.networks, module.spec.comparison("networks") != "ignore" else { return }
        let have = Set((c["NetworkSettings"]?["Networks"]?.dictValue ?? [:]).keys)
        let want = nets.compactMap { $0["name"]?.stringValue }
        for n in nets {
            guard let netName = n["name"]?.stringValue, !have.contains(netName) else { continue }
            if !check {
                try cli.must(["network", "connect"] + Self.endpointFlags(n, create: false) + [netName, name],
                             what: "Error connecting container \(name) to network \(netName)")
            }
            actions.append("Connected container \(name) to network \(netName)")
            before["networks.\(netName)"] = false
            after["networks.\(netName)"] = true
        }
        if module.spec.comparison("networks") == "strict" {
            for netName in have.sorted() where !want.contains(netName) {
                if !check { try cli.must(["network", "disconnect", netName, name], what: "Error disconnecting container \(name)") }
                actions.append("Disconnected container \(name) from network \(netName)")
                before["networks.\(netName)"] = true
                after["networks.\(netName)"] = false
            }
        }
    }

    /// The engine's warnings (a limit the kernel cannot apply) reach the task as the collection's do.
    private mutating func collectWarnings(_ stderr: String, prefixed: Bool = true) {
        for line in stderr.split(whereSeparator: \.isNewline) where !prefixed || line.hasPrefix("WARNING: ") {
            let text = line.hasPrefix("WARNING: ") ? line.dropFirst("WARNING: ".count) : line
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { warnings.append("Docker warning: " + text) }
        }
    }

    private func finish(container: Value, diffMode: Bool) -> ModuleResult {
        var data: [String: Value] = ["container": container, "actions": .list(actions.map(Value.string))]
        if diffMode { data["diff"] = .dict(["before": .dict(before), "after": .dict(after)]) }
        let changed = actions.contains { !$0.hasPrefix("Pulled image") }
        // Registered too, as Ansible's result carries `warnings` (the collection's tests read it).
        if !warnings.isEmpty { data["warnings"] = .list(warnings.map(Value.string)) }
        return ModuleResult(changed: changed, message: actions.last, data: data, warnings: warnings)
    }
}
