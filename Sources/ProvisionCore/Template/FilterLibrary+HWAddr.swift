import Foundation

/// ansible.utils' `hwaddr`/`macaddr` (a MAC address read as netaddr's EUI-48 reads it, written
/// in one of its dialects), `slaac`, `usable_range` and `reduce_on_network`.
extension FilterLibrary {
    static let hwaddrFilters: [String: Filter] = [
        "hwaddr": plain { call in try hwaddr(call, alias: try call.args.string(1, "alias") ?? "hwaddr") },
        "ansible.utils.macaddr": plain { call in try hwaddr(call, alias: "macaddr") },
        "slaac": plain { call in
            let value = try call.value()
            guard case .ip(let net) = IPNetwork.parse(value), net.version == 6 else { return .bool(false) }
            guard let query = try call.args.value(0, "query"), query.isTruthy else { return .bool(false) }
            guard let mac = MACAddress.parse(query) else { return .bool(false) }
            let network = (net.network >> 64) << 64
            return .string(IPNetwork.text(network | mac.modifiedEUI64, version: 6))
        },
        "ansible.utils.usable_range": plain { call in
            guard case .string(let text) = try call.value() else { throw call.fail("argument 'ip' is of type \(try call.value().typeName) and we were unable to convert to str") }
            guard case .ip(let net) = IPNetwork.parse(.string(text)) else {
                throw call.fail("Error while using plugin 'usable_range': '\(text)' does not appear to be an IPv4 or IPv6 network")
            }
            guard net.ip == net.network else { throw call.fail("Error while using plugin 'usable_range': \(text) has host bits set") }
            guard let size = net.size, size <= 1 << 20 else {
                throw call.fail("usable_range of '\(text)' lists more than 1048576 addresses; provision refuses to build that list")
            }
            if net.version == 6, !(0..<size).allSatisfy({ !IPNetwork.text(net.network + $0, version: 6).contains(".") }) {
                throw call.fail("usable_range: IPv6 addresses holding an IPv4 part are written by Python's ipaddress rules provision does not copy")
            }
            var out = ValueDict()
            out["usable_ips"] = .list((0..<size).map { .string(IPNetwork.text(net.network + $0, version: net.version)) })
            out["number_of_ips"] = IPNetwork.intValue(size)
            return .dict(out)
        },
        "reduce_on_network": plain { call in
            let network = try call.args.required(0, "network")
            guard let (first, last) = try subnetBounds(network, call: call) else { return .list([]) }
            return .list(try call.list().filter { address in
                guard let (a, b) = try subnetBounds(address, call: call) else { return false }
                return first <= a && a <= last && first <= b && b <= last
            })
        },
    ]

    /// `_address_normalizer` then the first and last address: an address or network as its
    /// subnet; nil (False in the collection) for anything else.
    private static func subnetBounds(_ v: Value, call: FilterCall) throws -> (UInt128, UInt128)? {
        switch IPNetwork.parse(v) {
        case .ip(let net): return (net.network, net.last)
        case .notAddress: return nil
        case .unsupported(let what): throw call.fail("\(what) is read by netaddr rules provision does not copy")
        }
    }

    private static func hwaddr(_ call: FilterCall, alias: String) throws -> Value {
        let value = try call.value()
        let query = try call.args.string(0, "query") ?? ""
        let known = ["", "bare", "bool", "int", "cisco", "eui48", "linux", "pgsql", "postgresql", "psql", "unix", "win"]
        guard let mac = MACAddress.parse(value) else {
            if !query.isEmpty, query != "bool" { throw call.fail("\(alias): not a hardware address: \(PythonRepr.str(value))") }
            guard known.contains(query) else { throw call.fail("\(alias): unknown filter type: \(query)") }
            return .null
        }
        switch query {
        case "": return value
        case "bool": return .bool(true)
        case "int": return .int(Int(mac.value))
        case "bare": return .string(mac.words(1, width: 12, separator: "").uppercased())
        case "cisco": return .string(mac.words(3, width: 4, separator: "."))
        case "linux": return .string(mac.words(6, width: 2, separator: ":"))
        case "unix": return .string(mac.words(6, width: 1, separator: ":"))
        case "pgsql", "postgresql", "psql": return .string(mac.words(2, width: 6, separator: ":"))
        case "eui48", "win": return .string(mac.words(6, width: 2, separator: "-").uppercased())
        default: throw call.fail("\(alias): unknown filter type: \(query)")
        }
    }
}

/// A 48-bit MAC address in the text forms netaddr's EUI accepts: six groups of 1–2 hex digits,
/// three of 1–4 or two of 5–6, each form with one separator (`:`, `-`, and `.` for three),
/// or twelve digits alone; or an integer that fits in 48 bits.
struct MACAddress {
    let value: UInt64

    static func parse(_ v: Value) -> MACAddress? {
        switch v {
        case .int(let i): return (0...0xFFFF_FFFF_FFFF).contains(i) ? MACAddress(value: UInt64(i)) : nil
        case .string(let s): return parse(s)
        default: return nil
        }
    }

    static func parse(_ s: String) -> MACAddress? {
        guard !s.isEmpty, s.allSatisfy({ $0.isHexDigit || ":-.".contains($0) }) else { return nil }
        let separators = Set(s.filter { ":-.".contains($0) })
        guard separators.count <= 1 else { return nil }
        let groups = separators.first.map { sep in s.split(separator: sep, omittingEmptySubsequences: false).map(String.init) } ?? [s]
        let widths: ClosedRange<Int>
        switch (groups.count, separators.first) {
        case (6, ":"?), (6, "-"?): widths = 1...2
        case (3, _?): widths = 1...4
        case (2, ":"?), (2, "-"?): widths = 5...6
        case (1, nil): widths = 12...12
        default: return nil
        }
        guard groups.allSatisfy({ widths.contains($0.count) }) else { return nil }
        let bits = UInt64(48 / groups.count)
        var value: UInt64 = 0
        for g in groups {
            guard let n = UInt64(g, radix: 16) else { return nil }
            value = value << bits | n
        }
        return MACAddress(value: value)
    }

    /// The address in `count` groups of hex digits, each at least `width` wide, lowercase.
    func words(_ count: Int, width: Int, separator: String) -> String {
        let bits = UInt64(48 / count)
        return (0..<count).reversed().map { i -> String in
            let word = String((value >> (UInt64(i) * bits)) & ((1 << bits) - 1), radix: 16)
            return String(repeating: "0", count: max(0, width - word.count)) + word
        }.joined(separator: separator)
    }

    /// The interface identifier SLAAC derives: `ff:fe` in the middle, the universal/local bit flipped.
    var modifiedEUI64: UInt128 {
        let high = UInt128(value >> 24) ^ 0x02_0000, low = UInt128(value & 0xFF_FFFF)
        return high << 40 | UInt128(0xFFFE) << 24 | low
    }
}
