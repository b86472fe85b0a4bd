import Foundation

/// The facts Ansible's `setup` computes from the same sources, in its shapes and types
/// (`processor_cores` an int, `date_time.epoch` a string, `lsb` a dict). Pure.
extension FactParser {
    /// Everything `parse` does not already type, keyed as inside `ansible_facts`.
    static func ansibleFacts(_ s: [String: [String]], architecture: String, defaultIPv4: HostFacts.IPv4?) -> [String: Value] {
        var f: [String: Value] = [:]
        for (k, v) in cpuFacts(s["cpus"] ?? [], architecture: architecture) { f[k] = v }
        for (k, v) in systemFacts(s, architecture: architecture) { f[k] = v }
        for (k, v) in virtualFacts(s) { f[k] = v }
        if s["net"] != nil { for (k, v) in networkFacts(s) { f[k] = v } }
        if s["block"] != nil || s["mounts"] != nil { for (k, v) in hardwareFacts(s) { f[k] = v } }
        if s["local"] != nil { f["ansible_local"] = localFacts(s) }
        if let n = s["nodename"]?.first?.trimmingCharacters(in: .whitespaces) { f["nodename"] = .string(n) }
        if let d = dateTime(s["datetime"] ?? []) { f["date_time"] = d }
        f["lsb"] = lsb(release: s["lsb_release"] ?? [], file: s["lsb_file"] ?? [])
        f["env"] = env(s["env"] ?? [])
        let pw = (s["passwd"]?.first ?? "").split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if pw.count >= 7 {
            f["user_gecos"] = .string(pw[4])
            f["user_shell"] = .string(pw[6])
        }
        if let py = python(s["python"] ?? []) {
            f["python"] = py
            f["python_version"] = py.dictValue?["version"].flatMap { v -> Value? in
                guard case .dict(let d) = v else { return nil }
                return .string(["major", "minor", "micro"].compactMap { d[$0].map { $0.renderedString } }.joined(separator: "."))
            } ?? .null
        }
        if let ip = defaultIPv4 {
            let links = linkInfo(s["link"] ?? [])
            let addr = (s["addr"] ?? []).first { $0.contains(" \(ip.interface) ") && $0.contains("inet \(ip.address)/") }
            var d: [String: Value] = [:]
            if let l = links[ip.interface] {
                d["macaddress"] = .string(l.mac)
                d["mtu"] = .int(l.mtu)
                d["type"] = .string(l.type)
            }
            if let addr, let brd = word(after: "brd", in: addr) { d["broadcast"] = .string(brd) }
            if let p = ip.prefixLength { d["network"] = .string(network(ip.address, prefix: p)) }
            f["default_ipv4_extra"] = .dict(d)
        }
        return f
    }

    /// `ansible_python` for the host's `python3`, if it has one (Raspberry Pi OS does): what
    /// Ansible reports about the interpreter its modules run under, from `python3 -V` (which
    /// starts no interpreter beyond parsing its arguments, so gathering stays fast). provision
    /// runs nothing under it; roles read it (`ansible_python.version.minor` for pip's
    /// EXTERNALLY-MANAGED marker). Absent when the host has no python3.
    static func python(_ lines: [String]) -> Value? {
        guard lines.count >= 2, lines[0].hasPrefix("/") else { return nil }
        let words = lines[1].split(separator: " ")
        guard words.count == 2, words[0] == "Python" else { return nil }
        // 3.11.2, or 3.13.0rc1 / 3.12.0b2 / 3.12.0a7 for pre-releases.
        let text = String(words[1])
        let digits = text.prefix { $0.isNumber || $0 == "." }
        let parts = digits.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let rest = text.dropFirst(digits.count)
        let level: String, serial: Int
        switch rest.prefix { $0.isLetter } {
        case "": level = "final"; serial = 0
        case "a": level = "alpha"; serial = Int(rest.dropFirst()) ?? 0
        case "b": level = "beta"; serial = Int(rest.dropFirst()) ?? 0
        case "rc": level = "candidate"; serial = Int(rest.dropFirst(2)) ?? 0
        default: return nil
        }
        let version: ValueDict = ["major": .int(parts[0]), "minor": .int(parts[1]), "micro": .int(parts[2]),
                                  "releaselevel": .string(level), "serial": .int(serial)]
        let info: [Value] = [.int(parts[0]), .int(parts[1]), .int(parts[2]), .string(level), .int(serial)]
        let python: ValueDict = ["executable": .string(lines[0]), "has_sslcontext": true, "type": "cpython",
                                 "version": .dict(version), "version_info": .list(info)]
        return .dict(python)
    }

