/// An IPv4 or IPv6 address with a prefix, as netaddr's `IPNetwork` holds it for the
/// `ansible.utils` ipaddr filters: the address as written (not masked), the prefix length,
/// the version. Values are 128-bit; an IPv4 one never exceeds 32 bits.
struct IPNetwork {
    var ip: UInt128
    var prefix: Int
    var version: Int
    /// "address" when written without a prefix (or given as an integer), else "network".
    var isAddress: Bool

    var width: Int { version == 4 ? 32 : 128 }
    var hostBits: Int { width - prefix }
    var maxValue: UInt128 { version == 4 ? 0xFFFF_FFFF : .max }
    var hostmask: UInt128 { hostBits >= 128 ? .max : (UInt128(1) << UInt128(hostBits)) - 1 }
    var mask: UInt128 { maxValue ^ hostmask }
    var network: UInt128 { ip & mask }
    var last: UInt128 { network | hostmask }
    /// netaddr has no broadcast address for /31 and /32 (/127 and /128).
    var broadcast: UInt128? { hostBits <= 1 ? nil : last }
    /// The number of addresses; nil for IPv6 `/0` (2**128, beyond 128 bits).
    var size: UInt128? { hostBits >= 128 ? nil : UInt128(1) << UInt128(hostBits) }
    /// Python's `v.size` as a value: an int, or its decimal text when wider than Int.
    var sizeValue: Value { size.map(Self.intValue) ?? .string("340282366920938463463374607431768211456") }

    init(ip: UInt128, prefix: Int, version: Int = 4, isAddress: Bool) {
        (self.ip, self.prefix, self.version, self.isAddress) = (ip, prefix, version, isAddress)
    }

    static func intValue(_ n: UInt128) -> Value { n <= UInt128(Int.max) ? .int(Int(n)) : .string(String(n)) }

    /// The address's text: dotted quad, or IPv6 as glibc's inet_ntop writes it (netaddr's form).
    func text(_ a: UInt128) -> String { Self.text(a, version: version) }

    static func text(_ a: UInt128, version: Int) -> String {
        if version == 4 { return "\(a >> 24 & 255).\(a >> 16 & 255).\(a >> 8 & 255).\(a & 255)" }
        let words = (0..<8).map { Int(a >> UInt128(112 - 16 * $0) & 0xFFFF) }
        // The longest run of zero words (at least two), the first of equal ones, becomes '::'.
        var best = (base: -1, len: 0), cur = (base: -1, len: 0)
        for (i, w) in words.enumerated() {
            if w == 0 {
                cur = cur.base == -1 ? (i, 1) : (cur.base, cur.len + 1)
                if cur.len > best.len { best = cur }
            } else { cur = (-1, 0) }
        }
        if best.len < 2 { best = (-1, 0) }
        var out = ""
        var i = 0
        while i < 8 {
            if i == best.base {
                out += "::"
                i += best.len
                continue
            }
            if i > 0, !out.hasSuffix(":") { out += ":" }
            // An IPv4-compatible or -mapped address ends in dotted form.
            if i == 6, best.base == 0, best.len == 6 || (best.len == 5 && words[5] == 0xFFFF) {
                out += text(a & 0xFFFF_FFFF, version: 4)
                break
            }
            out += String(words[i], radix: 16)
            i += 1
        }
        return out
    }

    /// What parsing a filter's input gave.
    enum Parsed {
        case ip(IPNetwork)
        /// Not an address: the filters give False.
        case notAddress
        /// A form netaddr reads by rules provision does not copy (`10.1`): refused.
        case unsupported(String)
    }

