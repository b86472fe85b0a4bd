import Foundation

extension Operand {
    /// The datetime or timedelta this operand is, if it is one.
    var time: PythonTime? { if case .time(let t) = self { return t }; return nil }
}

/// Python's datetime and timedelta inside one expression: attributes, methods, arithmetic,
/// comparisons and the filters that accept them, as Ansible 2.14's Jinja gives them.
extension Evaluator {
    /// Python's truthiness of an operand; undefined is the error naming it.
    func isTruthy(_ operand: Operand, at offset: Int) throws -> Bool {
        if case .time(let t) = operand { return t.isTruthy }
        return try operand.value(at: offset).isTruthy
    }

    /// The node's operand as `and`/`or` hand it on: a datetime stays one, anything else is its value.
    func operandValue(_ node: ExpressionNode) throws -> Operand {
        try kept(try evaluate(node), at: node.offset)
    }

    func kept(_ operand: Operand, at offset: Int) throws -> Operand {
        if case .time = operand { return operand }
        return .value(try operand.value(at: offset))
    }

    /// `d.year`, `delta.days`, … ; nil for a name the type does not have (Jinja: undefined).
    static func timeAttribute(_ t: PythonTime, _ name: String) -> Value? {
        switch t {
        case .datetime(let d):
            let f = d.fields
            switch name {
            case "year": return .int(f.year)
            case "month": return .int(f.month)
            case "day": return .int(f.day)
            case "hour": return .int(f.hour)
            case "minute": return .int(f.minute)
            case "second": return .int(f.second)
            case "microsecond": return .int(f.microsecond)
            case "fold": return .int(0)
            case "tzinfo": return .null
            default: return nil
            }
        case .timedelta(let delta):
            let (days, seconds, micro) = delta.parts
            switch name {
            case "days": return .int(days)
            case "seconds": return .int(seconds)
            case "microseconds": return .int(micro)
            default: return nil
            }
        }
    }

    func timeMethod(_ method: String, _ t: PythonTime, _ args: CallArguments) throws -> Operand {
        func noArguments() throws {
            guard args.positional.isEmpty, args.keyword.isEmpty else {
                throw TemplateError.type("\(method)() takes no arguments", at: args.offset)
            }
        }
        switch t {
        case .timedelta(let delta):
            guard method == "total_seconds" else { break }
            try noArguments()
            return .value(.double(delta.totalSeconds))
        case .datetime(let d):
            switch method {
            case "strftime":
                var tm = d.brokenDown
                return .value(.string(PythonDateTime.strftime(try args.requiredString(0, "format"), &tm, microseconds: d.fields.microsecond)))
            case "isoformat":
                guard args.operand(1, "timespec") == nil else { break }
                let sep = try args.string(0, "sep") ?? "T"
                guard sep.count == 1 else { throw TemplateError.type("isoformat() argument 1 must be a unicode character, not str", at: args.offset) }
                return .value(.string(d.isoformat(separator: sep)))
            case "timestamp": try noArguments(); return .value(.double(d.timestamp))
            case "weekday": try noArguments(); return .value(.int(d.weekday))
            case "isoweekday": try noArguments(); return .value(.int(d.weekday + 1))
            case "ctime": try noArguments(); return .value(.string(d.ctime))
            case "utcoffset", "dst", "tzname": try noArguments(); return .value(.null)
            case "replace": return .time(.datetime(try replaced(d, args)))
            default: break
            }
        }
        throw TemplateError.evaluation("\(t.typeName).\(method)() is not supported by provision", at: args.offset)
    }

    /// `datetime.replace(year=…, …)`, keywords only (positional fields are rare and easy to misread).
    private func replaced(_ d: NaiveDateTime, _ args: CallArguments) throws -> NaiveDateTime {
        guard args.positional.isEmpty else {
            throw TemplateError.evaluation("datetime.replace() with positional arguments is not supported by provision", at: args.offset)
        }
        var f = d.fields
        let slots: [(String, WritableKeyPath<NaiveDateTime.Fields, Int>, ClosedRange<Int>)] = [
            ("year", \.year, 1...9999), ("month", \.month, 1...12), ("day", \.day, 1...31), ("hour", \.hour, 0...23),
            ("minute", \.minute, 0...59), ("second", \.second, 0...59), ("microsecond", \.microsecond, 0...999_999),
        ]
        for name in args.keyword.keys where !slots.contains(where: { $0.0 == name }) {
            throw TemplateError.evaluation("datetime.replace(\(name)=…) is not supported by provision", at: args.offset)
        }
        for (name, path, range) in slots {
            guard let v = try args.value(-1, name) else { continue }
            guard case .int(let n) = v else {
                throw TemplateError.type("'\(v.typeName)' object cannot be interpreted as an integer", at: args.offset)
            }
            guard range.contains(n) else { throw TemplateError.evaluation("\(name) must be in \(range.lowerBound)..\(range.upperBound)", at: args.offset) }
            f[keyPath: path] = n
        }
        guard f.day <= NaiveDateTime.daysInMonth(f.year, f.month) else {
            throw TemplateError.evaluation("day is out of range for month", at: args.offset)
        }
        return try NaiveDateTime(year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute,
                                 second: f.second, microsecond: f.microsecond)
    }

    func timeUnary(_ op: String, _ t: PythonTime, at offset: Int) throws -> PythonTime {
        guard case .timedelta(let delta) = t else {
            throw TemplateError.type("bad operand type for unary \(op): 'datetime.datetime'", at: offset)
        }
        return op == "-" ? .timedelta(TimeDelta(microseconds: -delta.microseconds)) : t
    }

