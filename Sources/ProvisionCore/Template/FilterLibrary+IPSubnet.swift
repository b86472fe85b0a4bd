/// `ansible.utils.ipsubnet` and `ansible.utils.cidr_merge`, with the collection's (and
/// netaddr's) rules for IPv4 and IPv6.
extension FilterLibrary {
    private static func parsedNetwork(_ value: Value, call: FilterCall) throws -> IPNetwork? {
        switch IPNetwork.parse(value) {
        case .ip(let n): return n
        case .notAddress: return nil
        case .unsupported(let what): throw call.fail("\(what) are not supported by provision's ipaddr filters")
        }
    }

    /// The network of an address or network: `IPNetwork(v).cidr` (an address as a full-length prefix).
    private static func cidr(_ n: IPNetwork) -> IPNetwork {
        IPNetwork(ip: n.network, prefix: n.prefix, version: n.version, isAddress: false)
    }

    private static func cidrText(_ n: IPNetwork) -> String { n.text(n.ip) + "/\(n.prefix)" }

    static func ipsubnet(_ call: FilterCall) throws -> Value {
        let input = try call.value()
        if !input.isTruthy || input == .bool(true) { return .bool(false) }
        guard let parsed = try parsedNetwork(input, call: call) else { return .bool(false) }
        let value = cidr(parsed)
        let isAddress = value.hostBits == 0
        let query = try call.args.value(0, "query").map { $0.isNull ? "" : PythonRepr.str($0) } ?? ""
        if query.isEmpty { return .string(cidrText(value)) }
        let total = value.width
        if query.allSatisfy({ $0.isASCII && $0.isNumber }) {
            guard let q = Int(query), q <= total else { return .bool(false) }
            guard let indexValue = try call.args.value(1, "index"), !indexValue.isNull else {
                if isAddress {
                    guard q < value.prefix else { throw call.fail("list index out of range") }
                    return .string(cidrText(cidr(IPNetwork(ip: value.ip, prefix: q, version: value.version, isAddress: false))))
                }
                guard q >= value.prefix else { throw call.fail("Requested subnet size of \(q) is invalid") }
                return q - value.prefix >= 64 ? .string(String(UInt128(1) << UInt128(q - value.prefix)))
                    : .string(String(UInt64(1) << UInt64(q - value.prefix)))
            }
            guard let index = Int(PythonRepr.str(indexValue)) else { throw call.fail("index must be an integer") }
            if isAddress {
                if Int128(index) > Int128(total) + 1 - Int128(index) || index < q - total { return .bool(false) }
                // `supernet(q)`: the supernets of prefixes q ..< prefix, Python-indexed.
                let count = value.prefix - q
                let i = index < 0 ? index + count : index
                guard count > 0, i >= 0, i < count else { throw call.fail("list index out of range") }
                return .string(cidrText(cidr(IPNetwork(ip: value.ip, prefix: q + i, version: value.version, isAddress: false))))
            }
            guard q >= value.prefix else { throw call.fail("Requested subnet size of \(q) is invalid") }
            let bits = q - value.prefix
            let subnets: UInt128? = bits >= 128 ? nil : UInt128(1) << UInt128(bits)
            // A negative index counts from the end, as Python's list does.
            let position: UInt128
            if index < 0 {
                guard let subnets, UInt128(index.magnitude) <= subnets else { return .bool(false) }
                position = subnets - UInt128(index.magnitude)
            } else {
                position = UInt128(index)
                if let subnets, position >= subnets { return .bool(false) }
            }
            let start = value.network + (position << UInt128(total - q))
            return .string(value.text(start) + "/\(q)")
        }
        guard let other = try parsedNetwork(.string(query), call: call) else {
            throw call.fail("You must pass a valid subnet or IP address; \(query) is invalid")
        }
        let outer = cidr(other)
        let shift = UInt128(total - outer.prefix)
        guard outer.version == value.version, shift >= 128 ? true : value.ip >> shift == outer.ip >> shift else {
            throw call.fail("\(cidrText(value)) is not in the subnet \(cidrText(outer))")
        }
        guard value.prefix >= outer.prefix else { throw call.fail("\(cidrText(value)) is larger than the subnet \(cidrText(outer))") }
        let inner = UInt128(total - value.prefix)
        let bits = value.prefix - outer.prefix
        let mask: UInt128 = bits >= 128 ? .max : (UInt128(1) << UInt128(bits)) - 1
        let position = inner >= 128 ? 0 : (value.ip >> inner) & mask
        return .string(String(position + 1))
    }

