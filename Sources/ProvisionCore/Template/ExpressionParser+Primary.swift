extension ExpressionParser {
    /// Literals, names, parenthesised expressions and tuples, lists and dicts.
    mutating func parsePrimary() throws -> ExpressionNode {
        let tok = current
        let at = tok.offset
        switch tok.kind {
        case .name(let n):
            advance()
            switch n {
            case "true", "True": return ExpressionNode(.literal(.bool(true)), at: at)
            case "false", "False": return ExpressionNode(.literal(.bool(false)), at: at)
            case "none", "None": return ExpressionNode(.literal(.null), at: at)
            default: return ExpressionNode(.name(n), at: at)
            }
        case .string(var s):
            advance()
            // Adjacent string literals concatenate, as in Python.
            while case .string(let more) = current.kind { s += more; advance() }
            return ExpressionNode(.literal(.string(s)), at: at)
        case .int(let i):
            advance()
            return ExpressionNode(.literal(.int(i)), at: at)
        case .float(let d):
            advance()
            return ExpressionNode(.literal(.double(d)), at: at)
        case .op("("):
            advance()
            if skipOp(")") { return ExpressionNode(.tuple([]), at: at) }
            let first = try parseExpression()
            if skipOp(")") { return first }
            var items = [first]
            while skipOp(",") {
                if current.isOp(")") { break }
                items.append(try parseExpression())
            }
            try expectOp(")")
            return ExpressionNode(.tuple(items), at: at)
        case .op("["):
            advance()
            var items: [ExpressionNode] = []
            while !current.isOp("]") {
                items.append(try parseExpression())
                if !skipOp(",") { break }
            }
            try expectOp("]")
            return ExpressionNode(.list(items), at: at)
        case .op("{"):
            advance()
            var pairs: [(key: ExpressionNode, value: ExpressionNode)] = []
            while !current.isOp("}") {
                let key = try parseExpression()
                try expectOp(":")
                pairs.append((key, try parseExpression()))
                if !skipOp(",") { break }
            }
            try expectOp("}")
            return ExpressionNode(.dict(pairs), at: at)
        default:
            throw unexpected(expecting: "a value")
        }
    }

    /// `.name`, `.0`, `[index]`, `[a:b:c]` and `(args)` after a primary.
    mutating func parsePostfix(_ start: ExpressionNode) throws -> ExpressionNode {
        var node = start
        while true {
            // Postfix nodes start where their chain starts, so errors point at the root name.
            let at = node.offset
            if skipOp(".") {
                switch current.kind {
                case .name(let n):
                    advance()
                    node = ExpressionNode(.attribute(node, n), at: at)
                case .int(let i):
                    advance()
                    node = ExpressionNode(.index(node, ExpressionNode(.literal(.int(i)), at: at)), at: at)
                default:
                    throw unexpected(expecting: "an attribute name after '.'")
                }
            } else if skipOp("[") {
                node = try parseSubscript(node, at: at)
            } else if current.isOp("(") {
                node = ExpressionNode(.call(node, try parseArguments()), at: at)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ base: ExpressionNode, at: Int) throws -> ExpressionNode {
        var parts: [ExpressionNode?] = [nil]
        var sawColon = false
        while !current.isOp("]") {
            if skipOp(":") {
                sawColon = true
                parts.append(nil)
                if parts.count > 3 { throw unexpected(expecting: "']'") }
                continue
            }
            if parts[parts.count - 1] != nil { throw unexpected(expecting: "']'") }
            parts[parts.count - 1] = try parseExpression()
        }
        try expectOp("]")
        if !sawColon {
            guard let index = parts[0] else { throw TemplateError.syntax("empty subscript '[]'", at: at) }
            return ExpressionNode(.index(base, index), at: at)
        }
        while parts.count < 3 { parts.append(nil) }
        return ExpressionNode(.slice(base, parts[0], parts[1], parts[2]), at: at)
    }

    /// `(a, b, key=c)`; the current token is `(`.
    mutating func parseArguments() throws -> ExpressionNode.Arguments {
        try expectOp("(")
        var args = ExpressionNode.Arguments()
        while !current.isOp(")") {
            // Jinja's `f(a, *rest, k=v, **more)`: each star form once, `**` last.
            if args.starKwargs != nil {
                throw TemplateError.syntax("nothing may follow '**' arguments", at: current.offset)
            }
            if skipOp("**") {
                args.starKwargs = try parseExpression()
            } else if skipOp("*") {
                if args.starArgs != nil { throw TemplateError.syntax("'*' arguments given twice", at: current.offset) }
                args.starArgs = try parseExpression()
            } else if let n = current.name, peekIsAssign() {
                advance(); advance()
                args.keyword.append((n, try parseExpression()))
            } else {
                if !args.keyword.isEmpty || args.starArgs != nil {
                    throw TemplateError.syntax("positional argument after a keyword or '*' argument", at: current.offset)
                }
                args.positional.append(try parseExpression())
            }
            if !skipOp(",") { break }
        }
        try expectOp(")")
        return args
    }

    private func peekIsAssign() -> Bool {
        // `name=` but not `name==`.
        if case .op("=") = lookahead.kind { return true }
        return false
    }

    private var lookahead: ExpressionToken { peekToken(1) }

    /// `| filter(args)` and `is [not] test(args)` chains.
    mutating func parseFilterAndTest(_ start: ExpressionNode) throws -> ExpressionNode {
        var node = start
        while true {
            let at = current.offset
            if skipOp("|") {
                let nameOffset = current.offset
                let name = try parseDottedName()
                guard FilterLibrary.all[name] != nil else {
                    throw TemplateError(.unknownName, "no filter named '\(name)'", offset: nameOffset)
                }
                var args = ExpressionNode.Arguments()
                if current.isOp("(") { args = try parseArguments() }
                node = ExpressionNode(.filter(node, name, args), at: at)
            } else if current.isName("is") {
                advance()
                let negated = skipName("not")
                let nameOffset = current.offset
                let name = TestLibrary.canonicalName(try parseDottedName(canonical: false))
                guard TestLibrary.all[name] != nil else {
                    throw TemplateError(.unknownName, "no test named '\(name)'", offset: nameOffset)
                }
                var args = ExpressionNode.Arguments()
                if current.isOp("(") {
                    args = try parseArguments()
                } else if startsBareArgument {
                    args.positional = [try parsePostfix(try parsePrimary())]
                }
                node = ExpressionNode(.test(node, name, args, negated: negated), at: at)
            } else {
                return node
            }
        }
    }

    /// Filter and test names, with Ansible's collection prefix (`ansible.builtin.to_json`)
    /// reduced to the plain name.
    /// A filter's or test's name, `ansible.builtin.x` and friends; a filter's canonical name
    /// unless `canonical` is false.
    mutating func parseDottedName(canonical: Bool = true) throws -> String {
        var parts = [try expectName()]
        while current.isOp("."), peekToken(1).name != nil {
            advance()
            parts.append(try expectName())
        }
        let name = parts.joined(separator: ".")
        return canonical ? FilterLibrary.canonicalName(name) : name
    }

    private var startsBareArgument: Bool {
        switch current.kind {
        // Jinja takes any name but `else`, `or` and `and` as a test's bare argument (so
        // `x is defined if c else y` fails there, as here).
        case .name(let n): return !["and", "or", "else"].contains(n)
        case .string, .int, .float: return true
        case .op(let o): return o == "[" || o == "{"
        case .end: return false
        }
    }

    /// `name(args) | name …` after `{% filter %}` or `{% set x | … %}`: filters applied to `input`.
    mutating func parseFilterChain(on input: ExpressionNode) throws -> ExpressionNode {
        var node = input
        repeat {
            let at = current.offset
            let name = try parseDottedName()
            guard FilterLibrary.all[name] != nil else { throw TemplateError(.unknownName, "no filter named '\(name)'", offset: at) }
            var args = ExpressionNode.Arguments()
            if current.isOp("(") { args = try parseArguments() }
            node = ExpressionNode(.filter(node, name, args), at: at)
        } while skipOp("|")
        return node
    }
}
