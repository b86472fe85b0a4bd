extension HostFacts {
    /// The facts as variables: each under `ansible_NAME`, and all of them again without the
    /// prefix inside `ansible_facts`, as Ansible exposes them. provision's own facts
    /// (`debian_arch`, `is_raspberry_pi`, `pi_model`) follow the same two forms.
    public var values: [String: Value] {
        let facts = unprefixed
        var out: [String: Value] = [:]
        // `ansible_local` keeps its name inside ansible_facts too, as Ansible's.
        for (k, v) in facts { out[k.hasPrefix("ansible_") ? k : "ansible_" + k] = v }
        out["ansible_facts"] = .dict(facts)
        return out
    }

    /// The facts without the `ansible_` prefix (the contents of `ansible_facts`).
    public var unprefixed: [String: Value] {
        var f: [String: Value] = [:]
        f["system"] = .string(system)
        f["kernel"] = .string(kernel)
        f["kernel_version"] = .string(kernelVersion)
        f["architecture"] = .string(architecture)
        f["machine"] = .string(architecture)
        f["debian_arch"] = debianArch.map(Value.string) ?? .null
        f["distribution"] = .string(distribution)
        f["distribution_version"] = .string(distributionVersion)
        f["distribution_major_version"] = .string(distributionMajorVersion)
        f["distribution_minor_version"] = .string(distributionMinorVersion)
        f["distribution_release"] = .string(distributionRelease)
        if osFamily == "Debian" && !osRelease.isEmpty {
            // Where Ansible's distribution collector found the answer for Debian's family.
            f["distribution_file_path"] = "/etc/os-release"
            f["distribution_file_variety"] = "Debian"
            f["distribution_file_parsed"] = true
        }
        f["os_family"] = .string(osFamily)
        f["os_release"] = .dict(osRelease.mapValues(Value.string))
        f["hostname"] = .string(hostname)
        f["nodename"] = .string(hostname)
        f["fqdn"] = .string(fqdn)
        f["domain"] = .string(fqdn.hasPrefix(hostname + ".") ? String(fqdn.dropFirst(hostname.count + 1)) : "")
        if let ip = defaultIPv4 {
            var d: [String: Value] = ["address": .string(ip.address), "interface": .string(ip.interface),
                                      "alias": .string(ip.interface)]
            if let g = ip.gateway { d["gateway"] = .string(g) }
            if let p = ip.prefixLength {
                d["prefix"] = .string(String(p))
                d["netmask"] = .string(Self.netmask(prefix: p))
            }
            f["default_ipv4"] = .dict(d)
        } else {
            f["default_ipv4"] = .dict([:])
        }
        f["all_ipv4_addresses"] = .list(allIPv4.map(Value.string))
        f["memtotal_mb"] = memTotalMB.map(Value.int) ?? .null
        f["memfree_mb"] = memFreeMB.map(Value.int) ?? .null
        f["swaptotal_mb"] = swapTotalMB.map(Value.int) ?? .null
        f["processor_vcpus"] = vcpus.map(Value.int) ?? .null
        f["processor_nproc"] = vcpus.map(Value.int) ?? .null
        f["service_mgr"] = .string(serviceManager)
        f["pkg_mgr"] = .string(packageManager)
        f["is_raspberry_pi"] = .bool(isRaspberryPi)
        f["pi_model"] = piModel.map(Value.string) ?? .null
        f["device_model"] = deviceModel.map(Value.string) ?? .null
        f["cgroup_version"] = cgroupVersion.map(Value.int) ?? .null
        f["cgroup_memory"] = cgroupMemory.map(Value.bool) ?? .null
        f["pi_boot_cmdline"] = bootCmdline.map(Value.string) ?? .null
        f["user_id"] = .string(userID)
        f["user_uid"] = uid.map(Value.int) ?? .null
        f["user_gid"] = gid.map(Value.int) ?? .null
        f["user_dir"] = .string(userHome)
        if let epoch { f["date_time"] = .dict(["epoch": .string(String(epoch))]) }
        for (k, v) in ansible where k != "default_ipv4_extra" { f[k] = v }
        if case .dict(var d)? = f["default_ipv4"], case .dict(let extra)? = ansible["default_ipv4_extra"] {
            for (k, v) in extra { d[k] = v }
            f["default_ipv4"] = .dict(d)
        }
        f["kernel_version"] = .string(kernelVersion)
        if let n = ansible["nodename"]?.stringValue { f["hostname"] = .string(String(n.split(separator: ".").first ?? "")) }
        return f
    }

    static func netmask(prefix: Int) -> String {
        let p = max(0, min(32, prefix))
        let mask: UInt32 = p == 0 ? 0 : ~UInt32(0) << UInt32(32 - p)
        return [24, 16, 8, 0].map { String((mask >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}