    static func cidrMerge(_ call: FilterCall) throws -> Value {
        guard case .list(let items) = try call.value() else {
            throw call.fail("cidr_merge: expected iterable, got \(PythonRepr.repr(try call.value()))")
        }
        let action = try call.args.string(0, "action") ?? "merge"
        func network(_ v: Value) throws -> IPNetwork {
            guard let n = try parsedNetwork(v, call: call), v.stringValue != nil else {
                throw call.fail("cidr_merge: error in netaddr:\ninvalid IPNetwork \(PythonRepr.str(v))")
            }
            return n
        }
        switch action {
        case "merge":
            var out: [Value] = []
            for version in [4, 6] {
                let nets: [IPNetwork] = try items.map(network).filter { $0.version == version }
                var ranges: [(UInt128, UInt128)] = nets.map { ($0.network, $0.last) }
                ranges.sort { (a: (UInt128, UInt128), b: (UInt128, UInt128)) -> Bool in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
                var merged: [(UInt128, UInt128)] = []
                for r in ranges {
                    if let lastRange = merged.last, lastRange.1 == .max || r.0 <= lastRange.1 + 1 {
                        merged[merged.count - 1].1 = max(lastRange.1, r.1)
                    } else { merged.append(r) }
                }
                for (first, last) in merged {
                    out += cidrs(first, last, version: version).map { .string(cidrText($0)) }
                }
            }
            return .list(out)
        case "span":
            if items.isEmpty { return .null }
            if items.count == 1 { return .string(cidrText(try network(items[0]))) }
            let nets = try items.map(network).sorted {
                ($0.version, $0.network, $0.last) < ($1.version, $1.network, $1.last)
            }
            guard let low = nets.first, let high = nets.last else { return .null }
            guard low.version == high.version else {
                throw call.fail("cidr_merge: error in netaddr:\nIP sequence cannot contain both IPv4 and IPv6!")
            }
            var ipnum = high.last, prefix = high.prefix
            let width = high.width
            while prefix > 0, ipnum > low.network {
                prefix -= 1
                let hostBits = width - prefix
                ipnum &= hostBits >= 128 ? 0 : ~((UInt128(1) << UInt128(hostBits)) - 1)
            }
            return .string(high.text(ipnum) + "/\(prefix)")
        default:
            throw call.fail("cidr_merge: invalid action '\(action)'")
        }
    }

    /// The fewest aligned networks that cover first...last exactly.
    private static func cidrs(_ first: UInt128, _ last: UInt128, version: Int) -> [IPNetwork] {
        let width = version == 4 ? 32 : 128
        var out: [IPNetwork] = []
        var start = first
        while true {
            // The largest block aligned at `start` that stays within `last`.
            var bits = start == 0 ? width : min(width, start.trailingZeroBitCount)
            while bits > 0 {
                let span: UInt128 = bits >= 128 ? .max : (UInt128(1) << UInt128(bits)) - 1
                if span <= last - start { break }
                bits -= 1
            }
            out.append(IPNetwork(ip: start, prefix: width - bits, version: version, isAddress: false))
            let span: UInt128 = bits >= 128 ? .max : (UInt128(1) << UInt128(bits)) - 1
            if last - start == span { break }
            start += span + 1
        }
        return out
    }
}
