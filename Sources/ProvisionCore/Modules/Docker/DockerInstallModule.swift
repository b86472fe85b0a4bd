/// `docker_install`: a working Docker Engine, running and enabled, with `users` in the docker
/// group.
///
/// Idempotent in one round trip when nothing is to do: a probe reads the platform, whether a
/// `dockerd` is installed (from any source: Debian's docker.io, Docker's docker-ce, get.docker.com)
/// and answering, the service state and the users' groups; a pure plan decides; a second script
/// makes only the planned changes and reports the engine version. An engine already installed
/// is never reinstalled or replaced, whichever method is asked for.
///
/// `method: official` also keeps Docker's apt repository (or the mirror in `repo_url`) as asked
/// on a host whose engine is Docker's `docker-ce`: a changed sources line or a key that differs
/// from what the key URL serves is rewritten and followed by `apt-get update`. That check takes a
/// second read-only round trip, which fetches the key.
public struct DockerInstallModule: Module {
    public static let name = "docker_install"
    public static let argumentSpec = ArgumentSpec([
        .init("method", choices: ["distro", "official"], default: "distro"),
        .init("users", .list, default: .list([])),
        .init("repo_url", default: .string(DockerOfficialRepo.defaultURL)),
        .init("repo_key_url"),
    ])

    /// Where the engine comes from when it has to be installed.
    public enum Method: String, Sendable { case distro, official }

    public var method: Method
    public var users: [String]
    /// Docker's repository or a mirror of it; read by `method: official` only.
    public var repo: DockerOfficialRepo

    public init(arguments: ModuleArguments) throws {
        method = Method(rawValue: try arguments.choice("method", ["distro", "official"]) ?? "distro") ?? .distro
        users = try arguments.stringList("users") ?? []
        for u in users where !Self.isValidUserName(u) {
            throw ModuleError("'users' holds '\(u)', which is not a valid user name")
        }
        let url = try arguments.string("repo_url") ?? DockerOfficialRepo.defaultURL
        let keyURL = try arguments.string("repo_key_url")
        if method != .official, url != DockerOfficialRepo.defaultURL || keyURL != nil {
            throw ModuleError("'repo_url' and 'repo_key_url' apply to method: official only; add method: official or remove them")
        }
        repo = try DockerOfficialRepo(url: url, keyURL: keyURL)
    }

    public init(method: Method = .distro, users: [String] = [], repo: DockerOfficialRepo = .docker) {
        self.method = method
        self.users = users
        self.repo = repo
    }

    static func isValidUserName(_ u: String) -> Bool {
        !u.isEmpty && !u.hasPrefix("-") && u.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-$".contains($0)) }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let probe = try context.run(probeScript, timeout: 60)
        var report = KeyValueReport(parsing: probe.stdoutText)
        if let keyURL = DockerInstallPlan.keyToCompare(module: self, probe: report) {
            let keyProbe = try context.run(DockerInstallPlan.keyProbeScript(keyURL: keyURL), timeout: 90)
            report = KeyValueReport(parsing: probe.stdoutText + "\n" + keyProbe.stdoutText)
        }
        let plan: DockerInstallPlan
        do {
            plan = try DockerInstallPlan.make(module: self, probe: report)
        } catch let e as ModuleError {
            return .failed(e.message)
        }
        var data: [String: Value] = ["method": .string(method.rawValue), "actions": .list(plan.actions.map { .string($0.summary) })]
        if let v = report["server_version"], !v.isEmpty { data["docker_version"] = .string(v) }
        if method == .official { data["repo_url"] = .string(repo.url) }
        if plan.actions.isEmpty {
            var ok = ModuleResult.ok(data, message: "Docker \(report["server_version"] ?? "") is installed and running")
            ok.warnings = plan.warnings
            return ok
        }
        if context.checkMode {
            var would = ModuleResult.changed(data, message: "would " + plan.actions.map(\.summary).joined(separator: ", "), diffs: plan.diffs)
            would.warnings = plan.warnings
            return would
        }
        let applied = try context.run(plan.applyScript(), timeout: 1800)
        let out = KeyValueReport(parsing: applied.stdoutText)
        if !applied.succeeded || out["error"] != nil {
            let log = out.all("log").joined(separator: "\n")
            var failure = ModuleResult.failed(out["error"] ?? "installing Docker failed (exit \(applied.status)): \(SwarmInfo.excerpt(applied.stderrText))", data: data)
            if !log.isEmpty { failure.data["log"] = .string(log) }
            return failure
        }
        if let v = out["server_version"] { data["docker_version"] = .string(v) }
        var changed = ModuleResult.changed(data, message: plan.actions.map(\.summary).joined(separator: ", "), diffs: plan.diffs)
        changed.warnings = plan.warnings
        return changed
    }

    /// Reads everything the plan needs, changing nothing. Needs root only for `docker version`
    /// (the socket is root's); without root the engine reads as not answering.
    var probeScript: String {
        var s = """
        echo "uid=$(id -u)"
        echo "machine=$(uname -m)"
        command -v dpkg >/dev/null 2>&1 && echo "dpkg_arch=$(dpkg --print-architecture)"
        command -v apt-get >/dev/null 2>&1 && echo apt=1
        command -v curl >/dev/null 2>&1 && echo curl=1
        if [ -r /etc/os-release ]; then
          ( . /etc/os-release; echo "os_id=${ID:-}"; echo "os_like=${ID_LIKE:-}"; echo "os_codename=${VERSION_CODENAME:-}"
            echo "os_ubuntu_codename=${UBUNTU_CODENAME:-}" )
        fi
        d=$(command -v dockerd 2>/dev/null || { [ -x /usr/bin/dockerd ] && echo /usr/bin/dockerd; } || { [ -x /usr/sbin/dockerd ] && echo /usr/sbin/dockerd; })
        echo "dockerd=$d"
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
          echo systemd=1
          echo "service_active=$(systemctl is-active docker 2>/dev/null)"
          echo "service_enabled=$(systemctl is-enabled docker 2>/dev/null)"
        fi
        v=$(docker version --format '{{.Server.Version}}' 2>/dev/null) && echo "server_version=$v"
        getent group docker >/dev/null 2>&1 && echo group=1
        [ -f \(DockerPlatform.officialKeyringPath) ] && echo "key_sha=$(sha256sum < \(DockerPlatform.officialKeyringPath) | cut -d' ' -f1)"
        [ -f \(DockerPlatform.officialSourcesPath) ] && grep -v '^[[:space:]]*#' \(DockerPlatform.officialSourcesPath) | grep -v '^[[:space:]]*$' | sed 's/^/docker_list=/'
        [ -e /etc/apt/sources.list.d/docker.sources ] && echo docker_sources=1
        command -v dpkg-query >/dev/null 2>&1 && dpkg-query -W -f='${Package} ${db:Status-Status}\\n' \(DockerPlatform.officialPackages.joined(separator: " ")) 2>/dev/null | while read -r p st; do [ "$st" = installed ] && echo "pkg_installed=$p"; done

        """
        for u in users {
            let q = Shell.quote(u)
            s += """
            if id -u \(q) >/dev/null 2>&1; then
              if id -nG \(q) | tr ' ' '\\n' | grep -qx docker; then echo "user_in_group=\(u)"; else echo "user_not_in_group=\(u)"; fi
            else echo "user_missing=\(u)"; fi

            """
        }
        return s
    }
}
