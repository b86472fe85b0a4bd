/// The filters templates can use, by name.
enum FilterLibrary {
    typealias Filter = (FilterCall) throws -> Operand

    static let all: [String: Filter] = {
        var all: [String: Filter] = [:]
        for group in [stringFilters, collectionFilters, setFilters, numberFilters, encodingFilters, regexFilters,
                      higherOrderFilters, listFilters, jinjaFilters, unitFilters, ipFilters, miscFilters, commentFilters, communityFilters, textFilters,
                      dateTimeFilters] {
            all.merge(group) { a, _ in a }
        }
        return all
    }()

    /// Wraps a filter whose result is always a plain value.
    static func plain(_ body: @escaping (FilterCall) throws -> Value) -> Filter {
        { .value(try body($0)) }
    }
}
