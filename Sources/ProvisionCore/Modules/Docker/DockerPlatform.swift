/// A host's distribution and architecture, as far as installing Docker cares, and what Docker's
/// own apt repository calls them.
public struct DockerPlatform: Sendable, Equatable {
    /// `/etc/os-release` `ID` (`debian`, `raspbian`, `ubuntu`, …).
    public var id: String
    /// `ID_LIKE`, split on spaces.
    public var idLike: [String]
    /// `VERSION_CODENAME` (`bookworm`).
    public var codename: String
    /// `UBUNTU_CODENAME`, set by Ubuntu and its derivatives.
    public var ubuntuCodename: String
    /// `uname -m` (`armv7l`, `aarch64`, `x86_64`, `armv6l`).
    public var machine: String
    /// `dpkg --print-architecture` (`armhf`, `arm64`, `amd64`); empty without dpkg.
    public var dpkgArchitecture: String

    public init(id: String, idLike: [String] = [], codename: String, ubuntuCodename: String = "",
                machine: String, dpkgArchitecture: String) {
        self.id = id
        self.idLike = idLike
        self.codename = codename
        self.ubuntuCodename = ubuntuCodename
        self.machine = machine
        self.dpkgArchitecture = dpkgArchitecture
    }

    /// Reads the probe's `os_*`, `machine` and `dpkg_arch` lines.
    public init(report r: KeyValueReport) {
        self.init(id: r["os_id"] ?? "", idLike: (r["os_like"] ?? "").split(separator: " ").map(String.init),
                  codename: r["os_codename"] ?? "", ubuntuCodename: r["os_ubuntu_codename"] ?? "",
                  machine: r["machine"] ?? "", dpkgArchitecture: r["dpkg_arch"] ?? "")
    }

    /// Architectures Docker's apt repository publishes that this project supports.
    public static let officialArchitectures: Set<String> = ["amd64", "arm64", "armhf"]

    /// Why Docker cannot be installed here by any method, or nil.
    ///
    /// ARMv6 (Pi Zero, Pi 1) is refused: Docker publishes no ARMv6 engine, and Raspbian's
    /// armhf packages built for ARMv7 crash there with "illegal instruction".
    public var unsupportedReason: String? {
        if machine.hasPrefix("armv6") || machine == "armel" {
            return "\(machine) (ARMv6: Raspberry Pi Zero/1) is not supported by Docker Engine; use a Pi 2 or later, or a 64-bit OS on a Pi Zero 2"
        }
        if dpkgArchitecture.isEmpty {
            return "no dpkg/apt on this host (\(id.isEmpty ? "unknown distribution" : id)); docker_install supports Debian, Raspberry Pi OS and Ubuntu"
        }
        return nil
    }

    /// The distribution path in Docker's repository (`debian`, `raspbian`, `ubuntu`) and its codename.
    public func officialDistribution() throws -> (distribution: String, codename: String) {
        switch id {
        case "debian", "raspbian":
            guard !codename.isEmpty else { throw ModuleError("/etc/os-release has no VERSION_CODENAME; cannot pick Docker's repository") }
            return (id, codename)
        case "ubuntu":
            let c = ubuntuCodename.isEmpty ? codename : ubuntuCodename
            guard !c.isEmpty else { throw ModuleError("/etc/os-release has no UBUNTU_CODENAME; cannot pick Docker's repository") }
            return ("ubuntu", c)
        default:
            // Ubuntu derivatives (Mint, Pop!_OS) name the Ubuntu release they follow.
            if idLike.contains("ubuntu"), !ubuntuCodename.isEmpty { return ("ubuntu", ubuntuCodename) }
            throw ModuleError("Docker's repository has no packages for '\(id)'; use method: distro")
        }
    }

    /// Docker's apt repository (or `repo`, a mirror of it) for this host: the key URL and the
    /// one-line `sources.list` entry, signed by the key at `keyringPath`.
    public func officialRepository(_ repo: DockerOfficialRepo = .docker,
                                   keyringPath: String = DockerPlatform.officialKeyringPath) throws
        -> (keyURL: String, sourcesLine: String)
    {
        try repo.resolved(for: self, keyringPath: keyringPath)
    }

    public static let officialKeyringPath = "/etc/apt/keyrings/docker.asc"
    public static let officialSourcesPath = "/etc/apt/sources.list.d/docker.list"
    /// What Docker's install guide installs.
    public static let officialPackages = ["docker-ce", "docker-ce-cli", "containerd.io",
                                          "docker-buildx-plugin", "docker-compose-plugin"]
}