    /// Ansible's Linux CPU facts from /proc/cpuinfo's lines, with its quirks (on ARM the
    /// count is the number of `processor` entries and cores per socket is 1).
    static func cpuFacts(_ lines: [String], architecture: String) -> [String: Value] {
        guard !lines.isEmpty else { return [:] }
        var processor: [Value] = []
        var i = 0, vendor = 0, model = 0, occurrences = 0
        var physid = "0", coreid = "0"
        var sockets: [(String, Int)] = [], cores: [(String, Int)] = []
        func set(_ list: inout [(String, Int)], _ k: String, _ v: Int) {
            if let idx = list.firstIndex(where: { $0.0 == k }) { list[idx].1 = v } else { list.append((k, v)) }
        }
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let val = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            switch key {
            case "model name", "Processor", "vendor_id", "cpu", "Vendor", "processor":
                processor.append(.string(val))
                if key == "vendor_id" { vendor += 1 }
                if key == "model name" { model += 1 }
                if key == "processor" { occurrences += 1 }
                i += 1
            case "physical id":
                physid = val
                if !sockets.contains(where: { $0.0 == val }) { sockets.append((val, 1)) }
            case "core id":
                coreid = val
                // Ansible tests `sockets` here, not `cores`: kept, for the same numbers.
                if !sockets.contains(where: { $0.0 == val }) { set(&cores, val, 1) }
            case "cpu cores": set(&sockets, physid, Int(val) ?? 1)
            case "siblings": set(&cores, coreid, Int(val) ?? 1)
            default: break
            }
        }
        if vendor > 0 && vendor == model { i = vendor }
        if ["armv", "aarch", "ppc"].contains(where: { architecture.hasPrefix($0) }) { i = occurrences }
        let count = sockets.isEmpty ? i : sockets.count
        let perSocket = (sockets.first?.1 ?? 0) > 0 ? sockets[0].1 : 1
        let threads = (cores.first?.1 ?? 1) / perSocket
        return ["processor": .list(processor), "processor_count": .int(count), "processor_cores": .int(perSocket),
                "processor_threads_per_core": .int(cores.isEmpty ? 1 / perSocket : threads),
                "processor_vcpus": .int((cores.isEmpty ? 1 / perSocket : threads) * count * perSocket)]
    }

    /// Ansible's `date_time` (all strings) from the script's `date` lines.
    static func dateTime(_ lines: [String]) -> Value? {
        guard lines.count >= 2 else { return nil }
        let l = lines[0].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let u = lines[1].split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard l.count >= 16, u.count >= 2 else { return nil }
        let micro = String(l[14].prefix(6)), umicro = String(u[1].prefix(6))
        var tzDST = l[10]
        if lines.count >= 4 {
            // time.tzname[1]: the zone's summer name (the one with the larger offset), else its only name.
            let jan = lines[2].split(separator: " "), jul = lines[3].split(separator: " ")
            if jan.count == 2, jul.count == 2 {
                tzDST = String((Int(jul[1]) ?? 0) >= (Int(jan[1]) ?? 0) ? jul[0] : jan[0])
            }
        }
        return .dict([
            "date": .string(l[0]), "day": .string(l[1]), "hour": .string(l[2]), "minute": .string(l[3]),
            "month": .string(l[4]), "second": .string(l[5]), "year": .string(l[6]), "weekday": .string(l[7]),
            "weekday_number": .string(l[8]), "weeknumber": .string(l[9]), "tz": .string(l[10]),
            "tz_offset": .string(l[11]), "epoch": .string(l[12]), "epoch_int": .string(l[12]), "time": .string(l[13]),
            "iso8601_basic": .string(l[15] + micro), "iso8601_basic_short": .string(l[15]),
            "iso8601": .string(u[0] + "Z"), "iso8601_micro": .string(u[0] + "." + umicro + "Z"), "tz_dst": .string(tzDST),
        ])
    }

    /// Ansible's `lsb`: from `lsb_release -a`, else /etc/lsb-release, else empty.
    static func lsb(release: [String], file: [String]) -> Value {
        var d: [String: Value] = [:]
        let kv = keyValues(release)
        if !kv.isEmpty {
            if let v = kv["Release"] { d["release"] = .string(v) }
            if let v = kv["Distributor ID"] { d["id"] = .string(v) }
            if let v = kv["Description"] { d["description"] = .string(v) }
            if let v = kv["Codename"] { d["codename"] = .string(v) }
        } else {
            for line in file {
                let p = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"'")) }
                guard p.count == 2 else { continue }
                switch p[0] {
                case "DISTRIB_ID": d["id"] = .string(p[1])
                case "DISTRIB_RELEASE": d["release"] = .string(p[1])
                case "DISTRIB_DESCRIPTION": d["description"] = .string(p[1])
                case "DISTRIB_CODENAME": d["codename"] = .string(p[1])
                default: break
                }
            }
        }
        if case .string(let r)? = d["release"] { d["major_release"] = .string(String(r.split(separator: ".").first ?? "")) }
        return .dict(d)
    }

    /// `env` output → a dict of strings (a value spanning lines keeps only its first line).
    static func env(_ lines: [String]) -> Value {
        var d: [String: Value] = [:]
        for line in lines {
            guard let eq = line.firstIndex(of: "=") else { continue }
            d[String(line[..<eq])] = .string(String(line[line.index(after: eq)...]))
        }
        return .dict(d)
    }

    /// `ip -o link show` → MAC address, MTU and link type per interface.
    static func linkInfo(_ lines: [String]) -> [String: (mac: String, mtu: Int, type: String)] {
        var out: [String: (String, Int, String)] = [:]
        for line in lines {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count > 2 else { continue }
            var name = words[1].trimmingCharacters(in: CharacterSet(charactersIn: ":"))
            if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
            let mtu = word(after: "mtu", in: line).flatMap { Int($0) } ?? 0
            var mac = "", type = "unknown"
            if let i = words.firstIndex(where: { $0.hasPrefix("link/") }) {
                let t = String(words[i].dropFirst(5))
                type = t == "ether" ? "ether" : t == "loopback" ? "loopback" : t
                if i + 1 < words.count { mac = words[i + 1] }
            }
            out[name] = (mac, mtu, type)
        }
        return out
    }

    static func network(_ address: String, prefix: Int) -> String {
        let octets = address.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4 else { return "" }
        let ip = octets.reduce(0) { $0 << 8 | $1 }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - max(0, min(32, prefix)))
        let n = ip & mask
        return [24, 16, 8, 0].map { String((n >> UInt32($0)) & 0xff) }.joined(separator: ".")
    }
}
