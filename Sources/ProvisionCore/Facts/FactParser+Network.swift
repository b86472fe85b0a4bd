import Foundation

/// Ansible's Linux network facts: one dict per interface (from /sys/class/net and
/// `ip -o addr show`), `interfaces`, `all_ipv4_addresses`, `all_ipv6_addresses`,
/// `default_ipv6`. Pure.
extension FactParser {
    static let interfaceTypes = ["1": "ether", "32": "infiniband", "512": "ppp", "772": "loopback", "65534": "tunnel"]

    /// The facts keyed as inside `ansible_facts`; `default_ipv4` is completed by the caller.
    static func networkFacts(_ s: [String: [String]]) -> [String: Value] {
        var order: [String] = []
        var ifaces: [String: ValueDict] = [:]
        var current: String?
        for line in s["net"] ?? [] {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let k = String(line[..<eq]), v = String(line[line.index(after: eq)...])
            if k == "if" { current = v; order.append(v); ifaces[v] = ["device": .string(v)]; continue }
            guard let name = current, var d = ifaces[name] else { continue }
            switch k {
            case "address": if v != "00:00:00:00:00:00" { d["macaddress"] = .string(v) }
            case "mtu": if let i = Int(v) { d["mtu"] = .int(i) }
            case "operstate": d["active"] = .bool(v != "down")
            case "module": d["module"] = .string(v)
            case "type": d["type"] = .string(interfaceTypes[v] ?? "unknown")
            case "bridge": d["type"] = "bridge"; d["interfaces"] = .list([])
            case "brif": d["interfaces"] = .list((d["interfaces"]?.listValue ?? []) + [.string(v)])
            case "bridge_id": d["id"] = .string(v)
            case "stp_state": d["stp"] = .bool(v == "1")
            case "bonding": d["type"] = "bonding"
            case "bond_slaves": d["slaves"] = .list(v.split(separator: " ").map { .string(String($0)) })
            case "bond_mode", "bond_miimon", "bond_lacp_rate":
                d[String(k.dropFirst(5))] = .string(String(v.split(separator: " ").first ?? ""))
            case "bond_primary": d["primary"] = .string(v)
            case "bond_all_slaves_active": if d["primary"] != nil { d["all_slaves_active"] = .bool(v == "1") }
            case "perm_macaddress": d["perm_macaddress"] = .string(v)
            case "pciid": d["pciid"] = .string(v)
            case "speed": if let i = Int(v) { d["speed"] = .int(i) }
            case "ethtool_k": d["features"] = .dict([:])
            case "k":
                // `ethtool -k`: "name: value" lines under a "Features for eth0:" title, as Ansible reads them.
                let kv = v.components(separatedBy: ": ")
                guard !v.hasSuffix(":"), kv.count == 2, !kv[1].isEmpty, case .dict(var feats)? = d["features"] else { break }
                feats[kv[0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")] =
                    .string(kv[1].trimmingCharacters(in: .whitespaces))
                d["features"] = .dict(feats)
            case "ethtool_t":
                d["timestamping"] = .list([])
                d["hw_timestamp_filters"] = .list([])
            case "t":
                // `ethtool -T`: SOF_TIMESTAMPING_* and HWTSTAMP_FILTER_* names, lower-cased, and the PTP clock.
                for (prefix, key) in [("SOF_TIMESTAMPING_", "timestamping"), ("HWTSTAMP_FILTER_", "hw_timestamp_filters")] {
                    if let r = v.range(of: prefix) {
                        let name = v[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }.lowercased()
                        d[key] = .list((d[key]?.listValue ?? []) + [.string(name)])
                    }
                }
                if let r = v.range(of: "PTP Hardware Clock: "), let i = Int(v[r.upperBound...].prefix { $0.isNumber }) {
                    d["phc_index"] = .int(i)
                }
            case "flags":
                if let i = Int(v.hasPrefix("0x") ? String(v.dropFirst(2)) : v, radix: 16) { d["promisc"] = .bool(i & 0x100 != 0) }
            default: break
            }
            ifaces[name] = d
        }
        // Ansible lists addresses interface by interface, in the directory order of /sys/class/net.
        var v4: [String: [Value]] = [:], v6: [String: [Value]] = [:]
        for line in s["net_addr"] ?? [] {
            let head = line.split(separator: "\\", maxSplits: 1).first.map(String.init) ?? line
            let w = head.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard w.count > 3 else { continue }
            var dev = w[1].hasSuffix(":") ? String(w[1].dropLast()) : w[1]
            if let at = dev.firstIndex(of: "@") { dev = String(dev[..<at]) }
            guard var d = ifaces[dev] else { continue }
            if w[2] == "inet" {
                let cidr = w[3].split(separator: "/").map(String.init)
                let address = cidr[0], prefix = cidr.count > 1 ? cidr[1] : "32"
                let brd = w.firstIndex(of: "brd").flatMap { $0 + 1 < w.count ? w[$0 + 1] : nil } ?? ""
                let p = Int(prefix) ?? 32
                let entry: Value = .dict(["address": .string(address), "broadcast": .string(brd),
                                          "netmask": .string(HostFacts.netmask(prefix: p)),
                                          "network": .string(network(address, prefix: p)), "prefix": .string(prefix)])
                let label = w.last ?? dev
                if w.contains("secondary") || d["ipv4"] != nil {
                    d["ipv4_secondaries"] = .list((d["ipv4_secondaries"]?.listValue ?? []) + [entry])
                } else {
                    d["ipv4"] = entry
                }
                if label != dev, w.contains("secondary") {
                    // An aliased secondary address (eth0:1) also gets its own entry, as Ansible.
                    let alias = label.replacingOccurrences(of: ":", with: "_")
                    if ifaces[alias] == nil { order.append(alias) }
                    var a = ifaces[alias] ?? [:]
                    a["ipv4_secondaries"] = .list((a["ipv4_secondaries"]?.listValue ?? []) + [entry])
                    ifaces[alias] = a
                }
                if !address.hasPrefix("127.") { v4[dev, default: []].append(.string(address)) }
            } else if w[2] == "inet6" {
                let address: String, prefix: String, scope: String
                if w.count > 7, w[4] == "peer" {
                    address = w[3]
                    prefix = String(w[5].split(separator: "/").last ?? "")
                    scope = w.count > 7 ? w[7] : ""
                } else {
                    let cidr = w[3].split(separator: "/").map(String.init)
                    address = cidr[0]
                    prefix = cidr.count > 1 ? cidr[1] : "128"
                    scope = w.firstIndex(of: "scope").flatMap { $0 + 1 < w.count ? w[$0 + 1] : nil } ?? ""
                }
                d["ipv6"] = .list((d["ipv6"]?.listValue ?? []) + [.dict(["address": .string(address), "prefix": .string(prefix),
                                                                          "scope": .string(scope)])])
                if address != "::1" { v6[dev, default: []].append(.string(address)) }
            }
            ifaces[dev] = d
        }
        var f: [String: Value] = [:]
        var names: [Value] = []
        for name in order {
            guard let d = ifaces[name] else { continue }
            // The list keeps dashes (br-1a2b); the fact's own name has none (ansible_br_1a2b), as Ansible's.
            let listed = name.replacingOccurrences(of: ":", with: "_")
            names.append(.string(listed))
            f[listed.replacingOccurrences(of: "-", with: "_")] = .dict(d)
        }
        f["interfaces"] = .list(names)
        f["all_ipv4_addresses"] = .list(order.flatMap { v4[$0] ?? [] })
        f["all_ipv6_addresses"] = .list(order.flatMap { v6[$0] ?? [] })
        f["default_ipv6"] = defaultIPv6(route: s["route6"] ?? [], defaultRoute: s["route6_default"] ?? [], interfaces: ifaces)
        return f
    }

    /// `default_ipv6` as Ansible builds it from `ip -6 route get` and the interface's data.
    static func defaultIPv6(route: [String], defaultRoute: [String], interfaces: [String: ValueDict]) -> Value {
        guard let line = route.first, let dev = word(after: "dev", in: line) else { return .dict([:]) }
        var d = ValueDict()
        d["interface"] = .string(dev)
        if let src = word(after: "src", in: line) { d["address"] = .string(src) }
        if let via = word(after: "via", in: line) { d["gateway"] = .string(via) }
        guard let iface = interfaces[dev] else { return .dict(d) }
        if let addr = d["address"]?.stringValue,
           let e = iface["ipv6"]?.listValue?.first(where: { $0["address"]?.stringValue == addr }) {
            d["prefix"] = e["prefix"] ?? .null
            d["scope"] = e["scope"] ?? .null
            if let m = iface["macaddress"] { d["macaddress"] = m }
            if let m = iface["mtu"] { d["mtu"] = m }
            d["type"] = iface["type"] ?? "unknown"
        }
        return .dict(d)
    }
}
