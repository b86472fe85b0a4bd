/// What `docker_install` has to do on one host, decided from its probe with no host involved.
public struct DockerInstallPlan: Sendable, Equatable {
    /// One change, in the order the apply script makes them.
    public enum Action: Sendable, Equatable {
        /// Debian's/Ubuntu's/Raspberry Pi OS's own `docker.io` package.
        case installDistro
        /// Downloads Docker's signing key (or the mirror's `repo_key_url`) to the keyring,
        /// installing curl first if the host has none.
        case writeOfficialKey(url: String)
        /// Writes the one-line `docker.list` entry.
        case writeOfficialSources(line: String)
        /// `apt-get update` after the repository changed or before installing from it; fails
        /// (restoring the previous key and sources file) when apt reports an error for `repoBase`.
        case updateIndex(repoBase: String)
        /// `apt-get install` of Docker's packages that are not installed yet.
        case installOfficial(packages: [String])
        case enableService
        case startService
        case addToGroup(String)

        public var summary: String {
            switch self {
            case .installDistro: return "install docker.io"
            case .writeOfficialKey(let url): return "write the signing key from \(url) to \(DockerPlatform.officialKeyringPath)"
            case .writeOfficialSources: return "write \(DockerPlatform.officialSourcesPath)"
            case .updateIndex: return "apt-get update"
            case .installOfficial(let p): return "install \(p.joined(separator: ", ")) from Docker's repository"
            case .enableService: return "enable docker.service"
            case .startService: return "start docker.service"
            case .addToGroup(let u): return "add \(u) to group docker"
            }
        }
    }

    public var actions: [Action]
    /// What the user should know that is not a failure (an engine left as it is).
    public var warnings: [String] = []
    /// The sources file before and after, when it changes (for `--diff`).
    public var diffs: [FileDiff] = []

    /// Decides from the probe's report. Throws `ModuleError` for what no action can fix: an
    /// unsupported platform, no root, a user that does not exist.
    public static func make(module: DockerInstallModule, probe r: KeyValueReport) throws -> DockerInstallPlan {
        guard r["machine"] != nil else {
            throw ModuleError("the probe printed nothing usable; is /bin/sh on the host?")
        }
        let platform = DockerPlatform(report: r)
        let installed = !(r["dockerd"] ?? "").isEmpty
        let answering = !(r["server_version"] ?? "").isEmpty
        var plan = DockerInstallPlan(actions: [])
        if !installed {
            if let why = platform.unsupportedReason { throw ModuleError(why) }
            guard r.flag("apt") else { throw ModuleError("no apt-get on this host; docker_install supports Debian, Raspberry Pi OS and Ubuntu") }
            switch module.method {
            case .distro: plan.actions.append(.installDistro)
            case .official: try officialActions(module: module, platform: platform, probe: r, into: &plan)
            }
        } else if module.method == .official {
            if r.all("pkg_installed").contains("docker-ce") {
                // Docker's engine: keep its repository as asked (a new mirror, a rotated key)
                // and its companion packages installed.
                try officialActions(module: module, platform: platform, probe: r, into: &plan)
            } else {
                plan.warnings.append("dockerd is installed, but not from Docker's repository (no docker-ce package); it is left as it is and Docker's repository is not configured. To switch, remove the installed engine first")
            }
        }
        var actions = plan.actions
        if r.flag("systemd") {
            // A fresh install enables and starts the service through the package's postinst;
            // enabling again is cheap and covers packages that do not.
            if !installed || r["service_enabled"] != "enabled" { actions.append(.enableService) }
            if !installed || !answering || r["service_active"] != "active" { actions.append(.startService) }
        } else if installed && !answering {
            throw ModuleError("dockerd is installed but does not answer, and this host has no systemd to start it")
        }
        let missing = r.all("user_missing")
        if !missing.isEmpty {
            throw ModuleError("no such user on this host: \(missing.joined(separator: ", "))")
        }
        for u in module.users where !r.all("user_in_group").contains(u) {
            actions.append(.addToGroup(u))
        }
        if !actions.isEmpty, r["uid"] != "0" {
            throw ModuleError("docker_install needs root to \(actions.map(\.summary).joined(separator: ", ")); set become: true")
        }
        plan.actions = actions
        return plan
    }

    /// One script that makes every planned change and prints `server_version=` at the end, or
    /// `error=` and `log=` lines and a non-zero status.
    public func applyScript() -> String {
        var s = """
        set -u
        export DEBIAN_FRONTEND=noninteractive
        fail() { printf 'error=%s\\n' "$1"; [ -n "${2:-}" ] && printf '%s\\n' "$2" | tail -n 15 | sed 's/^/log=/'; exit 1; }
        apt_get() { apt-get -o DPkg::Lock::Timeout=300 -q -y "$@" 2>&1; }

        """
        let backedUp = actions.contains { if case .writeOfficialKey = $0 { return true }; if case .writeOfficialSources = $0 { return true }; return false }
        if backedUp { s += Self.repoBackupScript }
        for action in actions {
            switch action {
            case .installDistro:
                s += """
                out=$(apt_get update) || fail "apt-get update failed" "$out"
                out=$(apt_get install docker.io) || fail "apt-get install docker.io failed" "$out"

                """
            case .writeOfficialKey, .writeOfficialSources, .updateIndex, .installOfficial:
                s += Self.officialScript(action, backedUp: backedUp)
            case .enableService:
                s += "out=$(systemctl enable docker 2>&1) || fail \"systemctl enable docker failed\" \"$out\"\n"
            case .startService:
                s += """
                out=$(systemctl start docker 2>&1) || fail "systemctl start docker failed" "$out$(journalctl -u docker -n 10 --no-pager 2>/dev/null)"

                """
            case .addToGroup(let u):
                s += "out=$(usermod -aG docker \(Shell.quote(u)) 2>&1) || fail \"usermod -aG docker \(u) failed\" \"$out\"\n"
            }
        }
        s += """
        v=$(docker version --format '{{.Server.Version}}' 2>&1) || fail "dockerd does not answer after the install" "$v"
        echo "server_version=$v"

        """
        return s
    }
}
