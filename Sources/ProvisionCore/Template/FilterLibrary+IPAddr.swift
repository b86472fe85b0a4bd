/// The `ansible.utils` ipaddr family for IPv4 (`ipaddr`, `ipv4`, `nthhost`, `next_nth_usable`,
/// `network_in_usable`, `ipmath`), with the collection's rules: a non-address gives False,
/// a query that does not apply gives None. IPv6 and `ipsubnet` are refused with a clear error.
extension FilterLibrary {
    static let ipFilters: [String: Filter] = [
        "ipaddr": plain { call in
            let version = try call.args.int(1, "version")
            return try ipaddr(try call.value(), query: try ipQuery(call), version: version == 0 ? nil : version, call: call)
        },
        "ipv4": plain { try ipaddr(try $0.value(), query: try ipQuery($0), version: 4, call: $0) },
        "ipv6": plain { call in throw call.fail("IPv6 addresses are not supported by provision's ipaddr filters") },
        "ipsubnet": plain { call in throw call.fail("ipsubnet is not supported by provision") },
        "ipwrap": plain { call in throw call.fail("ipwrap is not supported by provision") },
        "nthhost": plain { call in
            guard let v = try ipNetworkForOffsets(call) else { return .bool(false) }
            let q = try call.args.value(0, "query") ?? .null
            let nth: Int
            switch q {
            case .int(let i): nth = i
            case .string(let t): guard let i = Int(t) else { return .bool(false) }; nth = i
            default: return .bool(false)
            }
            guard Int64(v.size) > Int64(nth) else { return .bool(false) }
            if nth >= 0 { return .string(IPv4Network.text(v.network + UInt32(nth))) }
            guard UInt64(-nth) <= v.size else { throw call.fail("index out of range for address range size!") }
            return .string(IPv4Network.text(v.last - UInt32(-nth - 1)))
        },
        "next_nth_usable": plain { call in
            guard let v = try ipNetworkForOffsets(call) else { return .bool(false) }
            guard case .int(let offset)? = try call.args.value(0, "offset") else { throw call.fail("Must pass in an integer") }
            guard let (first, last) = v.usable else { return .null }
            let nth = Int64(v.ip) + Int64(offset)
            guard nth >= Int64(first), nth <= Int64(last) else { return .null }
            return .string(IPv4Network.text(UInt32(nth)))
        },
        "network_in_usable": plain { call in
            func bounds(_ value: Value, usable: Bool) throws -> (Int64, Int64) {
                guard case .v4(let n) = IPv4Network.parse(value) else { throw call.fail("network_in_usable needs IPv4 addresses or networks") }
                // Normalised to the network (`subnet`), as the collection does first.
                let v = IPv4Network(ip: n.network, prefix: n.prefix, isAddress: false)
                if usable, let (first, last) = v.usable { return (Int64(first), Int64(last)) }
                if usable { return (Int64(v.ip), Int64(v.ip)) }
                let lastAddress = v.size > 2 ? v.last : v.ip
                return (Int64(v.network), Int64(lastAddress))
            }
            let (vFirst, vLast) = try bounds(try call.value(), usable: true)
            let (wFirst, wLast) = try bounds(try call.args.required(0, "test"), usable: false)
            return .bool(vFirst <= wFirst && wFirst <= vLast && vFirst <= wLast && wLast <= vLast)
        },
        "ipmath": plain { call in
            guard case .v4(let v) = IPv4Network.parse(try call.value()), case .string = try call.value() else {
                throw call.fail("You must pass a valid IPv4 address (provision's ipmath supports IPv4 only)")
            }
            guard case .int(let amount)? = try call.args.value(0, "amount") else { throw call.fail("You must pass an integer for arithmetic") }
            let result = Int64(v.ip) + Int64(amount)
            guard result >= 0, result <= Int64(UInt32.max) else { throw call.fail("result outside valid IP address boundary") }
            return .string(IPv4Network.text(UInt32(result)))
        },
    ]

    private static func ipQuery(_ call: FilterCall) throws -> String {
        guard let q = try call.args.value(0, "query"), !q.isNull else { return "" }
        return PythonRepr.str(q)
    }

    /// The network `nthhost`/`next_nth_usable` count in: the input as written (an address as /32).
    private static func ipNetworkForOffsets(_ call: FilterCall) throws -> IPv4Network? {
        switch IPv4Network.parse(try call.value()) {
        case .v4(let n): return IPv4Network(ip: n.ip, prefix: n.prefix, isAddress: false)
        case .notAddress: return nil
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        }
    }

