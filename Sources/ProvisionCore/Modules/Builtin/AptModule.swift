/// `apt`: Debian packages present, absent or latest; cache refresh; upgrade; autoremove.
/// One remote script (`AptScript`): a host already in the desired state costs one round
/// trip and runs no apt-get at all (unless `latest`, which asks apt).
public struct AptModule: Module {
    public static let name = "apt"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("name", .list, aliases: ["pkg", "package"]),
            .init("state", choices: ["present", "absent", "latest", "installed", "removed", "build-dep", "fixed"],
                  default: "present"),
            .init("update_cache", .bool, aliases: ["update-cache"], default: false),
            .init("cache_valid_time", .int, default: 0),
            .init("purge", .bool, default: false), .init("autoremove", .bool, default: false),
            .init("upgrade", choices: ["dist", "full", "yes", "safe", "no"]),
            .init("install_recommends", .bool, aliases: ["install-recommends"]),
            .init("lock_timeout", .int, default: 60),
        ],
        requiredOneOf: [["name", "update_cache", "upgrade", "autoremove"]]
    )

    public var packages: [String]
    /// present, absent or latest.
    public var state: String
    public var updateCache: Bool
    public var cacheValidTime: Int
    public var purge: Bool
    public var autoremove: Bool
    public var upgrade: String?
    public var installRecommends: Bool?
    public var lockTimeout: Int

    public init(arguments args: ModuleArguments) throws {
        packages = try args.stringList("name") ?? []
        switch try args.string("state") ?? "present" {
        case "present", "installed": state = "present"
        case "absent", "removed": state = "absent"
        case "latest": state = "latest"
        case let s: throw ModuleError("apt state '\(s)' is not supported; use present, absent or latest")
        }
        updateCache = try args.bool("update_cache") ?? false
        cacheValidTime = try args.int("cache_valid_time") ?? 0
        // Ansible: cache_valid_time implies update_cache.
        if cacheValidTime > 0 { updateCache = true }
        purge = try args.bool("purge") ?? false
        autoremove = try args.bool("autoremove") ?? false
        let up = try args.string("upgrade")
        upgrade = (up == nil || up == "no" || up == "false") ? nil : up
        installRecommends = try args.bool("install_recommends")
        lockTimeout = try args.int("lock_timeout") ?? 60
        for p in packages where !AptOutput.isValidSpec(p) {
            throw ModuleError("'\(p)' is not a package name (NAME, NAME=VERSION or NAME:ARCH); .deb files and wildcards are not supported")
        }
    }

    /// The script with every value set, for inspection and tests.
    func script(checkMode: Bool) -> ModuleScript {
        var s = ModuleScript(AptScript.body)
        s.set("pkgs", packages.joined(separator: " "))
        s.set("state", state)
        s.set("update_cache", updateCache)
        s.set("cache_valid_time", String(cacheValidTime))
        s.set("purge", purge)
        s.set("autoremove", autoremove)
        s.set("upgrade", upgrade ?? "")
        s.set("lock_timeout", String(lockTimeout))
        s.set("recommends", installRecommends.map { $0 ? "--install-recommends" : "--no-install-recommends" } ?? "")
        s.set("check", checkMode)
        return s
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let out = try script(checkMode: context.checkMode).run(in: context)
        return interpret(out)
    }

    /// The task result from the script's output. Pure.
    func interpret(_ out: ScriptOutput) -> ModuleResult {
        let cacheUpdated = out.first("cache") == "updated"
        var data: [String: Value] = ["cache_updated": .bool(cacheUpdated), "stdout": .string(out.text)]
        data["stdout_lines"] = .list(out.text.split(separator: "\n").map { .string(String($0)) })
        if let f = out.failure { return .failed(f, data: data) }
        let actions = AptOutput.simulatedActions(out.text)
        let summary = AptOutput.summary(out.text)
        let ranApt = !out.all("run").isEmpty
        let packagesChanged = ranApt && ((summary?.changesSomething ?? false) || !actions.isEmpty)
        if !actions.isEmpty {
            data["packages"] = .list(actions.map { .string($0.package) })
        }
        // As Ansible's apt: a cache refresh is the task's change only when it is all the task
        // asks for; with packages or an upgrade, those alone decide.
        let changed = packagesChanged || (cacheUpdated && packages.isEmpty && upgrade == nil)
        var message: String?
        if packagesChanged {
            if let s = summary {
                message = "\(s.installed) installed, \(s.upgraded) upgraded, \(s.removed) removed"
            } else {
                message = actions.map { "\($0.action) \($0.package)" }.joined(separator: ", ")
            }
        } else if cacheUpdated {
            message = "cache updated"
        }
        return ModuleResult(changed: changed, message: message, data: data)
    }
}
