/// `apt`: Debian packages present, absent, latest, fixed or their build dependencies; a local
/// or downloaded `.deb`; cache refresh; upgrade; autoremove, autoclean, clean — Ansible's `apt`
/// arguments. One remote script (`AptScript`): a host already in the desired state costs one
/// round trip and runs no apt-get at all (unless `latest`, which asks apt).
public struct AptModule: Module {
    public static let name = "apt"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("name", .list, aliases: ["pkg", "package"]),
            .init("state", choices: ["present", "absent", "latest", "installed", "removed", "build-dep", "fixed"],
                  default: "present"),
            .init("update_cache", .bool, aliases: ["update-cache"]),
            .init("update_cache_retries", .int, default: 5),
            .init("update_cache_retry_max_delay", .int, default: 12),
            .init("cache_valid_time", .int, default: 0),
            .init("purge", .bool, default: false), .init("autoremove", .bool, default: false),
            .init("autoclean", .bool, default: false), .init("clean", .bool, default: false),
            .init("fail_on_autoremove", .bool, default: false),
            .init("upgrade", choices: ["dist", "full", "yes", "safe", "no"], default: "no"),
            .init("install_recommends", .bool, aliases: ["install-recommends"]),
            .init("deb"),
            .init("default_release", aliases: ["default-release"]),
            .init("force", .bool, default: false),
            .init("only_upgrade", .bool, default: false),
            .init("allow_unauthenticated", .bool, aliases: ["allow-unauthenticated"], default: false),
            .init("allow_downgrade", .bool, aliases: ["allow-downgrade", "allow_downgrades", "allow-downgrades"], default: false),
            .init("allow_change_held_packages", .bool, default: false),
            .init("dpkg_options", default: "force-confdef,force-confold"),
            .init("policy_rc_d", .int),
            .init("force_apt_get", .bool, default: false),
            .init("lock_timeout", .int, default: 60),
        ],
        requiredOneOf: [["name", "deb", "update_cache", "upgrade", "autoremove", "autoclean", "clean"]],
        mutuallyExclusive: [["deb", "name", "upgrade"]]
    )

    public var packages: [String]
    /// present, absent, latest, fixed or build-dep.
    public var state: String
    public var updateCache: Bool
    public var cacheValidTime: Int
    public var retries: Int
    public var purge: Bool
    public var autoremove: Bool
    public var autoclean: Bool
    public var clean: Bool
    public var failOnAutoremove: Bool
    public var upgrade: String?
    public var installRecommends: Bool?
    public var deb: String?
    public var defaultRelease: String?
    public var force: Bool
    public var onlyUpgrade: Bool
    public var allowUnauthenticated: Bool
    public var allowDowngrade: Bool
    public var allowChangeHeld: Bool
    public var dpkgOptions: [String]
    public var policyRcD: Int?
    public var lockTimeout: Int

    public init(arguments args: ModuleArguments) throws {
        packages = (try args.stringList("name") ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        switch try args.string("state") ?? "present" {
        case "present", "installed": state = "present"
        case "absent", "removed": state = "absent"
        case let s: state = s
        }
        cacheValidTime = try args.int("cache_valid_time") ?? 0
        // Ansible: cache_valid_time implies update_cache.
        updateCache = try args.bool("update_cache") ?? false || cacheValidTime > 0
        retries = max(1, try args.int("update_cache_retries") ?? 5)
        purge = try args.bool("purge") ?? false
        autoremove = try args.bool("autoremove") ?? false
        autoclean = try args.bool("autoclean") ?? false
        clean = try args.bool("clean") ?? false
        failOnAutoremove = try args.bool("fail_on_autoremove") ?? false
        let up = try args.string("upgrade")
        upgrade = (up == nil || up == "no" || up == "false") ? nil : up
        installRecommends = try args.bool("install_recommends")
        deb = try args.string("deb")
        // Empty is unset, as Ansible's `if p['default_release']` (roles default it to "").
        defaultRelease = try args.string("default_release").flatMap { $0.isEmpty ? nil : $0 }
        force = try args.bool("force") ?? false
        onlyUpgrade = try args.bool("only_upgrade") ?? false
        allowUnauthenticated = try args.bool("allow_unauthenticated") ?? false
        allowDowngrade = try args.bool("allow_downgrade") ?? false
        allowChangeHeld = try args.bool("allow_change_held_packages") ?? false
        dpkgOptions = (try args.string("dpkg_options") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        policyRcD = try args.int("policy_rc_d")
        lockTimeout = try args.int("lock_timeout") ?? 60
        for p in packages where !AptOutput.isValidSpec(p) {
            throw ModuleError("'\(p)' is not a package spec (NAME, NAME=VERSION, NAME:ARCH, a glob like 'nginx*', or '*' with state latest)")
        }
        for p in packages where p.filter({ $0 == "=" }).count > 1 { throw ModuleError("invalid package spec: \(p)") }
        if packages.contains("*") && state == "latest" && packages.count > 1 {
            throw ModuleError("unable to install additional packages when upgrading all installed packages")
        }
        if deb != nil && state != "present" { throw ModuleError("deb only supports state=present") }
        for o in dpkgOptions where o.range(of: "^[a-z][a-z-]*(=[A-Za-z0-9,_-]+)?$", options: .regularExpression) == nil {
            throw ModuleError("'\(o)' is not a dpkg option (like force-confold)")
        }
        if let r = defaultRelease, r.range(of: "^[A-Za-z0-9.+~_/-]+$", options: .regularExpression) == nil {
            throw ModuleError("'\(r)' is not a release name")
        }
    }

    /// Options for every apt-get that installs (Ansible adds them to `install` and `upgrade`).
    var installOptions: [String] {
        var o: [String] = []
        if let r = defaultRelease { o += ["-t", r] }
        if let rec = installRecommends { o += ["-o", "APT::Install-Recommends=\(rec ? "yes" : "no")"] }
        // --force-yes is deprecated in apt; these are what it stood for.
        if force { o += ["--allow-downgrades", "--allow-remove-essential", "--allow-change-held-packages", "--allow-unauthenticated"] }
        if allowUnauthenticated { o.append("--allow-unauthenticated") }
        if allowDowngrade { o.append("--allow-downgrades") }
        if allowChangeHeld { o.append("--allow-change-held-packages") }
        if failOnAutoremove { o.append("--no-remove") }
        return o
    }

    /// The script with every value set, for inspection and tests.
    func script(checkMode: Bool) -> ModuleScript {
        var s = ModuleScript(AptScript.body)
        s.set("pkgs", packages.joined(separator: " "))
        s.set("state", state)
        s.set("update_cache", updateCache)
        s.set("cache_valid_time", String(cacheValidTime))
        s.set("retries", String(retries))
        s.set("purge", purge)
        s.set("autoremove", autoremove)
        s.set("autoclean", autoclean)
        s.set("clean", clean)
        s.set("upgrade", upgrade ?? "")
        s.set("deb", deb ?? "")
        s.set("only_upgrade", onlyUpgrade)
        s.set("lock_timeout", String(lockTimeout))
        s.set("dpkg_opts", dpkgOptions.map { "-o Dpkg::Options::=--\($0)" }.joined(separator: " "))
        s.set("opts", installOptions.joined(separator: " "))
        s.set("policy_rc_d", policyRcD.map(String.init) ?? "")
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
        if let t = out.first("cache_time").flatMap({ Int($0) }) { data["cache_update_time"] = .int(t) }
        if let f = out.failure { return .failed(f, data: data) }
        let actions = AptOutput.simulatedActions(out.text)
        let summary = AptOutput.summary(out.text)
        let ranApt = !out.all("run").isEmpty
        let packagesChanged = ranApt && ((summary?.changesSomething ?? false) || !actions.isEmpty)
            || out.has("cleaned")
            || (out.all("run").contains("autoclean") && out.text.contains("\nDel "))
        if !actions.isEmpty {
            data["packages"] = .list(actions.map { .string($0.package) })
        }
        // As Ansible's apt: a cache refresh is the task's change only when it is all the task
        // asks for; with packages or an upgrade, those alone decide.
        let changed = packagesChanged || (cacheUpdated && packages.isEmpty && upgrade == nil && deb == nil)
        var message: String?
        if packagesChanged {
            if let s = summary {
                message = "\(s.installed) installed, \(s.upgraded) upgraded, \(s.removed) removed"
            } else if !actions.isEmpty {
                message = actions.map { "\($0.action) \($0.package)" }.joined(separator: ", ")
            }
        } else if cacheUpdated {
            message = "cache updated"
        }
        return ModuleResult(changed: changed, message: message, data: data)
    }
}
