/// community.general's data filters (`dict`, `dict_kv`, `counter`, `groupby_as_dict`,
/// `version_sort`, `from_csv`, `lists_mergeby`), as the installed collection defines them.
extension FilterLibrary {
    static let communityFilters: [String: Filter] = [
        "community.general.dict": plain { call in
            var out = ValueDict()
            for pair in try call.list() {
                guard let kv = pair.listValue, kv.count == 2 else {
                    throw call.fail("dictionary update sequence element has the wrong length; 2 is required")
                }
                guard case .string(let k) = kv[0] else { throw call.fail("only text keys are supported by provision") }
                out[k] = kv[1]
            }
            return .dict(out)
        },
        "community.general.dict_kv": plain { call in
            guard case .string(let key) = try call.args.required(0, "key") else { throw call.fail("only text keys are supported by provision") }
            var out = ValueDict()
            out[key] = try call.value()
            return .dict(out)
        },
        "community.general.counter": plain { call in
            guard case .list(let items) = try call.value() else { throw call.fail("Argument for community.general.counter must be a sequence (string or list).") }
            var out = ValueDict()
            for item in items {
                switch item {
                case .string(let s):
                    if case .int(let n)? = out[s] { out[s] = .int(n + 1) } else { out[s] = .int(1) }
                case .list, .dict: throw call.fail("community.general.counter needs hashable elements (unhashable type: '\(item.typeName)')")
                default: throw call.fail("only text elements are counted by provision (\(item.typeName) keys are not)")
                }
            }
            return .dict(out)
        },
        "community.general.groupby_as_dict": plain { call in
            guard case .list(let items) = try call.value() else { throw call.fail("Input is not a sequence") }
            let attribute = try call.args.required(0, "attribute")
            guard case .string(let attr) = attribute else { throw call.fail("only text attributes are supported by provision") }
            var out = ValueDict()
            for (i, item) in items.enumerated() {
                guard case .dict(let d) = item else { throw call.fail("Sequence element #\(i) is not a mapping") }
                guard let k = d[attr] else { throw call.fail("Attribute not contained in element #\(i) of sequence") }
                guard case .string(let key) = k else { throw call.fail("only text attribute values are supported by provision") }
                if out[key] != nil { throw call.fail("Multiple sequence entries have attribute value '\(key)'") }
                out[key] = item
            }
            return .dict(out)
        },
        "community.general.version_sort": plain { call in
            let items = try call.list()
            let reverse = try call.args.bool(0, "reverse") ?? false
            let keyed = try items.map { item -> (Value, [Value]) in
                guard case .string(let s) = item else { throw call.fail("version_sort needs version strings, not \(item.typeName)") }
                return (item, VersionOrdering.looseParts(s))
            }
            func less(_ a: [Value], _ b: [Value]) throws -> Bool {
                for (x, y) in zip(a, b) {
                    switch (x, y) {
                    case let (.int(p), .int(q)): if p != q { return p < q }
                    case let (.string(p), .string(q)): if p != q { return p.unicodeScalars.lexicographicallyPrecedes(q.unicodeScalars) }
                    default: throw call.fail("'<' not supported between instances of 'int' and 'str'")
                    }
                }
                return a.count < b.count
            }
            // Python's stable sorted(); reverse keeps equal items in their order too.
            var error: Error?
            let order = keyed.indices.sorted { i, j in
                do {
                    let (a, b) = reverse ? (keyed[j].1, keyed[i].1) : (keyed[i].1, keyed[j].1)
                    if try less(a, b) { return true }
                    if try less(b, a) { return false }
                } catch let e { error = e }
                return i < j
            }
            if let error { throw error }
            return .list(order.map { keyed[$0].0 })
        },
        "community.general.from_csv": plain { call in try fromCSV(call) },
        "community.general.lists_mergeby": plain { call in
            if call.args.keyword.keys.contains(where: { $0 != "recursive" && $0 != "list_merge" }) {
                throw call.fail("'recursive' and 'list_merge' are the only valid keyword arguments.")
            }
            let (recursive, listMerge) = try mergeOptions(call)
            var terms = [try call.value()]
            terms += try call.args.positional.map { try $0.value(at: call.args.offset) }
            guard terms.count >= 2 else { throw call.fail("At least one list and index are needed.") }
            var lists: [[Value]] = []
            for sub in terms.dropLast() {
                guard case .list(let l) = sub else { throw call.fail("All arguments before the argument index for community.general.lists_mergeby must be lists. \(PythonRepr.str(sub)) is \(sub.typeName)") }
                if l.isEmpty { continue }
                if l.allSatisfy({ if case .list = $0 { return true }; return false }) {
                    lists += l.compactMap(\.listValue)
                } else { lists.append(l) }
            }
            if lists.isEmpty { return .list([]) }
            if lists.count == 1 { return .list(lists[0]) }
            guard case .string(let index)? = terms.last else { throw call.fail("First argument after the lists for community.general.lists_mergeby must be string.") }
            var result = lists[lists.count - 1]
            for l in lists.dropLast().reversed() {
                // Entries by their index value (first seen first), then sorted by it.
                var merged: [(key: Value, dict: ValueDict)] = []
                for elem in l + result {
                    guard case .dict(let d) = elem else { throw call.fail("Elements of list arguments for lists_mergeby must be dictionaries.") }
                    guard let k = d[index] else { continue }
                    guard k.stringValue != nil || k.isNumber else { throw call.fail("only text or number index values are supported by provision") }
                    if let i = merged.firstIndex(where: { $0.key.templateEquals(k) }) {
                        // `d[key].update(merge_hash(d[key], elem, …))`: the entry keeps its key order.
                        let m = mergeHash(merged[i].dict, d, recursive: recursive, listMerge: listMerge)
                        for (name, v) in m.typedPairs { merged[i].dict[typedKey: name] = v }
                    } else {
                        merged.append((k, d))
                    }
                }
                var failed = false
                merged.sort { a, b in
                    guard let r = a.key.templateCompare(b.key) else { failed = true; return false }
                    return r == .orderedAscending
                }
                if failed { throw call.fail("'<' not supported between the index values") }
                result = merged.map { .dict($0.dict) }
            }
            return .list(result)
        },
    ]

