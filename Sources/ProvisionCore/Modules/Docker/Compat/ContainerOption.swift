import Foundation

/// One of `docker_container`'s plainer options, described as data: how the task's value becomes
/// `docker create` flags, where `docker container inspect` keeps it, and how the two compare.
///
/// The collection compares by the option's type: single values and ordered lists `strict`,
/// sets and dicts `allow_more_present` (a container may carry more than the task names), unless
/// `comparisons` says otherwise. Values are normalised to one of four shapes first, so the
/// comparison is the same code for every option.
public struct ContainerOption {
    /// A value in a comparable shape.
    public enum Shape: Equatable {
        case scalar(String)
        case int(Int)
        case flag(Bool)
        case list([String])
        case set(Set<String>)
        case dict([String: String])
    }

    public let name: String
    /// The ArgumentSpec kind of the task's value.
    let argument: ArgumentSpec.Kind
    /// Turns the task's value into (create flags, comparable wanted value).
    let make: (Value) throws -> (flags: [String], wanted: Shape)
    /// The container's value from its inspect output.
    let current: (_ config: Value, _ host: Value) -> Shape
    /// `docker update` can change it in place.
    var updatable = false
    /// The collection's default comparison when `comparisons` does not name the option.
    var defaultComparison = "strict"

    /// `wanted` against the container's value under `mode`.
    static func differs(_ wanted: Shape, _ current: Shape, mode: String) -> Bool {
        switch (wanted, current) {
        case (.set(let w), .set(let c)): return mode == "allow_more_present" ? !w.isSubset(of: c) : w != c
        case (.list(let w), .list(let c)): return mode == "allow_more_present" ? !Set(w).isSubset(of: Set(c)) : w != c
        case (.dict(let w), .dict(let c)):
            return mode == "allow_more_present" ? w.contains { c[$0.key] != $0.value } : w != c
        default: return wanted != current
        }
    }

}

extension ContainerOption {
    static func strings(_ v: Value?) -> [String] { v?.listValue?.map(\.renderedString) ?? [] }

    static func stringDict(_ v: Value?) -> [String: String] {
        (v?.dictValue ?? [:]).mapValues(\.renderedString)
    }

    static func path(_ v: Value, _ keys: [String]) -> Value? {
        keys.reduce(Optional(v)) { $0?[$1] }
    }

    /// A string value at `path` (`HostConfig` or `Config` first).
    static func string(_ name: String, _ flag: String, _ where_: String, _ key: String) -> ContainerOption {
        ContainerOption(name: name, argument: .string, make: { v in
            ([flag, v.renderedString], .scalar(v.renderedString))
        }, current: { c, h in .scalar((where_ == "Config" ? c : h)[key]?.renderedString ?? "") })
    }

    static func int(_ name: String, _ flag: String, _ key: String, updatable: Bool = false) -> ContainerOption {
        ContainerOption(name: name, argument: .int, make: { v in
            guard let i = SwarmInfo.int(v) ?? Int(v.renderedString) else { throw ModuleError("'\(name)' must be an integer") }
            return ([flag, String(i)], .int(i))
        }, current: { _, h in .int(SwarmInfo.int(h[key]) ?? 0) }, updatable: updatable)
    }

    /// A size (`512m`, `1g`) compared in bytes.
    static func bytes(_ name: String, _ flag: String, _ key: String, updatable: Bool = false) -> ContainerOption {
        ContainerOption(name: name, argument: .string, make: { v in
            // `unlimited` (memory_swap) is docker's -1.
            let s = v.renderedString == "unlimited" ? "-1" : v.renderedString
            let n: Int?
            if s == "-1" { n = -1 } else { n = ContainerSpec.bytes(s) }
            guard let n else { throw ModuleError("Failed to convert \(name) to bytes: '\(s)' is not a size") }
            return ([flag, s], .int(n))
        }, current: { _, h in .int(SwarmInfo.int(h[key]) ?? 0) }, updatable: updatable)
    }

    static func bool(_ name: String, _ flag: String, _ key: String, config: Bool = false) -> ContainerOption {
        ContainerOption(name: name, argument: .bool, make: { v in
            let b = SwarmInfo.bool(v)
            return ([flag + "=" + (b ? "true" : "false")], .flag(b))
        }, current: { c, h in .flag(SwarmInfo.bool((config ? c : h)[key])) })
    }

    /// A list given as repeated flags; `ordered` lists compare strictly in order by default.
    static func list(_ name: String, _ flag: String, _ key: String, ordered: Bool,
                     normalise: @escaping (String) -> String = { $0 }) -> ContainerOption {
        ContainerOption(name: name, argument: .list, make: { v in
            let items = v.listValue?.map(\.renderedString) ?? (v.isNull ? [] : [v.renderedString])
            let flags = items.flatMap { [flag, $0] }
            let norm = items.map(normalise)
            return (flags, ordered ? .list(norm) : .set(Set(norm)))
        }, current: { _, h in
            let have = strings(h[key]).map(normalise)
            return ordered ? .list(have) : .set(Set(have))
        }, defaultComparison: ordered ? "strict" : "allow_more_present")
    }

    /// A mapping given as repeated `flag k=v`.
    static func dict(_ name: String, _ flag: String, _ current: @escaping (Value, Value) -> [String: String],
                     separator: String = "=") -> ContainerOption {
        ContainerOption(name: name, argument: .dict, make: { v in
            var d: [String: String] = [:]
            for (k, x) in v.dictValue ?? [:] {
                if case .bool(let b) = x { d[k] = b ? "true" : "false" } else { d[k] = x.renderedString }
            }
            return (d.sorted { $0.key < $1.key }.flatMap { [flag, "\($0.key)\(separator)\($0.value)"] }, .dict(d))
        }, current: { c, h in .dict(current(c, h)) }, defaultComparison: "allow_more_present")
    }

    static func capability(_ s: String) -> String {
        let u = s.uppercased()
        return u.hasPrefix("CAP_") ? String(u.dropFirst(4)) : u
    }
}
