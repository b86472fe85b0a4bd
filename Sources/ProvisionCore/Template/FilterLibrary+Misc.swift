import Crypto
import Foundation

/// `permutations`, `combinations` (itertools), `to_uuid` (uuid5 in Ansible's namespace) and
/// `expanduser` (on the controller, as Ansible's filter runs there).
extension FilterLibrary {
    static let miscFilters: [String: Filter] = [
        "permutations": plain { call in
            let items = try call.list()
            let r = try call.args.int(0, "r") ?? items.count
            guard r >= 0 else { throw call.fail("r must be non-negative") }
            guard r <= items.count else { return .list([]) }
            var out: [Value] = []
            func build(_ chosen: [Int]) {
                if chosen.count == r { out.append(.tuple(chosen.map { items[$0] })); return }
                for i in items.indices where !chosen.contains(i) { build(chosen + [i]) }
            }
            build([])
            return .list(out)
        },
        "combinations": plain { call in
            let items = try call.list()
            guard let r = try call.args.int(0, "r") else { throw call.fail("needs the argument 'r'") }
            guard r >= 0 else { throw call.fail("r must be non-negative") }
            var out: [Value] = []
            func build(_ start: Int, _ chosen: [Value]) {
                if chosen.count == r { out.append(.tuple(chosen)); return }
                guard start < items.count else { return }
                for i in start..<items.count { build(i + 1, chosen + [items[i]]) }
            }
            build(0, [])
            return .list(out)
        },
        "to_uuid": plain { call in
            let namespace = try call.args.string(0, "namespace") ?? "361E6D51-FAEC-444A-9079-341386DA8E2E"
            guard let ns = UUID(uuidString: namespace) else { throw call.fail("Invalid value '\(namespace)' for 'namespace'") }
            let u = ns.uuid
            let nsBytes = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
            var b = Array(Insecure.SHA1.hash(data: Data(nsBytes + Array(try call.text().utf8))).prefix(16))
            b[6] = (b[6] & 0x0F) | 0x50
            b[8] = (b[8] & 0x3F) | 0x80
            let hex = b.map { String(format: "%02x", $0) }.joined()
            let c = Array(hex)
            return .string([c[0..<8], c[8..<12], c[12..<16], c[16..<20], c[20..<32]].map { String($0) }.joined(separator: "-"))
        },
        "expanduser": plain { call in
            let path = try call.text()
            guard path.hasPrefix("~") else { return .string(path) }
            let rest = path.dropFirst()
            guard rest.isEmpty || rest.hasPrefix("/") else { throw call.fail("'~user' paths are not supported") }
            guard let home = ProcessInfo.processInfo.environment["HOME"] else { throw call.fail("HOME is not set") }
            let base = home == "/" ? "" : home
            return .string(rest.isEmpty ? home : base + rest)
        },
    ]
}
