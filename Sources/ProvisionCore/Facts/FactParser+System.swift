import Foundation

/// Ansible's system facts from the `FactScript+System` sections: ids, command line, platform
/// bits, DMI, DNS, SSH host keys, capabilities, SELinux/AppArmor, chroot, memory, LVM. Pure.
extension FactParser {
    static func systemFacts(_ s: [String: [String]], architecture: String) -> [String: Value] {
        var f: [String: Value] = [:]
        let ids = pairs(s["ids"] ?? [])
        for (key, name) in [("euid", "effective_user_id"), ("egid", "effective_group_id"),
                            ("ruid", "real_user_id"), ("rgid", "real_group_id")] {
            if let v = ids[key].flatMap({ Int($0) }) { f[name] = .int(v) }
        }
        if let line = pairs(s["proc_cmdline"] ?? [])["cmdline"] {
            f["cmdline"] = cmdline(line, repeatedAsList: false)
            f["proc_cmdline"] = cmdline(line, repeatedAsList: true)
        }
        let misc = pairs(s["misc"] ?? [])
        if let l = misc["loadavg"] {
            let w = l.split(separator: " ").prefix(3).compactMap { Double($0) }
            if w.count == 3 { f["loadavg"] = .dict(["1m": .double(w[0]), "5m": .double(w[1]), "15m": .double(w[2])]) }
        }
        if let u = misc["uptime"]?.split(separator: " ").first, let d = Double(u) { f["uptime_seconds"] = .int(Int(d)) }
        f["fips"] = .bool(misc["fips"] == "1")
        if let m = misc["machine_id"] { f["machine_id"] = .string(m) }
        f["apparmor"] = .dict(["status": .string(misc["apparmor"] == "enabled" ? "enabled" : "disabled")])
        f["selinux"] = selinux(misc)
        // provision reads SELinux state without Python bindings, so the answer is always there.
        f["selinux_python_present"] = true
        f["is_chroot"] = .bool(isChroot(misc))
        switch misc["elf_class"] {
        case "02": f["userspace_bits"] = "64"
        case "01": f["userspace_bits"] = "32"
        default: break
        }
        if architecture == "x86_64", let bits = f["userspace_bits"]?.stringValue {
            f["userspace_architecture"] = .string(bits == "64" ? "x86_64" : "i386")
        }
        f["hostnqn"] = .string(misc["hostnqn"] ?? "")
        f["iscsi_iqn"] = .string(misc["iscsi_iqn"] ?? "")
        f["fibre_channel_wwn"] = .list((s["misc"] ?? []).filter { $0.hasPrefix("fc_wwn=") }
            .map { .string(String($0.dropFirst("fc_wwn=".count + 2))) })
        for (k, v) in dmi(s["dmi"] ?? []) { f[k] = v }
        f["dns"] = dns(s["dns"] ?? [])
        for (k, v) in sshHostKeys(s["ssh_keys"] ?? []) { f[k] = v }
        for (k, v) in capabilities(s["capsh"] ?? []) { f[k] = v }
        for (k, v) in memory(meminfo(s["meminfo"] ?? [])) { f[k] = v }
        f["lvm"] = lvm(s["lvm"] ?? [], root: ids["euid"] == "0")
        return f
    }

    /// `key=value` lines; the first of each key wins.
    static func pairs(_ lines: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for line in lines {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let k = String(line[..<eq])
            if out[k] == nil { out[k] = String(line[line.index(after: eq)...]) }
        }
        return out
    }