    /// `csv.DictReader` over the text: the first row (or `fieldnames`) names the columns.
    private static func fromCSV(_ call: FilterCall) throws -> Value {
        let text = try call.text()
        if let dialect = try call.args.string(-1, "dialect"), dialect != "excel" {
            throw call.fail("dialect '\(dialect)' is not supported by provision (excel only)")
        }
        if try call.args.value(-1, "strict") != nil { throw call.fail("strict= is not supported by provision") }
        let delimiter = try call.args.string(-1, "delimiter") ?? ","
        guard delimiter.count == 1, let sep = delimiter.first else { throw call.fail("delimiter must be a 1-character string") }
        let skipSpace = try call.args.bool(-1, "skipinitialspace") ?? false
        var rows: [[String]] = []
        var row: [String] = [], field = "", quoted = false, inQuotes = false, atStart = true
        let chars = Array(text)
        var i = 0
        func endField() { row.append(field); field = ""; quoted = false; atStart = true }
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
                } else { field.append(c) }
            } else if c == "\"", atStart {
                inQuotes = true; quoted = true; atStart = false
            } else if c == sep {
                endField()
            } else if c == "\n" || c == "\r" {
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                endField(); rows.append(row); row = []
            } else if c == " ", atStart, skipSpace {
            } else {
                field.append(c); atStart = false
            }
            i += 1
        }
        if inQuotes { throw call.fail("Unable to process file: unexpected end of data") }
        if !field.isEmpty || quoted || !row.isEmpty { endField(); rows.append(row) }
        // DictReader skips rows with no fields at all.
        rows = rows.filter { !($0.count == 1 && $0[0].isEmpty) && !$0.isEmpty }
        var names: [String]
        if let given = try call.args.value(-1, "fieldnames"), !given.isNull {
            names = (given.listValue ?? []).map(\.renderedString)
        } else {
            guard !rows.isEmpty else { return .list([]) }
            names = rows.removeFirst()
        }
        return .list(try rows.map { r in
            if r.count > names.count { throw call.fail("rows longer than the header are not supported by provision") }
            var d = ValueDict()
            for (n, name) in names.enumerated() { d[name] = n < r.count ? .string(r[n]) : .null }
            return .dict(d)
        })
    }
}
