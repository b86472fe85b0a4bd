/// What evaluating part of an expression gives: a value, an undefined name (kept so `default`,
/// `is defined` and `mandatory` can act on it, and an error can name it when anything else
/// uses it), or a lazy mapping not yet materialised.
enum Operand {
    case value(Value)
    /// Undefined: the path written (`result.stdout`) and where its root name is in the text.
    case undefined(String, offset: Int?)
    case mapping(any LazyMapping, path: String)
    /// A list or dict literal holding an undefined value (`[ansible_user]`): defined, as
    /// Jinja's list is, but using it fails with the undefined name. `default([ansible_user])`
    /// on a defined variable never touches it.
    case deferred(TemplateError)
    /// A Python datetime or timedelta: lives within one expression (see `PythonTime`).
    case time(PythonTime)

    init(_ entry: ScopeEntry, path: String) {
        switch entry {
        case .value(let v): self = .value(v)
        case .mapping(let m): self = .mapping(m, path: path)
        }
    }

    var isUndefined: Bool { if case .undefined = self { return true }; return false }

    /// A tuple as a list (its items untouched); anything else as it is.
    var tupleAsList: Operand {
        if case .value(.tuple(let items)) = self { return .value(.list(items)) }
        return self
    }

    /// The value, or an error naming the undefined variable.
    func value(at offset: Int? = nil) throws -> Value {
        switch self {
        case .value(let v): return v
        case .undefined(let path, let own): throw TemplateError.undefined(path, at: own ?? offset)
        case .mapping(let m, _): return m.materialized
        case .deferred(let error): throw error
        case .time(let t):
            throw TemplateError.evaluation("a Python \(t.typeName) cannot be used here: provision keeps datetimes and timedeltas "
                + "within one expression (print, compare or subtract them, or use their attributes and methods)", at: offset)
        }
    }

    /// The value, with a datetime or timedelta turned into the text Python prints for it: what
    /// a template's output and Ansible's text conversion of a result do.
    func printable(at offset: Int? = nil) throws -> Value {
        if case .time(let t) = self { return .string(t.str) }
        return try value(at: offset)
    }

    /// The member `key` (attribute or string index), undefined when missing.
    func member(_ key: String, path: String, at offset: Int?) -> Operand {
        switch self {
        case .undefined(_, let own): return .undefined(path, offset: own ?? offset)
        case .deferred: return self
        case .time(let t): return Evaluator.timeAttribute(t, key).map { .value($0) } ?? .undefined(path, offset: offset)
        case .mapping(let m, _):
            guard let entry = m.member(key) else { return .undefined(path, offset: offset) }
            return Operand(entry, path: path)
        case .value(let v):
            if case .dict(let d) = v, let found = d[typedKey: .string(key)] { return .value(found) }
            return .undefined(path, offset: offset)
        }
    }
}
