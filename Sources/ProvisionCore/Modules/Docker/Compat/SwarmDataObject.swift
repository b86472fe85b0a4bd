import Foundation

/// What `docker_secret` and `docker_config` share: a swarm object holding data that cannot be
/// read back, so each one made carries the label `ansible_key` (the SHA-224 of its data, as the
/// collection computes it) to tell later runs whether the data changed. A change of data,
/// labels (compared as "these at least") or template driver, or `force`, removes the object and
/// makes it again; with `rolling_versions` a new `NAME_vN` is made beside the old ones and all
/// but `versions_to_keep` are removed.
///
/// The data never reaches argv, the result or the log: `data` goes to `docker KIND create` on
/// stdin, `data_src` is read by docker on the node itself.
struct SwarmDataObject {
    /// `secret` or `config`.
    let kind: String
    var connection: DockerConnection
    var name: String
    var present: Bool
    /// The bytes of `data` (decoded when `data_is_b64`); nil when `data_src` names a file.
    var data: Data?
    var dataSource: String?
    var labels: [String: String]?
    var force: Bool
    var rolling: Bool
    var versionsToKeep: Int
    var templateDriver: String?

    static func fields(templateDriver: Bool) -> [ArgumentSpec.Field] {
        [
            .init("name", required: true),
            .init("state", choices: ["absent", "present"], default: "present"),
            .init("data"),
            .init("data_is_b64", .bool, default: false),
            .init("data_src"),
            .init("labels", .dict),
            .init("force", .bool, default: false),
            .init("rolling_versions", .bool, default: false),
            .init("versions_to_keep", .int, default: 5),
        ] + (templateDriver ? [.init("template_driver", choices: ["golang"])] : []) + DockerConnection.fields
    }

