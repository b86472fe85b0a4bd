/// Looks up `a.b[0]['c']` in a variable dict, for `debug: var=`.
enum VariablePath {
    enum Step: Equatable { case key(String), index(Int) }

    /// nil when `path` is not a plain path (an expression) — see `isPath`.
    static func steps(_ path: String) -> [Step]? {
        var steps: [Step] = []
        var i = path.startIndex
        func ident() -> String? {
            let start = i
            while i < path.endIndex, path[i].isLetter || path[i].isNumber || path[i] == "_" { i = path.index(after: i) }
            return start == i ? nil : String(path[start..<i])
        }
        guard let first = ident() else { return nil }
        steps.append(.key(first))
        while i < path.endIndex {
            if path[i] == "." {
                i = path.index(after: i)
                guard let k = ident() else { return nil }
                steps.append(Int(k).map(Step.index) ?? .key(k))
            } else if path[i] == "[" {
                guard let close = path[i...].firstIndex(of: "]") else { return nil }
                let inner = path[path.index(after: i)..<close].trimmingCharacters(in: .whitespaces)
                if let n = Int(inner) { steps.append(.index(n)) }
                else if inner.count >= 2, let q = inner.first, q == "'" || q == "\"", inner.last == q {
                    steps.append(.key(String(inner.dropFirst().dropLast())))
                } else { return nil }
                i = path.index(after: close)
            } else {
                return nil
            }
        }
        return steps
    }

    static func isPath(_ path: String) -> Bool { steps(path) != nil }

    static func lookup(_ path: String, in vars: [String: Value]) -> Value? {
        guard let steps = steps(path) else { return nil }
        var current: Value = .dict(vars)
        for step in steps {
            switch (step, current) {
            case (.key(let k), .dict(let d)):
                guard let v = d[k] else { return nil }
                current = v
            case (.index(let n), .list(let l)):
                guard n >= 0, n < l.count else { return nil }
                current = l[n]
            case (.index(let n), .dict(let d)):
                guard let v = d[String(n)] else { return nil }
                current = v
            default: return nil
            }
        }
        return current
    }
}