    /// /proc/cmdline as Ansible's `cmdline` (last value wins) or `proc_cmdline` (a repeated
    /// key collects its values in a list). Words split as `shlex.split(posix=False)`: quotes
    /// group and stay in the word; an unclosed quote gives an empty dict.
    static func cmdline(_ line: String, repeatedAsList: Bool) -> Value {
        var words: [String] = []
        var current = "", inWord = false
        var quote: Character?
        for c in line {
            if let q = quote {
                current.append(c)
                if c == q { quote = nil }
            } else if c == " " || c == "\t" || c == "\n" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                if c == "\"" || c == "'" { quote = c }
                current.append(c)
                inWord = true
            }
        }
        if quote != nil { return .dict([:]) }
        if inWord { words.append(current) }
        var d = ValueDict()
        for w in words {
            let kv = w.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard kv.count == 2 else { d[kv[0]] = true; continue }
            if repeatedAsList, let old = d[kv[0]] {
                if case .list(var l) = old { l.append(.string(kv[1])); d[kv[0]] = .list(l) } else { d[kv[0]] = .list([old, .string(kv[1])]) }
            } else {
                d[kv[0]] = .string(kv[1])
            }
        }
        return .dict(d)
    }

    /// Ansible's `selinux` dict from selinuxfs and /etc/selinux/config.
    static func selinux(_ misc: [String: String]) -> Value {
        guard misc["selinux"] == "enabled" else { return .dict(["status": "disabled"]) }
        var d: ValueDict = ["status": "enabled"]
        if let p = misc["selinux_policyvers"].flatMap({ Int($0) }) { d["policyvers"] = .int(p) }
        d["config_mode"] = .string(misc["SELINUX"] ?? "unknown")
        d["mode"] = .string(misc["selinux_enforce"] == "1" ? "enforcing" : "permissive")
        d["type"] = .string(misc["SELINUXTYPE"] ?? "unknown")
        return .dict(d)
    }

    /// Ansible's `is_chroot`: `debian_chroot` set, else `/` differs from PID 1's root, else
    /// (PID 1's root unreadable without root) `/` is not the file system's root inode.
    static func isChroot(_ misc: [String: String]) -> Bool {
        if let e = misc["env_chroot"], !e.isEmpty { return true }
        let root = misc["root"] ?? ""
        if let proc = misc["proc_root"], !proc.isEmpty { return root != proc }
        let fs = misc["root_fs"] ?? ""
        let rootInode = fs.contains("btrfs") ? "256" : fs.contains("xfs") ? "128" : "2"
        return root.split(separator: " ").last.map(String.init) != rootInode
    }

    static let formFactors = ["Unknown", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower",
                              "Tower", "Portable", "Laptop", "Notebook", "Hand Held", "Docking Station", "All In One",
                              "Sub Notebook", "Space-saving", "Lunch Box", "Main Server Chassis", "Expansion Chassis",
                              "Sub Chassis", "Bus Expansion Chassis", "Peripheral Chassis", "RAID Chassis",
                              "Rack Mount Chassis", "Sealed-case PC", "Multi-system", "CompactPCI", "AdvancedTCA",
                              "Blade", "Blade Enclosure", "Tablet", "Convertible", "Detachable", "IoT Gateway",
                              "Embedded PC", "Mini PC", "Stick PC"]

    /// DMI facts from /sys/devices/virtual/dmi/id; "NA" for what is absent or unreadable
    /// (serials and the UUID are root-only), as Ansible.
    static func dmi(_ lines: [String]) -> [String: Value] {
        let p = pairs(lines)
        var f: [String: Value] = [:]
        for key in ["bios_date", "bios_vendor", "bios_version", "board_asset_tag", "board_name", "board_serial",
                    "board_vendor", "board_version", "chassis_asset_tag", "chassis_serial", "chassis_vendor",
                    "chassis_version", "product_name", "product_serial", "product_uuid", "product_version"] {
            f[key] = .string(p[key] ?? "NA")
        }
        f["system_vendor"] = .string(p["sys_vendor"] ?? "NA")
        if let t = p["chassis_type"] {
            if let i = Int(t), i >= 0, i < formFactors.count { f["form_factor"] = .string(formFactors[i]) } else { f["form_factor"] = .string("unknown (\(t))") }
        } else {
            f["form_factor"] = "NA"
        }
        return f
    }

    /// /etc/resolv.conf as Ansible's `dns`.
    static func dns(_ lines: [String]) -> Value {
        var d = ValueDict()
        for line in lines where !line.hasPrefix("#") && !line.hasPrefix(";") {
            let t = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let head = t.first else { continue }
            let rest = t.dropFirst().map(Value.string)
            switch head {
            case "nameserver":
                var l = d["nameservers"]?.listValue ?? []
                l.append(contentsOf: rest)
                d["nameservers"] = .list(l)
            case "domain": if let v = rest.first { d["domain"] = v }
            case "search": d["search"] = .list(Array(rest))
            case "sortlist": d["sortlist"] = .list(Array(rest))
            case "options":
                var o = ValueDict()
                for opt in t.dropFirst() {
                    let kv = opt.split(separator: ":", maxSplits: 1).map(String.init)
                    o[kv[0]] = kv.count == 2 && !kv[1].isEmpty ? .string(kv[1]) : true
                }
                d["options"] = .dict(o)
            default: break
            }
        }
        return .dict(d)
    }

    /// `ssh_host_key_<type>_public` and `_keytype`, first directory that has each type.
    static func sshHostKeys(_ lines: [String]) -> [String: Value] {
        var f: [String: Value] = [:]
        for line in lines {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let algo = String(line[..<eq])
            let words = line[line.index(after: eq)...].split(separator: " ")
            let name = "ssh_host_key_\(algo)_public"
            guard f[name] == nil, words.count >= 2 else { continue }
            f[name] = .string(String(words[1]))
            f[name + "_keytype"] = .string(String(words[0]))
        }
        return f
    }

    /// `capsh --print`'s Current line as Ansible reads it; "N/A" when there is no capsh.
    static func capabilities(_ lines: [String]) -> [String: Value] {
        guard lines.contains("found=1"), lines.contains("rc=0") else {
            return ["system_capabilities_enforced": "N/A", "system_capabilities": "N/A"]
        }
        var enforced = "NA"
        var caps: [Value] = []
        for line in lines where line.hasPrefix("Current:") {
            let afterColon = line.split(separator: ":", omittingEmptySubsequences: false)[1].trimmingCharacters(in: .whitespaces)
            if afterColon == "=ep" {
                enforced = "False"
            } else {
                enforced = "True"
                let parts = line.split(separator: "=", omittingEmptySubsequences: false)
                let list = parts.count > 1 ? String(parts[1]) : ""
                caps = list.split(separator: ",", omittingEmptySubsequences: false).map { .string($0.trimmingCharacters(in: .whitespaces)) }
            }
        }
        return ["system_capabilities_enforced": .string(enforced), "system_capabilities": .list(caps)]
    }

    /// `swapfree_mb` and `memory_mb` from /proc/meminfo (kB), with Ansible's integer MB.
    static func memory(_ kb: [String: Int]) -> [String: Value] {
        func mb(_ k: String) -> Int? { kb[k].map { $0 / 1024 } }
        var f: [String: Value] = [:]
        if let v = mb("SwapFree") { f["swapfree_mb"] = .int(v) }
        guard !kb.isEmpty else { return f }
        let total = mb("MemTotal"), free = mb("MemFree"), cached = mb("Cached"), buffers = mb("Buffers")
        let swapTotal = mb("SwapTotal"), swapFree = mb("SwapFree")
        func v(_ i: Int?) -> Value { i.map(Value.int) ?? .null }
        var nocacheFree: Int?
        if let c = cached, let fr = free, let b = buffers { nocacheFree = c + fr + b }
        let real: ValueDict = ["total": v(total), "used": v(total.flatMap { t in free.map { t - $0 } }), "free": v(free)]
        let nocache: ValueDict = ["free": v(nocacheFree), "used": v(total.flatMap { t in nocacheFree.map { t - $0 } })]
        let swap: ValueDict = ["total": v(swapTotal), "free": v(swapFree),
                               "used": v(swapTotal.flatMap { t in swapFree.map { t - $0 } }), "cached": v(mb("SwapCached"))]
        f["memory_mb"] = .dict(["real": .dict(real), "nocache": .dict(nocache), "swap": .dict(swap)])
        return f
    }

    /// Ansible's `lvm`: "N/A" unless gathered as root with the LVM tools.
    static func lvm(_ lines: [String], root: Bool) -> Value {
        guard root, !lines.isEmpty else { return "N/A" }
        var vgs = ValueDict(), lvs = ValueDict(), pvs = ValueDict()
        for line in lines {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let kind = line[..<eq]
            let items = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            switch kind {
            case "vg" where items.count >= 3:
                vgs[items[0]] = .dict(["size_g": .string(items[items.count - 2]), "free_g": .string(items[items.count - 1]),
                                       "num_lvs": .string(items[2]), "num_pvs": .string(items[1])])
            case "lv" where items.count >= 4:
                lvs[items[0]] = .dict(["size_g": .string(items[3]), "vg": .string(items[1])])
            case "pv" where items.count >= 6:
                pvs[items[0]] = .dict(["size_g": .string(items[4]), "free_g": .string(items[5]), "vg": .string(items[1])])
            default: break
            }
        }
        return .dict(["lvs": .dict(lvs), "vgs": .dict(vgs), "pvs": .dict(pvs)])
    }
}