    static func parse(_ value: Value) -> Parsed {
        switch value {
        case .null, .bool: return .notAddress
        case .int(let i):
            guard i >= 0 else { return .notAddress }
            return fromInteger(UInt128(i))
        case .string(let raw):
            if raw.isEmpty { return .notAddress }
            if raw.allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard let i = UInt128(raw) else { return .notAddress }
                return fromInteger(i)
            }
            let s = raw.trimmingCharacters(in: .whitespaces)
            if s.contains(":") { return strict6(s).map(Parsed.ip) ?? .notAddress }
            if let n = strict(s) { return .ip(n) }
            // Four dotted decimal parts with one above 255: netaddr rejects it, not an address.
            let head = s.split(separator: "/", maxSplits: 1)[0].split(separator: ".", omittingEmptySubsequences: false)
            if head.count == 4, head.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }),
               head.contains(where: { (Int($0) ?? 0) > 255 }) {
                return .notAddress
            }
            if s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "/") }) {
                // `10.1`, `1.2.3.4/33` and friends: netaddr expands some and rejects others.
                return .unsupported("the address form '\(raw)'")
            }
            return .notAddress
        default:
            return .notAddress
        }
    }

    /// An integer is an IPv4 address when it fits in 32 bits, else IPv6.
    private static func fromInteger(_ i: UInt128) -> Parsed {
        if i <= 0xFFFF_FFFF { return .ip(IPNetwork(ip: i, prefix: 32, version: 4, isAddress: true)) }
        return .ip(IPNetwork(ip: i, prefix: 128, version: 6, isAddress: true))
    }

    private static func strict(_ s: String) -> IPNetwork? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let ip = dotted(parts[0]) else { return nil }
        if parts.count == 2, parts[1].contains("."), let m = strict(String(parts[1])), m.isAddress, m.ip != 0 {
            // A netmask written as the prefix (`192.168.1.0/255.255.255.0`); a hostmask is refused.
            let inverted = ~m.ip & 0xFFFF_FFFF
            guard inverted & (inverted &+ 1) == 0 else { return nil }
            return IPNetwork(ip: ip, prefix: m.ip.nonzeroBitCount, isAddress: false)
        }
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let p = Int(parts[1]), p <= 32 else { return nil }
            return IPNetwork(ip: ip, prefix: p, isAddress: false)
        }
        return IPNetwork(ip: ip, prefix: 32, isAddress: true)
    }

    /// Four dotted decimal octets (inet_pton's strict form).
    private static func dotted(_ s: Substring) -> UInt128? {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var ip: UInt128 = 0
        for o in octets {
            guard (1...3).contains(o.count), o.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt128(o), v <= 255 else { return nil }
            ip = ip << 8 | v
        }
        return ip
    }

    /// An IPv6 address (inet_pton's rules: one '::', 1-4 hex digits a group, an optional
    /// trailing dotted IPv4) with an optional `/prefix` (0-128, or a netmask address).
    private static func strict6(_ s: String) -> IPNetwork? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let ip = address6(parts[0]) else { return nil }
        guard parts.count == 2 else { return IPNetwork(ip: ip, prefix: 128, version: 6, isAddress: true) }
        if let p = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard p <= 128 else { return nil }
            return IPNetwork(ip: ip, prefix: p, version: 6, isAddress: false)
        }
        guard let m = address6(parts[1]) else { return nil }
        let inverted = ~m
        guard inverted & (inverted &+ 1) == 0 else { return nil }
        return IPNetwork(ip: ip, prefix: m.nonzeroBitCount, version: 6, isAddress: false)
    }

    private static func address6(_ s: Substring) -> UInt128? {
        guard !s.isEmpty, s.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ text: String, allowV4: Bool) -> [UInt16]? {
            if text.isEmpty { return [] }
            var out: [UInt16] = []
            let items = text.split(separator: ":", omittingEmptySubsequences: false)
            for (i, g) in items.enumerated() {
                if g.contains(".") {
                    guard allowV4, i == items.count - 1, let v4 = dotted(g) else { return nil }
                    out += [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                } else {
                    guard (1...4).contains(g.count), let w = UInt16(g, radix: 16) else { return nil }
                    out.append(w)
                }
            }
            return out
        }
        let words: [UInt16]
        if halves.count == 2 {
            guard let head = groups(halves[0], allowV4: false), let tail = groups(halves[1], allowV4: true),
                  head.count + tail.count <= 7 else { return nil }
            words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = groups(halves[0], allowV4: true), all.count == 8 else { return nil }
            words = all
        }
        return words.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
    }

    /// True when this whole network lies inside `other` (netaddr's `in` for networks).
    func isInside(_ other: IPNetwork) -> Bool {
        version == other.version && prefix >= other.prefix && network & other.mask == other.network
    }

    private static func net(_ text: String) -> IPNetwork {
        guard case .ip(let n) = parse(.string(text)) else { preconditionFailure("bad built-in network \(text)") }
        return n
    }

    /// netaddr's `IPV4_PRIVATE`/`IPV6_PRIVATE` ranges and link-local, which `is_private` also counts.
    static let privateRanges: [IPNetwork] = [
        "10.0.0.0/8", "100.64.0.0/10", "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15",
        "239.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fec0::/10", "fe80::/10",
    ].map(net)
    static let multicast4 = net("224.0.0.0/4"), multicast6 = net("ff00::/8")
    static let linkLocal4 = net("169.254.0.0/16"), linkLocal6 = net("fe80::/10")

    var isPrivate: Bool { Self.privateRanges.contains { isInside($0) } }
    var isMulticast: Bool { isInside(version == 4 ? Self.multicast4 : Self.multicast6) }
    var asAddress: IPNetwork { IPNetwork(ip: ip, prefix: width, version: version, isAddress: true) }
    var isLoopback: Bool { version == 4 ? ip >> 24 == 127 : ip == 1 }
    var isLinkLocal: Bool { asAddress.isInside(version == 4 ? Self.linkLocal4 : Self.linkLocal6) }
    /// `IPAddress.is_netmask()`/`is_hostmask()` of the address.
    var isNetmask: Bool { let inv = (ip ^ maxValue); return inv == maxValue || (inv &+ 1) & inv == 0 }
    var isHostmask: Bool { ip == maxValue || (ip &+ 1) & ip == 0 }

    /// netaddr's first and last usable host (`_first_last`); nil for a single address.
    var usable: (UInt128, UInt128)? {
        if hostBits == 0 { return nil }
        if hostBits == 1 { return (network, last) }
        return (network + 1, last - 1)
    }

    /// `IPNetwork.ipv6()`: an IPv4 network as IPv4-mapped IPv6.
    var mappedToIPv6: IPNetwork {
        version == 6 ? self : IPNetwork(ip: 0xFFFF_0000_0000 | ip, prefix: prefix + 96, version: 6, isAddress: isAddress)
    }

    /// `IPNetwork.ipv4()`: an IPv4-compatible or -mapped IPv6 network as IPv4; nil otherwise.
    var convertedToIPv4: IPNetwork? {
        if version == 4 { return self }
        guard prefix >= 96 else { return nil }
        if ip <= 0xFFFF_FFFF { return IPNetwork(ip: ip, prefix: prefix - 96, isAddress: isAddress) }
        if ip >= 0xFFFF_0000_0000, ip <= 0xFFFF_FFFF_FFFF { return IPNetwork(ip: ip - 0xFFFF_0000_0000, prefix: prefix - 96, isAddress: isAddress) }
        return nil
    }
}

