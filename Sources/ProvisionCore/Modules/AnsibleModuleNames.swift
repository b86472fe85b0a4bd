/// Every module name Ansible knows, with its routing of old short names, so that the loader
/// can tell "a module Ansible has but provision does not implement" (a warning, and a failure
/// only on a host that reaches the task) from "a name no Ansible collection has" (a load
/// error, as Ansible's own parser gives).
///
/// The data (`AnsibleModuleNames+Data.swift`) is generated from Debian's `ansible` package
/// (ansible-core 2.14 and the community collections) by `scripts/dev/gen-module-names`.
public enum AnsibleModuleNames {
    /// The canonical fully-qualified name (`ansible.posix.mount`) that a task key resolves to
    /// as Ansible resolves it, or nil when no Ansible collection has it.
    ///
    /// - Short names (`copy`, `mount`) are looked up in `collections` first (a play's or
    ///   role's `collections:` keyword), then in ansible.builtin, then through ansible-core's
    ///   routing of pre-2.10 names (`mount` → `ansible.posix.mount`).
    /// - `ansible.builtin.X` and `ansible.legacy.X` are the builtin X, routed as above.
    /// - Other fully-qualified names are looked up in their collection, following the
    ///   collection's own redirects.
    public static func resolve(_ key: String, collections: [String] = []) -> String? {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 1 {
            for c in collections {
                if let r = resolveQualified(c + "." + key) { return r }
            }
            return resolveQualified("ansible.builtin." + key)
        }
        guard parts.count >= 3 else { return nil }
        if key.hasPrefix("ansible.legacy.") {
            return resolveQualified("ansible.builtin." + key.dropFirst("ansible.legacy.".count))
        }
        return resolveQualified(key)
    }

    /// True when `key` names a module of some Ansible collection.
    public static func isKnown(_ key: String, collections: [String] = []) -> Bool {
        resolve(key, collections: collections) != nil
    }

    /// The short module name of a fully-qualified one (`ansible.posix.mount` → `mount`).
    public static func shortName(_ fqcn: String) -> String {
        fqcn.split(separator: ".").last.map(String.init) ?? fqcn
    }

    /// Every known fully-qualified module name, for "did you mean" hints.
    public static var allNames: [String] { Array(modules) }

    private static func resolveQualified(_ name: String) -> String? {
        var current = name
        var seen: Set<String> = []
        while seen.insert(current).inserted {
            if modules.contains(current) { return current }
            guard let next = routes[current] else { return nil }
            current = next
        }
        return nil
    }

    /// `namespace.collection.module` for every module.
    private static let modules: Set<String> = {
        var out: Set<String> = []
        for line in collectionsData.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let coll = line[..<colon]
            for m in line[line.index(after: colon)...].split(separator: " ") {
                out.insert(coll + "." + m)
            }
        }
        return out
    }()

    /// Redirects, `collection.name` → `target.collection.name`.
    private static let routes: [String: String] = {
        var out: [String: String] = [:]
        for line in routesData.split(separator: "\n") {
            let pair = line.split(separator: " ")
            if pair.count == 2 { out[String(pair[0])] = String(pair[1]) }
        }
        return out
    }()
}
