import OrderedCollections

/// A mapping value that keeps its keys in insertion order, as Python's dict (and so Ansible)
/// does: YAML mappings, registered results and filter outputs iterate, render and serialise in
/// the order they were written or built.
///
/// Equality ignores order, as Python's `==` on dicts does; iteration, `keys`, `values` and
/// every rendering follow it.
public struct ValueDict: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: Value)
    public typealias Index = Int

    private var storage: OrderedDictionary<String, Value>

    public init() { storage = [:] }

    /// From a Swift dictionary, whose order is unspecified: keys are sorted so the result is
    /// deterministic. Code that knows an order should build the `ValueDict` in that order.
    public init(_ dictionary: [String: Value]) {
        storage = [:]
        storage.reserveCapacity(dictionary.count)
        for key in dictionary.keys.sorted() { storage[key] = dictionary[key] }
    }

    /// From pairs in order; a repeated key keeps its first position and takes the last value.
    public init<S: Sequence>(_ pairs: S) where S.Element == (String, Value) {
        storage = [:]
        for (k, v) in pairs { storage[k] = v }
    }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    public subscript(position: Int) -> Element {
        let e = storage.elements[position]
        return (key: e.key, value: e.value)
    }

    // MARK: Dictionary-like API

    public subscript(key: String) -> Value? {
        get { storage[key] }
        set { storage[key] = newValue }
    }

    public subscript(key: String, default defaultValue: @autoclosure () -> Value) -> Value {
        get { storage[key] ?? defaultValue() }
        set { storage[key] = newValue }
    }

    /// The keys in order.
    public var keys: [String] { Array(storage.keys) }
    /// The values in key order.
    public var values: [Value] { Array(storage.values) }

    public func index(forKey key: String) -> Int? { storage.index(forKey: key) }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? { storage.removeValue(forKey: key) }

    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: String) -> Value? {
        storage.updateValue(value, forKey: key)
    }

    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> ValueDict {
        var out = ValueDict()
        for (k, v) in storage { out.storage[k] = try transform(v) }
        return out
    }

    /// A Swift dictionary of transformed values (`mapValues(\.renderedString)`).
    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> [String: T] {
        var out: [String: T] = [:]
        for (k, v) in storage { out[k] = try transform(v) }
        return out
    }

    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> ValueDict {
        var out = ValueDict()
        for (k, v) in storage where try isIncluded((key: k, value: v)) { out.storage[k] = v }
        return out
    }

    /// Later keys win; new keys are appended in `other`'s order, existing ones keep their place.
    public func merging(_ other: ValueDict, uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows -> ValueDict {
        var out = self
        try out.merge(other, uniquingKeysWith: combine)
        return out
    }

    public mutating func merge(_ other: ValueDict, uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows {
        for (k, v) in other.storage {
            if let old = storage[k] { storage[k] = try combine(old, v) } else { storage[k] = v }
        }
    }

    public mutating func merge(_ other: [String: Value], uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows {
        try merge(ValueDict(other), uniquingKeysWith: combine)
    }

    /// A Swift dictionary of the same pairs (order dropped), for APIs that take one.
    public var dictionary: [String: Value] {
        Dictionary(uniqueKeysWithValues: storage.map { ($0.key, $0.value) })
    }

    // MARK: Equality as Python's

    public static func == (a: ValueDict, b: ValueDict) -> Bool {
        guard a.storage.count == b.storage.count else { return false }
        for (k, v) in a.storage where b.storage[k] != v { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: combine each pair's own hash commutatively.
        var sum = 0
        for (k, v) in storage {
            var h = Hasher()
            h.combine(k)
            h.combine(v)
            sum = sum &+ h.finalize()
        }
        hasher.combine(storage.count)
        hasher.combine(sum)
    }
}

extension Dictionary where Key == String, Value == ProvisionCore.Value {
    /// Variable maps (unordered by nature) take a mapping value's pairs.
    public init(_ d: ValueDict) {
        self.init(uniqueKeysWithValues: d.map { ($0.key, $0.value) })
    }

    public mutating func merge(_ other: ValueDict, uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows {
        for (k, v) in other {
            if let old = self[k] { self[k] = try combine(old, v) } else { self[k] = v }
        }
    }

    public func merging(_ other: ValueDict, uniquingKeysWith combine: (Value, Value) throws -> Value) rethrows -> [String: Value] {
        var out = self
        try out.merge(other, uniquingKeysWith: combine)
        return out
    }
}