    init(kind: String, arguments a: ModuleArguments) throws {
        self.kind = kind
        try DockerArgumentChecks.mutuallyExclusive(a, [["data", "data_src"]])
        if try a.string("state") ?? "present" == "present", !a.has("data"), !a.has("data_src") {
            throw ModuleError("state is present but any of the following are missing: data, data_src")
        }
        connection = try DockerConnection(arguments: a)
        name = try a.requiredString("name")
        present = try a.string("state") != "absent"
        if let text = try a.string("data") {
            if try a.bool("data_is_b64") ?? false {
                // Python's b64decode ignores line breaks and other non-alphabet characters.
                guard let d = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
                    throw ModuleError("data is not valid Base64 although data_is_b64 is true")
                }
                data = d
            } else {
                data = Data(text.utf8)
            }
        }
        dataSource = try a.string("data_src")
        labels = try DockerArgumentChecks.labelMap(a, "labels")
        force = try a.bool("force") ?? false
        rolling = try a.bool("rolling_versions") ?? false
        versionsToKeep = try a.int("versions_to_keep") ?? 5
        templateDriver = try a.string("template_driver")
    }

    /// The result keys: `secret_id`/`secret_name` or `config_id`/`config_name`.
    var idKey: String { kind + "_id" }
    var nameKey: String { kind + "_name" }

    /// The objects this task manages, oldest version first: the one named `name`, or with
    /// `rolling_versions` every `name_vN`.
    func existing(_ cli: DockerCLI) throws -> [Value] {
        let r = try cli.script("""
        ids=$($DOCKER \(kind) ls -q --filter \(Shell.quote("name=" + name))) || exit 1
        [ -z "$ids" ] && echo '[]' || $DOCKER \(kind) inspect $ids
        """)
        guard r.succeeded, case .list(let items)? = Value(jsonText: r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return try fail("Error accessing \(kind) \(name): \(SwarmInfo.excerpt(r.stderrText))")
        }
        return Self.managed(items, name: name, rolling: rolling)
    }

    /// `items` that belong to the task (the name filter of `ls` matches prefixes), sorted by
    /// their `ansible_version` label when rolling.
    static func managed(_ items: [Value], name: String, rolling: Bool) -> [Value] {
        if !rolling { return items.filter { $0["Spec"]?["Name"]?.stringValue == name } }
        return items.filter { $0["Spec"]?["Name"]?.stringValue?.hasPrefix(name + "_v") == true }
            .enumerated().sorted { (version($0.element), $0.offset) < (version($1.element), $1.offset) }.map(\.element)
    }

    static func version(_ item: Value) -> Int {
        Int(item["Spec"]?["Labels"]?["ansible_version"]?.renderedString ?? "") ?? 0
    }

    private func fail<T>(_ message: String) throws -> T { throw ModuleError(message) }

    /// The SHA-224 of the data, computed on the node (`sha224sum`, or `openssl` where coreutils
    /// lacks it) so `data_src` is never copied off the node.
    func dataKey(_ cli: DockerCLI) throws -> String {
        let digest = "if command -v sha224sum >/dev/null 2>&1; then sha224sum; else openssl dgst -sha224 -r; fi"
        let r: CommandResult
        if let src = dataSource {
            let q = Shell.quote(src)
            r = try cli.script("[ -r \(q) ] && [ ! -d \(q) ] || { echo \"[Errno 2] No such file or directory: '\"\(q)\"'\" >&2; exit 1; }\n(\(digest)) < \(q)")
            if !r.succeeded { return try fail("Error while reading \(src): \(SwarmInfo.excerpt(r.stderrText))") }
        } else {
            r = try cli.script(digest, stdin: data ?? Data())
            if !r.succeeded { return try fail("Error hashing the \(kind) data on the node: \(SwarmInfo.excerpt(r.stderrText))") }
        }
        let hex = r.stdoutText.split(whereSeparator: { $0 == " " || $0.isNewline }).first.map(String.init) ?? ""
        guard hex.count == 56 else { return try fail("Error hashing the \(kind) data on the node: got '\(SwarmInfo.excerpt(r.stdoutText))'") }
        return hex
    }

    /// `docker KIND create` for a new object named `objectName` (labels sorted so argv is
    /// stable); the data on stdin, or the node's file.
    func createArguments(objectName: String, labels all: [String: String]) -> [String] {
        var f = [kind, "create"]
        for (k, v) in all.sorted(by: { $0.key < $1.key }) { f += ["--label", "\(k)=\(v)"] }
        if let t = templateDriver { f += ["--template-driver", t] }
        return f + ["--", objectName, dataSource ?? "-"]
    }

    /// Why an existing object must be made again (empty: it is up to date).
    func reasons(_ have: Value, key: String) -> (reasons: [String], warning: String?) {
        var out: [String] = []
        var warning: String?
        let spec = have["Spec"] ?? .null
        let haveLabels = (spec["Labels"]?.dictValue ?? [:]).mapValues(\.renderedString)
        if let k = haveLabels["ansible_key"], !k.isEmpty {
            if k != key { out.append("data") }
        } else if !force {
            let what = kind == "secret" ? "Secret" : "Config"
            warning = "'ansible_key' label not found. \(what) will not be changed unless the force parameter is set to 'true'"
        }
        if let haveDriver = spec["Templating"]?["Name"]?.stringValue, !haveDriver.isEmpty {
            if haveDriver != templateDriver { out.append("template_driver") }
        } else if templateDriver != nil {
            out.append("template_driver")
        }
        for (k, v) in labels ?? [:] where haveLabels[k] != v { out.append("labels"); break }
        if force { out.append("force") }
        return (out, warning)
    }

    func run(in context: HostContext) throws -> ModuleResult {
        let cli = DockerCLI(context: context, connection: connection)
        do { try cli.requireManager() } catch let e as ModuleError { return .failed(e.message) }
        let check = context.checkMode
        var objects = try existing(cli)
        var result = ModuleResult(data: [idKey: "", nameKey: ""])
        func remove(_ o: Value) throws {
            guard !check, let id = o["ID"]?.stringValue else { return }
            try cli.must([kind, "rm", id], what: "Error removing \(kind) \(o["Spec"]?["Name"]?.renderedString ?? id)")
        }
        if !present {
            for o in objects { try remove(o) }
            result.changed = !objects.isEmpty
            return result
        }
        let key = try dataKey(cli)
        var version = 0
        if let last = objects.last {
            result.data[idKey] = last["ID"] ?? ""
            result.data[nameKey] = last["Spec"]?["Name"] ?? ""
            let (why, warning) = reasons(last, key: key)
            if let warning { result.warnings.append(warning) }
            if why.isEmpty { return result }
            if rolling {
                version = Self.version(last)
            } else {
                for o in objects { try remove(o) }
                objects = []
            }
        }
        var labelSet = ["ansible_key": key]
        var objectName = name
        if rolling {
            version += 1
            labelSet["ansible_version"] = String(version)
            objectName = "\(name)_v\(version)"
        }
        for (k, v) in labels ?? [:] { labelSet[k] = v }
        result.changed = true
        result.data[nameKey] = .string(objectName)
        result.data[idKey] = .null
        if !check {
            let out = try cli.must(createArguments(objectName: objectName, labels: labelSet),
                                   stdin: dataSource == nil ? (data ?? Data()) : nil, what: "Error creating \(kind)")
            let id = out.trimmingCharacters(in: .whitespacesAndNewlines)
            result.data[idKey] = .string(id)
            objects.append(.dict(["ID": .string(id)]))
            // Old versions beyond versions_to_keep go, oldest first (-1 keeps them all).
            if rolling && versionsToKeep >= 0 {
                while objects.count > max(versionsToKeep, 1) { try remove(objects.removeFirst()) }
            }
        }
        return result
    }
}
