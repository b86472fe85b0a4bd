/// The `ansible.utils` ipaddr family for IPv4 and IPv6 (`ipaddr`, `ipv4`, `ipv6`, `ipwrap`,
/// `ipsubnet`, `nthhost`, `next_nth_usable`, `previous_nth_usable`, `network_in_usable`,
/// `network_in_network`, `ipmath`, `cidr_merge`), with the collection's rules: a non-address
/// gives False, a query that does not apply gives None.
extension FilterLibrary {
    static let ipFilters: [String: Filter] = [
        "ipaddr": plain { call in
            let version = try call.args.int(1, "version")
            return try ipaddr(try call.value(), query: try ipQuery(call), version: version == 0 ? nil : version, call: call)
        },
        "ipv4": plain { try ipaddr(try $0.value(), query: try ipQuery($0), version: 4, call: $0) },
        "ipv6": plain { try ipaddr(try $0.value(), query: try ipQuery($0), version: 6, call: $0) },
        "ipwrap": plain { call in
            let query = try ipQuery(call)
            func wrap(_ v: Value) -> Value {
                // Any failure leaves the value as it is, as the collection's try/except.
                guard let found = try? ipaddr(v, query: query, version: nil, call: call), found.isTruthy else { return v }
                return (try? ipaddr(found, query: "wrap", version: nil, call: call)) ?? v
            }
            let value = try call.value()
            if case .list(let items) = value { return .list(items.map(wrap)) }
            return wrap(value)
        },
        "ipsubnet": plain { call in try ipsubnet(call) },
        "nthhost": plain { call in
            guard let v = try ipNetworkForOffsets(call) else { return .bool(false) }
            let q = try call.args.value(0, "query") ?? .null
            let nth: Int
            switch q {
            case .int(let i): nth = i
            case .string(let t): guard let i = Int(t) else { return .bool(false) }; nth = i
            default: return .bool(false)
            }
            if nth >= 0 {
                guard v.size.map({ UInt128(nth) < $0 }) ?? true else { return .bool(false) }
                return .string(v.text(v.network + UInt128(nth)))
            }
            guard v.size.map({ UInt128(nth.magnitude) <= $0 }) ?? true else { throw call.fail("index out of range for address range size!") }
            return .string(v.text(v.last - (UInt128(nth.magnitude) - 1)))
        },
        "next_nth_usable": plain { call in try nthUsable(call, sign: 1) },
        "previous_nth_usable": plain { call in try nthUsable(call, sign: -1) },
        "network_in_usable": plain { call in
            let (vFirst, vLast) = try ipBounds(try call.value(), usable: true, call: call)
            let (wFirst, wLast) = try ipBounds(try call.args.required(0, "test"), usable: false, call: call)
            return .bool(vFirst <= wFirst && wFirst <= vLast && vFirst <= wLast && wLast <= vLast)
        },
        "network_in_network": plain { call in
            let (vFirst, vLast) = try ipBounds(try call.value(), usable: false, call: call)
            let (wFirst, wLast) = try ipBounds(try call.args.required(0, "test"), usable: false, call: call)
            return .bool(vFirst <= wFirst && wFirst <= vLast && vFirst <= wLast && wLast <= vLast)
        },
        "ipmath": plain { call in
            let value = try call.value()
            guard case .string(let text) = value, case .ip(let v) = IPNetwork.parse(value),
                  text.contains("/") || v.isAddress, !text.allSatisfy(\.isNumber) else {
                throw call.fail("You must pass a valid IP address; \(PythonRepr.str(value)) is invalid")
            }
            guard case .int(let amount)? = try call.args.value(0, "amount") else {
                throw call.fail("You must pass an integer for arithmetic; \(PythonRepr.str(try call.args.value(0, "amount") ?? .null)) is not a valid integer")
            }
            let magnitude = UInt128(amount.magnitude)
            if amount >= 0 {
                guard v.maxValue - v.ip >= magnitude else { throw call.fail("result outside valid IP address boundary") }
                return .string(v.text(v.ip + magnitude))
            }
            guard v.ip >= magnitude else { throw call.fail("result outside valid IP address boundary") }
            return .string(v.text(v.ip - magnitude))
        },
        "cidr_merge": plain { call in try cidrMerge(call) },
        "ip4_hex": plain { call in
            // "{0:02x}{sep}{1:02x}…".format(*map(int, arg.split('.'))): four numbers, each in hex.
            let parts = try call.text().split(separator: ".", omittingEmptySubsequences: false)
            let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 4, numbers.count == 4, numbers.allSatisfy({ $0 >= 0 }) else {
                throw call.fail("ip4_hex needs a dotted IPv4 address")
            }
            let separator = try call.args.string(0, "delimiter") ?? ""
            return .string(numbers.map { String(format: "%02x", $0) }.joined(separator: separator))
        },
    ]

