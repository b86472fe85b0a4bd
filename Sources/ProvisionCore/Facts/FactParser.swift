import Foundation

/// Turns the output of `FactScript` into `HostFacts`. Pure: tested on recorded output.
public enum FactParser {
    /// The script's sections by name, each as its lines (empty lines dropped).
    public static func sections(_ output: String) -> [String: [String]] {
        var out: [String: [String]] = [:]
        var current: String?
        for raw in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
            if line.hasPrefix("@@ ") {
                current = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                if let c = current, out[c] == nil { out[c] = [] }
                continue
            }
            guard let c = current, !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            out[c, default: []].append(line)
        }
        return out
    }

    public static func parse(_ output: String) -> HostFacts {
        let s = sections(output)
        var f = HostFacts()
        let uname = s["uname"] ?? []
        f.system = uname.count > 0 ? uname[0] : ""
        f.kernel = uname.count > 1 ? uname[1] : ""
        f.architecture = uname.count > 2 ? uname[2] : ""
        f.kernelVersion = uname.count > 3 ? uname[3] : ""
        f.osRelease = OSRelease.parse((s["os-release"] ?? []).joined(separator: "\n"))
        f.debianVersion = s["debian_version"]?.first?.trimmingCharacters(in: .whitespaces)
        let names = s["hostname"] ?? []
        let host = names.first ?? ""
        // `hostname` may print an FQDN; Ansible's ansible_hostname is its first label.
        f.hostname = String(host.split(separator: ".").first ?? Substring(host))
        f.fqdn = names.count > 1 ? names[1] : host
        f.allIPv4 = ipv4Addresses(s["addr"] ?? [])
        f.defaultIPv4 = defaultIPv4(route: s["route"] ?? [], defaultRoute: s["route_default"] ?? [],
                                    addr: s["addr"] ?? [])
        let mem = meminfo(s["meminfo"] ?? [])
        f.memTotalMB = mem["MemTotal"].map { $0 / 1024 }
        f.memFreeMB = mem["MemFree"].map { $0 / 1024 }
        f.swapTotalMB = mem["SwapTotal"].map { $0 / 1024 }
        f.vcpus = (s["cpu"] ?? []).lazy.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.first
        let cpuinfo = keyValues(s["cpuinfo"] ?? [])
        f.cpuModel = cpuinfo["Model"] ?? cpuinfo["model name"]
        let pid1 = s["pid1"] ?? []
        let comm = pid1.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        f.serviceManager = (comm == "systemd" || pid1.contains("/run/systemd/system") && comm == "init")
            ? "systemd" : comm
        if let m = s["model"]?.joined(separator: " ").trimmingCharacters(in: .whitespaces), !m.isEmpty {
            f.deviceModel = m
        }
        let dpkgArch = s["dpkg_arch"]?.first?.trimmingCharacters(in: .whitespaces)
        f.debianArch = (dpkgArch?.isEmpty == false ? dpkgArch : nil) ?? DebianArchitecture.from(machine: f.architecture)
        let cgroup = s["cgroup"] ?? []
        switch cgroup.first {
        case "v2":
            f.cgroupVersion = 2
            f.cgroupMemory = cgroup.dropFirst().joined(separator: " ").split(separator: " ").contains("memory")
        case "v1":
            f.cgroupVersion = 1
            // /proc/cgroups: subsys_name hierarchy num_cgroups enabled
            let fields = cgroup.dropFirst().first?.split(whereSeparator: { $0 == " " || $0 == "\t" }) ?? []
            f.cgroupMemory = fields.count >= 4 ? fields[3] == "1" : false
        default: break
        }
        f.bootCmdline = s["boot"]?.first
        let user = s["user"] ?? []
        f.userID = user.count > 0 ? user[0] : ""
        f.uid = user.count > 1 ? Int(user[1]) : nil
        f.gid = user.count > 2 ? Int(user[2]) : nil
        f.userHome = user.count > 3 ? user[3] : ""
        f.tools = Set((s["tools"] ?? []).map { $0.trimmingCharacters(in: .whitespaces) })
        f.epoch = s["date"]?.first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        f.ansible = ansibleFacts(s, architecture: f.architecture, defaultIPv4: f.defaultIPv4)
        return f
    }

    /// `/proc/meminfo` lines → kB values.
    static func meminfo(_ lines: [String]) -> [String: Int] {
        var out: [String: Int] = [:]
        for line in lines {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            if parts.count >= 2, let v = Int(parts[1]) { out[String(parts[0])] = v }
        }
        return out
    }

    /// `key : value` lines of /proc/cpuinfo.
    static func keyValues(_ lines: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let k = line[..<colon].trimmingCharacters(in: .whitespaces)
            let v = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if out[k] == nil { out[k] = v }
        }
        return out
    }

    /// Words after `key` in an `ip` output line (`dev eth0` → eth0).
    static func word(after key: String, in line: String) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let i = words.firstIndex(where: { $0 == key }), i + 1 < words.count else { return nil }
        return String(words[i + 1])
    }

    /// `ip -4 -o addr show` → addresses, loopback excluded.
    static func ipv4Addresses(_ lines: [String]) -> [String] {
        addrEntries(lines).filter { !$0.address.hasPrefix("127.") }.map(\.address)
    }

    static func addrEntries(_ lines: [String]) -> [(interface: String, address: String, prefix: Int?)] {
        lines.compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count > 3, let i = words.firstIndex(of: "inet"), i + 1 < words.count else { return nil }
            let cidr = words[i + 1].split(separator: "/")
            let iface = String(words[1]).trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            return (iface, String(cidr[0]), cidr.count > 1 ? Int(cidr[1]) : nil)
        }
    }

    /// The address and interface a packet to the Internet would leave by: `ip route get`'s
    /// `src`/`dev`, else the default route's `dev` and that interface's first address.
    static func defaultIPv4(route: [String], defaultRoute: [String], addr: [String]) -> HostFacts.IPv4? {
        let entries = addrEntries(addr)
        let gatewayLine = defaultRoute.first { $0.hasPrefix("default") }
        let gateway = gatewayLine.flatMap { word(after: "via", in: $0) }
        if let line = route.first, let src = word(after: "src", in: line), let dev = word(after: "dev", in: line) {
            let prefix = entries.first { $0.address == src }?.prefix
            return HostFacts.IPv4(address: src, interface: dev,
                                  gateway: word(after: "via", in: line) ?? gateway, prefixLength: prefix)
        }
        guard let line = gatewayLine, let dev = word(after: "dev", in: line),
              let entry = entries.first(where: { $0.interface == dev }) else { return nil }
        return HostFacts.IPv4(address: entry.address, interface: dev, gateway: gateway, prefixLength: entry.prefix)
    }
}
