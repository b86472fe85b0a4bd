/// The filters templates can use, by name.
enum FilterLibrary {
    typealias Filter = (FilterCall) throws -> Operand

    static let all: [String: Filter] = {
        var all: [String: Filter] = [:]
        for group in [stringFilters, collectionFilters, setFilters, numberFilters, encodingFilters, regexFilters,
                      higherOrderFilters, listFilters, jinjaFilters, unitFilters, encryptionFilters, ipFilters, hwaddrFilters, miscFilters,
                      commentFilters, communityFilters, textFilters, dateTimeFilters] {
            all.merge(group) { a, _ in a }
        }
        return all
    }()

    /// The name a filter is registered under: `ansible.<collection>.name` is `name`, unless the
    /// filter exists only by its full name (a collection's filter ansible-core does not route).
    static func canonicalName(_ name: String) -> String {
        canonicalName(name, registeredAsIs: all[name] != nil, jinjaOnly: Evaluator.jinjaOnlyFilters)
    }

    /// `ansible.<collection>.name` as `name`, unless the full name is the one registered, or
    /// `name` is one of Jinja's own (no collection carries `ansible.builtin.upper`: Ansible
    /// fails on it, so the full name, which nothing is registered under, is kept).
    /// Filters and tests resolve their names alike.
    static func canonicalName(_ name: String, registeredAsIs: Bool, jinjaOnly: Set<String>) -> String {
        if registeredAsIs { return name }
        let parts = name.split(separator: ".")
        guard parts.count == 3, parts[0] == "ansible", !jinjaOnly.contains(String(parts[2])) else { return name }
        return String(parts[2])
    }

    /// Wraps a filter whose result is always a plain value.
    static func plain(_ body: @escaping (FilterCall) throws -> Value) -> Filter {
        { .value(try body($0)) }
    }
}
