/// An IPv4 address with a prefix, as netaddr's `IPNetwork` holds it for the `ansible.utils`
/// ipaddr filters: the address as written (not masked) and the prefix length.
struct IPv4Network {
    var ip: UInt32
    var prefix: Int
    /// "address" when written without a prefix (or given as an integer), else "network".
    var isAddress: Bool

    var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix) }
    var network: UInt32 { ip & mask }
    var last: UInt32 { network | ~mask }
    var size: UInt64 { UInt64(1) << UInt64(32 - prefix) }
    /// netaddr has no broadcast address for /31 and /32.
    var broadcast: UInt32? { prefix >= 31 ? nil : last }

    static func text(_ a: UInt32) -> String { "\(a >> 24).\((a >> 16) & 255).\((a >> 8) & 255).\(a & 255)" }

    /// What parsing a filter's input gave.
    enum Parsed {
        case v4(IPv4Network)
        /// Not an address: the filters give False.
        case notAddress
        /// A form netaddr reads by rules provision does not copy (IPv6, `10.1`): refused.
        case unsupported(String)
    }

    static func parse(_ value: Value) -> Parsed {
        switch value {
        case .null, .bool: return .notAddress
        case .int(let i):
            guard i >= 0, i <= Int(UInt32.max) else { return .unsupported("an integer address beyond IPv4") }
            return .v4(IPv4Network(ip: UInt32(i), prefix: 32, isAddress: true))
        case .string(let raw):
            if raw.isEmpty { return .notAddress }
            if raw.allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard let i = UInt32(raw) else { return .unsupported("an integer address beyond IPv4") }
                return .v4(IPv4Network(ip: i, prefix: 32, isAddress: true))
            }
            let s = raw.trimmingCharacters(in: .whitespaces)
            if s.contains(":") { return .unsupported("IPv6 addresses") }
            if let n = strict(s) { return .v4(n) }
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

    private static func strict(_ s: String) -> IPv4Network? {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var ip: UInt32 = 0
        for o in octets {
            guard (1...3).contains(o.count), o.allSatisfy({ $0.isASCII && $0.isNumber }), let v = UInt32(o), v <= 255 else { return nil }
            ip = ip << 8 | v
        }
        if parts.count == 2, parts[1].contains("."), let m = strict(String(parts[1])), m.isAddress, m.ip != 0 {
            // A netmask written as the prefix (`192.168.1.0/255.255.255.0`); a hostmask is refused.
            guard (~m.ip) & (~m.ip &+ 1) == 0 else { return nil }
            return IPv4Network(ip: ip, prefix: m.ip.nonzeroBitCount, isAddress: false)
        }
        if parts.count == 2 {
            guard (1...2).contains(parts[1].count), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let p = Int(parts[1]), p <= 32 else { return nil }
            return IPv4Network(ip: ip, prefix: p, isAddress: false)
        }
        return IPv4Network(ip: ip, prefix: 32, isAddress: true)
    }

    /// netaddr's `IPV4_PRIVATE` ranges (and link-local, which `is_private` also counts).
    static let privateRanges: [(UInt32, UInt32)] = [
        (0x0A00_0000, 8), (0x6440_0000, 10), (0xAC10_0000, 12), (0xC000_0000, 24), (0xC0A8_0000, 16), (0xC612_0000, 15),
        (0xEF00_0000, 8), (0xA9FE_0000, 16),
    ].map { ($0.0, UInt32($0.1)) }

    /// True when the whole network lies in one private range.
    var isPrivate: Bool {
        Self.privateRanges.contains { base, bits in
            let m: UInt32 = UInt32.max << (32 - bits)
            return network & m == base && last & m == base
        }
    }

    /// netaddr's first and last usable host (`_first_last`); nil for a single address.
    var usable: (UInt32, UInt32)? {
        if size == 1 { return nil }
        if size == 2 { return (network, last) }
        return (network + 1, last - 1)
    }
}
