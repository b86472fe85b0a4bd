/// What provision knows about one host after gathering facts, typed; `values` gives them to
/// playbooks under Ansible's names.
public struct HostFacts: Sendable, Equatable {
    /// The IPv4 address traffic to the Internet would leave from (`ansible_default_ipv4`).
    public struct IPv4: Sendable, Equatable {
        public var address: String
        public var interface: String
        public var gateway: String?
        public var prefixLength: Int?
        public init(address: String, interface: String, gateway: String? = nil, prefixLength: Int? = nil) {
            self.address = address
            self.interface = interface
            self.gateway = gateway
            self.prefixLength = prefixLength
        }
    }

    public var system = ""
    public var kernel = ""
    public var kernelVersion = ""
    /// `uname -m`.
    public var architecture = ""
    /// The userland's Debian architecture (dpkg's, else mapped from `architecture`).
    public var debianArch: String?
    public var osRelease: [String: String] = [:]
    public var debianVersion: String?
    public var hostname = ""
    /// `hostname -f` (Ansible asks Python's socket.getfqdn(), which can answer differently,
    /// e.g. `localhost` in a container whose name does not resolve).
    public var fqdn = ""
    public var defaultIPv4: IPv4?
    public var allIPv4: [String] = []
    public var memTotalMB: Int?
    public var memFreeMB: Int?
    public var swapTotalMB: Int?
    public var vcpus: Int?
    /// `systemd` when systemd is PID 1, else PID 1's command name.
    public var serviceManager = ""
    public var deviceModel: String?
    public var cpuModel: String?
    public var userID = ""
    public var uid: Int?
    public var gid: Int?
    public var userHome = ""
    /// 1 or 2 (nil: unknown).
    public var cgroupVersion: Int?
    /// Whether the memory cgroup controller is enabled: Docker needs it for memory limits,
    /// and Raspberry Pi kernels have shipped with it off (`cgroup_enable=memory` fixes that).
    public var cgroupMemory: Bool?
    /// The kernel command line file of a Pi (`/boot/firmware/cmdline.txt` since bookworm,
    /// `/boot/cmdline.txt` before), when the host has one.
    public var bootCmdline: String?
    /// Which of a few tools the host has (`apt-get`, `systemctl`, `curl`, `docker`, …).
    public var tools: Set<String> = []
    public var epoch: Int?
    /// Further facts in Ansible's shapes (`processor_cores`, `date_time`, `lsb`, `env`, …),
    /// keyed as inside `ansible_facts`; they complete and override the typed ones above.
    public var ansible: [String: Value] = [:]

    public init() {}

    public var isRaspberryPi: Bool {
        (deviceModel ?? "").contains("Raspberry Pi") || (cpuModel ?? "").contains("Raspberry Pi")
    }

    /// "Raspberry Pi 4 Model B Rev 1.4", when this is a Pi.
    public var piModel: String? {
        guard isRaspberryPi else { return nil }
        if let m = deviceModel, m.contains("Raspberry Pi") { return m }
        return cpuModel
    }

    /// Ansible's `ansible_distribution`: Raspberry Pi OS 32-bit (`ID=raspbian`) reads as Debian,
    /// as Ansible reports it.
    public var distribution: String {
        let id = osRelease["ID"] ?? ""
        switch id {
        case "debian", "raspbian": return "Debian"
        case "ubuntu": return "Ubuntu"
        case "linuxmint": return "Linux Mint"
        case "": return system.isEmpty ? "" : system
        default:
            if let name = osRelease["NAME"], let word = name.split(separator: " ").first { return String(word) }
            return id.prefix(1).uppercased() + id.dropFirst()
        }
    }

    /// `VERSION_ID` as Ansible 2.14 reports it: `12` on Debian (not 12.11), `22.04` on Ubuntu;
    /// /etc/debian_version when os-release has none (Debian testing).
    public var distributionVersion: String {
        if let v = osRelease["VERSION_ID"], !v.isEmpty { return v }
        if let dv = debianVersion, let first = dv.first, first.isNumber { return dv }
        return ""
    }

    /// `11` of Debian 12.11 (from /etc/debian_version), as Ansible's
    /// `ansible_distribution_minor_version`; else the part after the first dot of the version.
    public var distributionMinorVersion: String {
        if distribution == "Debian", let dv = debianVersion, dv.hasPrefix(distributionMajorVersion + ".") {
            return String(dv.dropFirst(distributionMajorVersion.count + 1))
        }
        let parts = distributionVersion.split(separator: ".", maxSplits: 1)
        return parts.count > 1 ? String(parts[1]) : ""
    }

    public var distributionMajorVersion: String {
        String(distributionVersion.split(separator: ".").first ?? "")
    }

    /// The codename: `bookworm`, `jammy`.
    public var distributionRelease: String {
        if let c = osRelease["VERSION_CODENAME"], !c.isEmpty { return c }
        if let c = osRelease["UBUNTU_CODENAME"], !c.isEmpty { return c }
        // Old Raspbian: PRETTY_NAME="Raspbian GNU/Linux 10 (buster)".
        if let pretty = osRelease["PRETTY_NAME"], let open = pretty.lastIndex(of: "("),
           let close = pretty.lastIndex(of: ")"), open < close {
            return String(pretty[pretty.index(after: open)..<close])
        }
        return ""
    }

    public var osFamily: String {
        let ids = ([osRelease["ID"] ?? ""] + (osRelease["ID_LIKE"] ?? "").split(separator: " ").map(String.init))
        if ids.contains(where: { ["debian", "ubuntu", "raspbian"].contains($0) }) { return "Debian" }
        if ids.contains(where: { ["rhel", "fedora", "centos"].contains($0) }) { return "RedHat" }
        return distribution
    }

    public var packageManager: String {
        if tools.contains("apt-get") { return "apt" }
        return "unknown"
    }
}
