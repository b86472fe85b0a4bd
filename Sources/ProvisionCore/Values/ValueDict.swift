import OrderedCollections

/// A mapping value that keeps its keys in insertion order, as Python's dict (and so Ansible)
/// does: YAML mappings, registered results and filter outputs iterate, render and serialise in
/// the order they were written or built.
///
/// Equality ignores order, as Python's `==` on dicts does; iteration, `keys`, `values` and
/// every rendering follow it.
///
/// Keys are text, as JSON and module arguments need them. A key that is not a string in
/// Python (YAML `1:`, `true:`, `null:`, Jinja `{1: 'a'}`) is stored under its JSON text (`"1"`,
/// `"true"`, `"null"`), what `to_json` and a module see, and its typed value is kept beside
/// it (`typedKey`), so templates print `{1: 'a'}`, find `d[1]` and miss `d['1']` as Python
/// does. Such keys are rare, so the side table is nil for nearly every dict. One limit: an
/// int key and the string of its digits (`{1: 'a', '1': 'b'}`) are one key here.
public struct ValueDict: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    public typealias Element = (key: String, value: Value)
    public typealias Index = Int

    private var storage: OrderedDictionary<String, Value>
    /// The keys that are not strings, by their JSON text; nil when every key is a string.
    private var nonStringKeys: [String: Value]?

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

    /// From typed pairs in order (`{1: 'a'}`, `dict(zip(...))`, `items2dict`): a key that is not
    /// a string keeps its type; a repeated key keeps its first position and takes the last value.
    public init<S: Sequence>(typedPairs pairs: S) where S.Element == (Value, Value) {
        storage = [:]
        for (k, v) in pairs { self[typedKey: k] = v }
    }

    // MARK: Typed keys

    /// The text a key is stored under: the string itself, or the JSON text of another scalar
    /// (`1`, `1.5`, `true`, `null`) as `to_json` writes it; a list or dict key (unhashable in
    /// Python) by its JSON text too.
    public static func storageKey(_ key: Value) -> String {
        if case .string(let s) = key { return s }
        return key.jsonString
    }

    /// The key stored as `text`, with its type: `.string(text)` unless it was typed.
    public func typedKey(_ text: String) -> Value {
        nonStringKeys?[text] ?? .string(text)
    }

    /// The key texts in Python's `sorted()` order of the keys: text order for strings,
    /// numeric order for int, float and bool keys (numbers before text where both occur,
    /// where Python would refuse to compare them).
    public var sortedKeys: [String] {
        guard hasNonStringKeys else { return storage.keys.sorted() }
        func number(_ k: String) -> Double? {
            switch typedKey(k) {
            case .int(let i): return Double(i)
            case .double(let d): return d
            case .bool(let b): return b ? 1 : 0
            default: return nil
            }
        }
        return storage.keys.sorted { a, b in
            switch (number(a), number(b)) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return a < b
            }
        }
    }

    /// Whether the dict has any key that is not a string.
    public var hasNonStringKeys: Bool { !(nonStringKeys?.isEmpty ?? true) }

    /// The keys in order, with their types.
    public var typedKeys: [Value] { storage.keys.map(typedKey) }

    /// The pairs in order, keys with their types.
    public var typedPairs: [(key: Value, value: Value)] { storage.map { (key: typedKey($0.key), value: $0.value) } }

    /// Python's `d[key]`: a typed key matches only a key of the same kind (`d[1]` finds the
    /// YAML key `1:`, `d['1']` does not). Ints and floats of one value, and True and 1, are
    /// not told apart (Python hashes them alike).
    public subscript(typedKey key: Value) -> Value? {
        get {
            let text = ValueDict.storageKey(key)
            // (No `cond ? found : nil` here: Value is nil-literal expressible, so that nil is .null.)
            guard let found = storage[text], ValueDict.sameKind(typedKey(text), key) else { return nil }
            return found
        }
        set {
            let text = ValueDict.storageKey(key)
            guard let newValue else {
                storage.removeValue(forKey: text)
                nonStringKeys?[text] = nil
                return
            }
            storage[text] = newValue
            if case .string = key { nonStringKeys?[text] = nil } else {
                if nonStringKeys == nil { nonStringKeys = [:] }
                nonStringKeys?[text] = key
            }
        }
    }

    private static func sameKind(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.string, .string): return true
        case (.string, _), (_, .string): return false
        default: return true
        }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    public subscript(position: Int) -> Element {
        let e = storage.elements[position]
        return (key: e.key, value: e.value)
    }

    // MARK: Dictionary-like API

    /// The value stored under the key text `key` (a typed key by its JSON text, as a module
    /// or JSON reader sees it). Setting a new key makes it a string key; updating one keeps its type.
    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            storage[key] = newValue
            if newValue == nil { nonStringKeys?[key] = nil }
        }
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
    public mutating func removeValue(forKey key: String) -> Value? {
        nonStringKeys?[key] = nil
        return storage.removeValue(forKey: key)
    }

    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: String) -> Value? {
        storage.updateValue(value, forKey: key)
    }

    public func mapValues(_ transform: (Value) throws -> Value) rethrows -> ValueDict {
        var out = ValueDict()
        out.nonStringKeys = nonStringKeys
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
        for (k, v) in storage where try isIncluded((key: k, value: v)) {
            out.storage[k] = v
            if let t = nonStringKeys?[k] { out[typedKey: t] = v }
        }
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
            if let old = storage[k] { storage[k] = try combine(old, v) } else {
                storage[k] = v
                if let t = other.nonStringKeys?[k] { self[typedKey: t] = v }
            }
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
        if a.hasNonStringKeys || b.hasNonStringKeys {
            for k in a.storage.keys where a.typedKey(k) != b.typedKey(k) { return false }
        }
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
