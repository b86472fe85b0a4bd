import Foundation

/// ansible.utils' IP tests (`x is ansible.utils.ipv4_address`, `ip is ansible.utils.in_network(net)`),
/// on Python's `ipaddress` rules as the collection uses them; only by their full name, as
/// ansible-core routes none of them. Anything that is not an address or network is false.
extension TestLibrary {
    static let ipAddressTests: [String: Test] = {
        func text(_ call: FilterCall) throws -> String { PythonRepr.str(try call.value()) }
        func address(_ call: FilterCall, _ check: (IPNetwork) -> Bool) throws -> Bool {
            IPNetwork.pythonAddress(try text(call)).map(check) ?? false
        }
        func network(_ call: FilterCall, _ check: (IPNetwork) -> Bool) throws -> Bool {
            IPNetwork.pythonNetwork(try text(call)).map(check) ?? false
        }
        /// `_is_subnet_of(a, b)`: the same version and a's range inside b's.
        func subnet(_ a: String, of b: String) -> Bool {
            guard let x = IPNetwork.pythonNetwork(a), let y = IPNetwork.pythonNetwork(b), x.version == y.version else { return false }
            return y.network <= x.network && x.last <= y.last
        }
        func networks(_ call: FilterCall) throws -> [String] {
            let v = try call.args.required(0, "networks")
            guard case .list(let l) = v else { throw call.fail("networks must be a list") }
            return l.map(PythonRepr.str)
        }
        let tests: [String: Test] = [
            "ip": { try network($0) { _ in true } },
            "ip_address": { try address($0) { _ in true } },
            "ipv4": { try network($0) { $0.version == 4 } },
            "ipv6": { try network($0) { $0.version == 6 } },
            "ipv4_address": { try address($0) { $0.version == 4 } },
            "ipv6_address": { try address($0) { $0.version == 6 } },
            "ipv4_netmask": { call in
                let t = try text(call)
                guard let n = IPNetwork.pythonNetwork("10.0.0.0/" + t) else { return false }
                return IPNetwork.text(n.mask, version: 4) == t
            },
            "ipv4_hostmask": { call in
                let t = try text(call)
                guard let n = IPNetwork.pythonNetwork("10.0.0.0/" + t) else { return false }
                return IPNetwork.text(n.hostmask, version: 4) == t
            },
            "loopback": { try address($0) { $0.version == 4 ? $0.ip >> 24 == 127 : $0.ip == 1 } },
            "unspecified": { try address($0) { $0.ip == 0 } },
            "multicast": { try address($0) { $0.isInside(IPNetwork.pythonNetwork($0.version == 4 ? "224.0.0.0/4" : "ff00::/8")!) } },
            "reserved": { try address($0) { a in
                a.version == 4 ? a.isInside(IPNetwork.pythonNetwork("240.0.0.0/4")!) : PythonIPRanges.reserved6.contains { a.isInside($0) }
            } },
            "private": { try address($0, PythonIPRanges.isPrivate) },
            "public": { try address($0, PythonIPRanges.isGlobal) },
            "ipv6_ipv4_mapped": { try address($0) { $0.version == 6 && $0.ip >> 32 == 0xFFFF } },
            "ipv6_sixtofour": { try address($0) { $0.version == 6 && $0.ip >> 112 == 0x2002 } },
            "ipv6_teredo": { try address($0) { $0.version == 6 && $0.ip >> 96 == 0x2001_0000 } },
            "mac": { call in
                let t = try text(call)
                let pattern = "^(?i:([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|([0-9a-f]{4}\\.[0-9a-f]{4}\\.[0-9a-f]{4})$|[0-9a-f]{12}$)"
                return t.range(of: pattern, options: .regularExpression) != nil
            },
            "in_network": { call in subnet(try text(call), of: PythonRepr.str(try call.args.required(0, "network"))) },
            "in_any_network": { call in
                let ip = try text(call)
                return try networks(call).contains { subnet(ip, of: $0) }
            },
            "in_one_network": { call in
                let ip = try text(call)
                return try networks(call).filter { subnet(ip, of: $0) }.count == 1
            },
            "subnet_of": { call in subnet(try text(call), of: PythonRepr.str(try call.args.required(0, "network_b"))) },
            "supernet_of": { call in subnet(PythonRepr.str(try call.args.required(0, "network_b")), of: try text(call)) },
        ]
        return Dictionary(uniqueKeysWithValues: tests.map { ("ansible.utils." + $0.key, $0.value) })
    }()
}

/// Python 3.11's (Debian's, with its 2024 fixes) special-purpose address tables.
enum PythonIPRanges {
    private static func nets(_ texts: [String]) -> [IPNetwork] { texts.map { IPNetwork.pythonNetwork($0)! } }
    static let private4 = nets(["0.0.0.0/8", "10.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
                                "192.0.0.170/31", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
                                "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32"])
    static let privateExceptions4 = nets(["192.0.0.9/32", "192.0.0.10/32"])
    static let private6 = nets(["::1/128", "::/128", "::ffff:0:0/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
                                "2002::/16", "fc00::/7", "fe80::/10"])
    static let privateExceptions6 = nets(["2001:1::1/128", "2001:1::2/128", "2001:3::/32", "2001:4:112::/48", "2001:20::/28",
                                          "2001:30::/28"])
    static let reserved6 = nets(["::/8", "100::/8", "200::/7", "400::/6", "800::/5", "1000::/4", "4000::/3", "6000::/3", "8000::/3",
                                 "a000::/3", "c000::/3", "e000::/4", "f000::/5", "f800::/6", "fe00::/9"])
    static let shared4 = nets(["100.64.0.0/10"])[0]

    static func isPrivate(_ a: IPNetwork) -> Bool {
        if a.version == 6, a.ip >> 32 == 0xFFFF {
            return isPrivate(IPNetwork(ip: a.ip & 0xFFFF_FFFF, prefix: 32, version: 4, isAddress: true))
        }
        let (ranges, exceptions) = a.version == 4 ? (private4, privateExceptions4) : (private6, privateExceptions6)
        return ranges.contains { a.isInside($0) } && !exceptions.contains { a.isInside($0) }
    }

    static func isGlobal(_ a: IPNetwork) -> Bool {
        a.version == 4 ? !a.isInside(shared4) && !isPrivate(a) : !isPrivate(a)
    }
}