    private static func ipQuery(_ call: FilterCall) throws -> String {
        guard let q = try call.args.value(0, "query"), !q.isNull else { return "" }
        return PythonRepr.str(q)
    }

    /// The network `nthhost`/`next_nth_usable` count in: the input as written (an address as /32).
    private static func ipNetworkForOffsets(_ call: FilterCall) throws -> IPNetwork? {
        switch IPNetwork.parse(try call.value()) {
        case .ip(let n): return IPNetwork(ip: n.ip, prefix: n.prefix, version: n.version, isAddress: false)
        case .notAddress: return nil
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        }
    }

    /// `next_nth_usable`/`previous_nth_usable`: the address `offset` after (before) the input,
    /// if it is a usable host of its network; None otherwise.
    private static func nthUsable(_ call: FilterCall, sign: Int) throws -> Value {
        guard let v = try ipNetworkForOffsets(call) else { return .bool(false) }
        guard case .int(let offset)? = try call.args.value(0, "offset") else { throw call.fail("Must pass in an integer") }
        guard let (first, last) = v.usable else { return .null }
        let magnitude = UInt128(offset.magnitude)
        let nth: UInt128
        if (offset >= 0) == (sign > 0) {
            guard v.maxValue - v.ip >= magnitude else { return .null }
            nth = v.ip + magnitude
        } else {
            guard v.ip >= magnitude else { return .null }
            nth = v.ip - magnitude
        }
        return nth >= first && nth <= last ? .string(v.text(nth)) : .null
    }

    /// The first and last address of a value, normalised to its network first, as
    /// `network_in_usable`/`network_in_network` compare them (the usable hosts for the former).
    private static func ipBounds(_ value: Value, usable: Bool, call: FilterCall) throws -> (UInt128, UInt128) {
        guard case .ip(let n) = IPNetwork.parse(value) else { throw call.fail("\(call.name) needs IP addresses or networks") }
        let v = IPNetwork(ip: n.network, prefix: n.prefix, version: n.version, isAddress: false)
        if usable, let (first, last) = v.usable { return (first, last) }
        if usable { return (v.ip, v.ip) }
        return (v.network, v.hostBits >= 2 ? v.last : v.ip)
    }