/// Python's `ipaddress` module, which ansible.utils' tests use: stricter than netaddr (no
/// leading zeros in an IPv4 octet), and `ip_network` refuses host bits.
extension IPNetwork {
    /// `ipaddress.ip_address(text)`.
    static func pythonAddress(_ text: String) -> IPNetwork? {
        if text.contains("/") { return nil }
        if text.contains(":") {
            // A zone (`fe80::1%eth0`) is allowed once and not empty; it does not change the address.
            let pieces = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
            if pieces.count == 2, pieces[1].isEmpty || pieces[1].contains("%") { return nil }
            let bare = String(pieces[0])
            guard let ip = address6(Substring(bare)), pythonDottedParts(bare) else { return nil }
            return IPNetwork(ip: ip, prefix: 128, version: 6, isAddress: true)
        }
        guard pythonDottedParts(text), let ip = dotted(Substring(text)) else { return nil }
        return IPNetwork(ip: ip, prefix: 32, version: 4, isAddress: true)
    }

    /// `ipaddress.ip_network(text)` (strict): `addr`, `addr/len`, and for IPv4 `addr/netmask`
    /// or `addr/hostmask`.
    static func pythonNetwork(_ text: String) -> IPNetwork? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = pythonAddress(String(parts[0])) else { return nil }
        var prefix = address.width
        if parts.count == 2 {
            let p = parts[1]
            if !p.isEmpty, p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(p), n <= address.width {
                prefix = n
            } else if address.version == 4, let mask = pythonAddress(String(p)), mask.version == 4 {
                let inverted = ~mask.ip & 0xFFFF_FFFF
                if inverted & (inverted &+ 1) == 0 {
                    prefix = mask.ip.nonzeroBitCount
                } else if mask.ip & (mask.ip &+ 1) == 0 {
                    prefix = 32 - mask.ip.nonzeroBitCount
                } else {
                    return nil
                }
            } else {
                return nil
            }
        }
        let net = IPNetwork(ip: address.ip, prefix: prefix, version: address.version, isAddress: false)
        return net.ip == net.network ? net : nil
    }

    /// Every dotted IPv4 part written without leading zeros, as Python 3.9.5+ requires.
    private static func pythonDottedParts(_ text: String) -> Bool {
        guard let v4 = text.split(separator: ":").last, v4.contains(".") else { return true }
        return v4.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { $0.count <= 1 || !$0.hasPrefix("0") }
    }
}