    /// `a - b` of datetimes is a timedelta; a datetime plus or minus a timedelta a datetime;
    /// timedeltas add, subtract, scale by an int and divide; `~` joins the printed texts.
    func timeBinary(_ op: String, _ l: Operand, _ r: Operand, at offset: Int) throws -> Operand {
        if op == "~" {
            return .value(.string(PythonRepr.str(try l.printable(at: offset)) + PythonRepr.str(try r.printable(at: offset))))
        }
        func typeName(_ o: Operand) throws -> String {
            if let t = o.time { return "datetime." + t.typeName }
            return try o.value(at: offset).typeName
        }
        func unsupported() throws -> TemplateError {
            TemplateError.type("unsupported operand type(s) for \(op): '\(try typeName(l))' and '\(try typeName(r))'", at: offset)
        }
        func delta(_ us: Int64) throws -> Operand {
            guard abs(us) <= TimeDelta.limit else { throw TemplateError.evaluation("timedelta overflow (provision's limit is smaller than Python's)", at: offset) }
            return .time(.timedelta(TimeDelta(microseconds: us)))
        }
        func moment(_ us: Int64) throws -> Operand {
            do { return .time(.datetime(try NaiveDateTime(microseconds: us))) } catch {
                throw TemplateError.evaluation("date value out of range", at: offset)
            }
        }
        switch (op, l, r) {
        case let ("-", .time(.datetime(a)), .time(.datetime(b))): return try delta(a.microseconds - b.microseconds)
        case let ("+", .time(.datetime(a)), .time(.timedelta(b))), let ("+", .time(.timedelta(b)), .time(.datetime(a))):
            return try moment(a.microseconds + b.microseconds)
        case let ("-", .time(.datetime(a)), .time(.timedelta(b))): return try moment(a.microseconds - b.microseconds)
        case let ("+", .time(.timedelta(a)), .time(.timedelta(b))): return try delta(a.microseconds + b.microseconds)
        case let ("-", .time(.timedelta(a)), .time(.timedelta(b))): return try delta(a.microseconds - b.microseconds)
        case let ("*", .time(.timedelta(a)), .value(.int(n))), let ("*", .value(.int(n)), .time(.timedelta(a))):
            let product = a.microseconds.multipliedReportingOverflow(by: Int64(n))
            guard !product.overflow else { throw TemplateError.evaluation("timedelta overflow", at: offset) }
            return try delta(product.partialValue)
        case let ("/", .time(.timedelta(a)), .time(.timedelta(b))), let ("//", .time(.timedelta(a)), .time(.timedelta(b))):
            guard b.microseconds != 0 else { throw TemplateError.evaluation("integer division or modulo by zero", at: offset) }
            if op == "/" { return .value(.double(Double(a.microseconds) / Double(b.microseconds))) }
            return .value(.int(Int(floorDivide(a.microseconds, b.microseconds).0)))
        default:
            throw try unsupported()
        }
    }

    /// One comparison where a side is a datetime or timedelta: `==`/`!=` between any values
    /// (unlike types are unequal), ordering only between two of the same type.
    func compareTimes(_ op: String, _ l: Operand, _ r: Operand, at offset: Int) throws -> Bool {
        let lv = try kept(l, at: offset), rv = try kept(r, at: offset)
        let order: ComparisonResult?
        switch (lv, rv) {
        case let (.time(.datetime(a)), .time(.datetime(b))): order = a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        case let (.time(.timedelta(a)), .time(.timedelta(b))): order = a == b ? .orderedSame : (a < b ? .orderedAscending : .orderedDescending)
        default: order = nil
        }
        switch op {
        case "==": return order == .orderedSame
        case "!=": return order != .orderedSame
        case "<", ">", "<=", ">=":
            guard let order else {
                func name(_ o: Operand) -> String { o.time.map { "datetime." + $0.typeName } ?? ((try? o.value(at: offset).typeName) ?? "?") }
                throw TemplateError.type("'\(op)' not supported between instances of '\(name(lv))' and '\(name(rv))'", at: offset)
            }
            switch op {
            case "<": return order == .orderedAscending
            case ">": return order == .orderedDescending
            case "<=": return order != .orderedDescending
            default: return order != .orderedAscending
            }
        default:
            throw TemplateError.evaluation("'\(op)' with a Python datetime or timedelta is not supported by provision", at: offset)
        }
    }

    /// The filters that accept a datetime or timedelta as Ansible's do; any other is refused.
    func timeFilter(_ name: String, _ t: PythonTime, _ args: CallArguments) throws -> Operand {
        switch name {
        case "string": return .value(.string(t.str))
        case "type_debug": return .value(.string(t.typeName))
        case "default", "d":
            // Defined: the input, unless `default(x, true)` and the input is falsy.
            if try t.isTruthy || !(args.value(1, "boolean")?.isTruthy ?? false) { return .time(t) }
            return args.operand(0, "default_value") ?? .value(.string(""))
        case "mandatory": return .time(t)
        case "int": return .value(try args.value(0, "default") ?? .int(0))
        case "float": return .value(try args.value(0, "default") ?? .double(0))
        case "bool": return .value(.bool(false))
        case "to_json", "to_nice_json":
            // Ansible's JSON encoder writes a datetime as its isoformat(); a timedelta it cannot write.
            guard case .datetime(let d) = t else {
                throw TemplateError.evaluation("Object of type timedelta is not JSON serializable", at: args.offset)
            }
            return .value(.string("\"" + d.isoformat() + "\""))
        default:
            throw TemplateError.evaluation("the filter '\(name)' on a Python \(t.typeName) is not supported by provision", at: args.offset)
        }
    }
}