    static func ipaddr(_ value: Value, query: String, version: Int?, call: FilterCall) throws -> Value {
        if case .list(let items) = value {
            return .list(try items.map { try ipaddr($0, query: query, version: version, call: call) }.filter(\.isTruthy))
        }
        if !value.isTruthy || value == .bool(true) { return .bool(false) }
        let v: IPv4Network
        switch IPv4Network.parse(value) {
        case .v4(let n): v = n
        case .notAddress: return .bool(false)
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        }
        if let version, version != 4 { return .bool(false) }
        // An integer input is the address it numbers, written back as `a.b.c.d/32`.
        let original: Value = value.stringValue.map { $0.allSatisfy(\.isNumber) } == false
            ? value : .string(IPv4Network.text(v.ip) + "/32")
        let ipText = IPv4Network.text(v.ip)
        let withPrefix = ipText + "/\(v.prefix)"
        let isNetworkStart = v.ip == v.network
        func needNetwork() throws { if v.isAddress { throw call.fail("Not a network address") } }
        switch query {
        case "": return .string(v.isAddress ? ipText : withPrefix)
        case "address", "ip":
            if v.size == 1 || !isNetworkStart || v.broadcast == nil { return .string(ipText) }
            return .null
        case "address/prefix", "gateway", "gw", "host/prefix", "hostnet", "router":
            if v.size > 2, isNetworkStart || v.ip == v.broadcast { return .bool(false) }
            return .string(withPrefix)
        case "bool": return .bool(true)
        case "broadcast": return v.size > 2 ? .string(IPv4Network.text(v.last)) : .null
        case "cidr": return .string(withPrefix)
        case "first_usable":
            try needNetwork()
            return v.usable.map { .string(IPv4Network.text($0.0)) } ?? .null
        case "last_usable":
            try needNetwork()
            return v.usable.map { .string(IPv4Network.text($0.1)) } ?? .null
        case "host":
            if v.size == 1 { return .string(withPrefix) }
            return !isNetworkStart || v.broadcast == nil ? .string(withPrefix) : .null
        case "hostmask", "wildcard": return .string(IPv4Network.text(~v.mask))
        case "int": return v.isAddress ? .int(Int(v.ip)) : .string("\(v.ip)/\(v.prefix)")
        case "ip/prefix", "ip_netmask":
            let text = query == "ip/prefix" ? withPrefix : ipText + " " + IPv4Network.text(v.mask)
            return v.size == 2 || (v.size > 1 && !isNetworkStart) ? .string(text) : .null
        case "ipv4", "v4": return original
        case "link-local": return v.ip & 0xFFFF_0000 == 0xA9FE_0000 ? original : .null
        case "lo", "loopback": return v.ip >> 24 == 127 ? original : .null
        case "multicast": return v.network >> 28 == 0xE && v.last >> 28 == 0xE ? original : .null
        case "net": return v.size > 1 && isNetworkStart ? .string(withPrefix) : .null
        case "netmask": return .string(IPv4Network.text(v.mask))
        case "network", "network_id": return .string(IPv4Network.text(v.network))
        case "network/prefix", "subnet": return .string(IPv4Network.text(v.network) + "/\(v.prefix)")
        case "network_netmask": return .string(IPv4Network.text(v.network) + " " + IPv4Network.text(v.mask))
        case "network_wildcard": return .string(IPv4Network.text(v.network) + " " + IPv4Network.text(~v.mask))
        case "next_usable", "previous_usable":
            try needNetwork()
            guard let (first, last) = v.usable else { return .null }
            let n = Int64(v.ip) + (query == "next_usable" ? 1 : -1)
            return n >= Int64(first) && n <= Int64(last) ? .string(IPv4Network.text(UInt32(n))) : .null
        case "prefix": return .int(v.prefix)
        case "private": return v.isPrivate ? original : .null
        case "public":
            let a = IPv4Network(ip: v.ip, prefix: 32, isAddress: true)
            let isNetmask = (UInt64(~v.ip) + 1) & UInt64(~v.ip) == 0
            let isHostmask = (UInt64(v.ip) + 1) & UInt64(v.ip) == 0
            return v.ip >> 28 != 0xE && !a.isPrivate && v.ip >> 24 != 127 && !isNetmask && !isHostmask ? original : .null
        case "range_usable":
            try needNetwork()
            return v.usable.map { .string(IPv4Network.text($0.0) + "-" + IPv4Network.text($0.1)) } ?? .null
        case "revdns":
            let o = [v.ip & 255, (v.ip >> 8) & 255, (v.ip >> 16) & 255, v.ip >> 24]
            return .string(o.map(String.init).joined(separator: ".") + ".in-addr.arpa.")
        case "size": return .int(Int(v.size))
        case "size_usable": return .int(v.size == 1 ? 0 : (v.size == 2 ? 2 : Int(v.size) - 2))
        case "type": return .string(v.size == 1 || !isNetworkStart ? "address" : "network")
        case "unicast": return v.network >> 28 != 0xE ? original : .null
        case "version": return .int(4)
        case "wrap": return original
        default: break
        }
        if let n = Int(query) {
            if v.size == 1 { return .string(v.isAddress ? ipText : withPrefix) }
            let index = n >= 0 ? Int64(v.network) + Int64(n) : Int64(v.last) + 1 + Int64(n)
            guard index >= Int64(v.network), index <= Int64(v.last) else { return .bool(false) }
            return .string(IPv4Network.text(UInt32(index)) + "/\(v.prefix)")
        }
        // Another address or network: is the value inside it (`cidr_lookup`)?
        switch IPv4Network.parse(.string(query)) {
        case .v4(let net):
            let inside = v.network & net.mask == net.network && v.last & net.mask == net.network && v.prefix >= net.prefix
            return inside ? original : .null
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        case .notAddress: throw call.fail("unknown filter type: \(query)")
        }
    }
}
