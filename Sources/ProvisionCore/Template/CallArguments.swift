/// Evaluated arguments of one filter, test, function or method call, with helpers that read
/// an argument by position or keyword and check its type, naming the callee in errors.
struct CallArguments {
    var callee: String
    var positional: [Operand]
    var keyword: [String: Operand]
    var offset: Int
    /// The keyword names in the order written (`dict(b=1, a=2)` keeps it, as Python's kwargs).
    var keywordOrder: [String] = []

    init(callee: String, positional: [Operand] = [], keyword: [String: Operand] = [:], offset: Int) {
        self.callee = callee
        self.positional = positional
        self.keyword = keyword
        self.offset = offset
    }

    /// The argument at `index`, or the keyword `name`; nil when neither was given.
    func operand(_ index: Int, _ name: String? = nil) -> Operand? {
        if index >= 0, index < positional.count { return positional[index] }
        if let name { return keyword[name] }
        return nil
    }

    func value(_ index: Int, _ name: String? = nil) throws -> Value? {
        try operand(index, name)?.value(at: offset)
    }

    func required(_ index: Int, _ name: String) throws -> Value {
        guard let v = try value(index, name) else {
            throw TemplateError.type("\(callee) needs the argument '\(name)'", at: offset)
        }
        return v
    }

    func string(_ index: Int, _ name: String? = nil) throws -> String? {
        guard let v = try value(index, name), !v.isNull else { return nil }
        guard case .string(let s) = v else {
            throw TemplateError.type("\(callee): argument '\(name ?? String(index + 1))' must be a string, not \(v.typeName)", at: offset)
        }
        return s
    }

    func requiredString(_ index: Int, _ name: String) throws -> String {
        guard let s = try string(index, name) else {
            throw TemplateError.type("\(callee) needs the argument '\(name)'", at: offset)
        }
        return s
    }

    func int(_ index: Int, _ name: String? = nil) throws -> Int? {
        guard let v = try value(index, name), !v.isNull else { return nil }
        switch v {
        case .int(let i): return i
        case .string(let s): if let i = Int(s) { return i }
        default: break
        }
        throw TemplateError.type("\(callee): argument '\(name ?? String(index + 1))' must be an integer, not \(v.typeName)", at: offset)
    }

    func bool(_ index: Int, _ name: String? = nil) throws -> Bool? {
        try value(index, name).map { $0.isTruthy }
    }

    /// Fails when more positional arguments were given than the callee takes.
    func expectAtMost(_ count: Int) throws {
        if positional.count > count {
            throw TemplateError.type("\(callee) takes at most \(count) argument\(count == 1 ? "" : "s"), \(positional.count) given", at: offset)
        }
    }
}

extension CallArguments {
    /// These arguments without the first `count` positional ones, for a filter or test that
    /// `map`/`select` apply on the user's behalf.
    func subArguments(callee: String, dropping count: Int, keepingAttribute: Bool = false) -> CallArguments {
        var kw = keyword
        if !keepingAttribute { kw["attribute"] = nil }
        return CallArguments(callee: callee, positional: Array(positional.dropFirst(count)), keyword: kw, offset: offset)
    }
}