    static func ipaddr(_ value: Value, query: String, version: Int?, call: FilterCall) throws -> Value {
        if case .list(let items) = value {
            let results = try items.map { try ipaddr($0, query: query, version: version, call: call) }.filter(\.isTruthy)
            // A number wider than 64 bits is text here: inside a list it would print quoted.
            if ["size", "size_usable", "int"].contains(query),
               results.contains(where: { $0.stringValue.map { !$0.contains("/") } ?? false }) {
                throw call.fail("an IPv6 \(query) beyond 64 bits inside a list is not supported by provision")
            }
            return .list(results)
        }
        if !value.isTruthy || value == .bool(true) { return .bool(false) }
        var v: IPNetwork
        switch IPNetwork.parse(value) {
        case .ip(let n): v = n
        case .notAddress: return .bool(false)
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        }
        // An integer is read as IPv6 when `ipv6` asks for it, else as IPv4 when it fits.
        let isInteger: Bool
        switch value {
        case .int: isInteger = true
        case .string(let s): isInteger = s.allSatisfy { $0.isASCII && $0.isNumber }
        default: isInteger = false
        }
        if isInteger, version == 6, v.version == 4 { v = IPNetwork(ip: v.ip, prefix: 128, version: 6, isAddress: true) }
        if let version, version != v.version { return .bool(false) }
        // An integer input is the address it numbers, written back with its full prefix.
        let original: Value = value.stringValue.map { $0.allSatisfy(\.isNumber) } == false
            ? value : .string(v.text(v.ip) + "/\(v.width)")
        let ipText = v.text(v.ip)
        let withPrefix = ipText + "/\(v.prefix)"
        let isNetworkStart = v.ip == v.network
        let single = v.hostBits == 0
        func needNetwork() throws { if v.isAddress { throw call.fail("Not a network address") } }
        switch query {
        case "": return .string(v.isAddress ? ipText : withPrefix)
        case "address", "ip":
            if single || !isNetworkStart || v.broadcast == nil || v.version == 6 { return .string(ipText) }
            return .null
        case "address/prefix", "gateway", "gw", "host/prefix", "hostnet", "router":
            if v.hostBits >= 2, isNetworkStart || v.ip == v.broadcast { return .bool(false) }
            return .string(withPrefix)
        case "bool": return .bool(true)
        case "broadcast": return v.hostBits >= 2 ? .string(v.text(v.last)) : .null
        case "cidr": return .string(withPrefix)
        case "first_usable":
            try needNetwork()
            return v.usable.map { .string(v.text($0.0)) } ?? .null
        case "last_usable":
            try needNetwork()
            return v.usable.map { .string(v.text($0.1)) } ?? .null
        case "host":
            if single { return .string(withPrefix) }
            return !isNetworkStart || v.broadcast == nil ? .string(withPrefix) : .null
        case "hostmask", "wildcard": return .string(v.text(v.hostmask))
        case "int": return v.isAddress ? IPNetwork.intValue(v.ip) : .string("\(v.ip)/\(v.prefix)")
        case "ip/prefix", "ip_netmask":
            let text = query == "ip/prefix" ? withPrefix : ipText + " " + v.text(v.mask)
            return v.hostBits == 1 || (!single && !isNetworkStart) ? .string(text) : .null
        case "ipv4", "v4":
            guard v.version == 6 else { return original }
            guard let four = v.convertedToIPv4 else { return .bool(false) }
            return .string(four.text(four.ip) + "/\(four.prefix)")
        case "ipv6", "v6":
            guard v.version == 4 else { return original }
            let six = v.mappedToIPv6
            return .string(six.text(six.ip) + "/\(six.prefix)")
        case "link-local": return v.isLinkLocal ? original : .null
        case "lo", "loopback": return v.isLoopback ? original : .null
        case "multicast": return v.isMulticast ? original : .null
        case "net": return !single && isNetworkStart ? .string(withPrefix) : .null
        case "netmask": return .string(v.text(v.mask))
        case "network", "network_id": return .string(v.text(v.network))
        case "network/prefix", "subnet": return .string(v.text(v.network) + "/\(v.prefix)")
        case "network_netmask": return .string(v.text(v.network) + " " + v.text(v.mask))
        case "network_wildcard": return .string(v.text(v.network) + " " + v.text(v.hostmask))
        case "next_usable", "previous_usable":
            try needNetwork()
            guard let (first, last) = v.usable else { return .null }
            if query == "next_usable" {
                guard v.ip < v.maxValue, v.ip + 1 >= first, v.ip + 1 <= last else { return .null }
                return .string(v.text(v.ip + 1))
            }
            guard v.ip > 0, v.ip - 1 >= first, v.ip - 1 <= last else { return .null }
            return .string(v.text(v.ip - 1))
        case "prefix": return .int(v.prefix)
        case "private": return v.isPrivate ? original : .null
        case "public":
            let a = v.asAddress
            return !a.isMulticast && !a.isPrivate && !a.isLoopback && !a.isNetmask && !a.isHostmask ? original : .null
        case "range_usable":
            try needNetwork()
            return v.usable.map { .string(v.text($0.0) + "-" + v.text($0.1)) } ?? .null
        case "revdns":
            if v.version == 4 {
                let o = [v.ip & 255, (v.ip >> 8) & 255, (v.ip >> 16) & 255, v.ip >> 24]
                return .string(o.map { String($0) }.joined(separator: ".") + ".in-addr.arpa.")
            }
            let nibbles = (0..<32).map { String(v.ip >> UInt128(4 * $0) & 0xF, radix: 16) }
            return .string(nibbles.joined(separator: ".") + ".ip6.arpa.")
        case "size": return v.sizeValue
        case "size_usable":
            if v.hostBits <= 1 { return .int(v.hostBits == 0 ? 0 : 2) }
            guard let size = v.size else { return .string("340282366920938463463374607431768211454") }
            return IPNetwork.intValue(size - 2)
        case "type": return .string(single || !isNetworkStart ? "address" : "network")
        case "unicast": return !v.isMulticast ? original : .null
        case "version": return .int(v.version)
        case "wrap":
            guard v.version == 6 else { return original }
            return .string(v.isAddress ? "[\(ipText)]" : "[\(ipText)]/\(v.prefix)")
        default: break
        }
        if let n = Int(query) {
            if single { return .string(v.isAddress ? ipText : withPrefix) }
            let magnitude = UInt128(n.magnitude)
            let index: UInt128
            if n >= 0 {
                guard v.hostmask >= magnitude else { return .bool(false) }
                index = v.network + magnitude
            } else {
                guard v.hostmask >= magnitude - 1 else { return .bool(false) }
                index = v.last - (magnitude - 1)
            }
            return .string(v.text(index) + "/\(v.prefix)")
        }
        // Another address or network: is the value inside it (`cidr_lookup`)?
        switch IPNetwork.parse(.string(query)) {
        case .ip(let net): return v.isInside(net) ? original : .null
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        case .notAddress: throw call.fail("unknown filter type: \(query)")
        }
    }
}
