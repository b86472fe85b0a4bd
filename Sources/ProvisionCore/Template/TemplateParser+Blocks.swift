extension TemplateParser {
    /// The tag that ended a body (`endif`, `else`, …), with its parser positioned after the name.
    struct EndTag {
        var name: String
        var parser: ExpressionParser
        var offset: Int
    }

    /// Nodes up to one of the tags in `enders` (returned), or to the end of the template (nil).
    mutating func parseBody(until enders: Set<String>) throws -> ([TemplateNode], EndTag?) {
        blockDepth += 1
        defer { blockDepth -= 1 }
        if blockDepth > 100 { throw TemplateError.syntax("blocks nested too deeply", at: currentOffset) }
        var nodes: [TemplateNode] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            switch piece {
            case .text(let s):
                nodes.append(.text(s))
            case .output(var parser):
                if parser.atEnd { throw TemplateError.syntax("empty expression '{{ }}'", at: parser.current.offset) }
                let expr = try parser.parseExpression()
                try parser.expectEnd()
                nodes.append(.output(expr))
            case .tag(let name, var parser, let offset):
                if enders.contains(name) { return (nodes, EndTag(name: name, parser: parser, offset: offset)) }
                switch name {
                case "if": nodes.append(try parseIf(&parser, offset: offset))
                case "for": nodes.append(try parseFor(&parser, offset: offset))
                case "set": nodes.append(try parseSet(&parser, offset: offset))
                case "macro": nodes.append(.macro(try parseMacro(&parser, offset: offset)))
                case "call": nodes.append(try parseCallBlock(&parser, offset: offset))
                case "filter": nodes.append(try parseFilterBlock(&parser, offset: offset))
                case "block": nodes.append(try parseNamedBlock(&parser, offset: offset))
                case "with": nodes.append(try parseWith(&parser, offset: offset))
                case "include", "import", "from", "extends": nodes.append(try parseFileStatement(name, &parser, offset: offset))
                case "elif", "else", "endif", "endfor", "endraw", "endset", "endmacro", "endcall", "endfilter", "endblock", "endwith":
                    throw TemplateError.syntax("unexpected '{% \(name) %}' with no open block", at: offset)
                default:
                    throw TemplateError.syntax("unknown tag '\(name)' (supported: if, for, set, macro, call, filter, block, with, include, import, from, extends, raw)", at: offset)
                }
            }
        }
        if let first = enders.sorted().first(where: { $0.hasPrefix("end") }) {
            throw TemplateError.syntax("missing '{% \(first) %}'", at: text.count)
        }
        return (nodes, nil)
    }

    private mutating func parseIf(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        var branches: [(condition: ExpressionNode, body: [TemplateNode])] = []
        var condition = try parser.parseExpression()
        try parser.expectEnd()
        while true {
            let (body, end) = try parseBody(until: ["elif", "else", "endif"])
            branches.append((condition, body))
            guard var end else { throw TemplateError.syntax("missing '{% endif %}'", at: offset) }
            switch end.name {
            case "elif":
                condition = try end.parser.parseExpression()
                try end.parser.expectEnd()
            case "else":
                try end.parser.expectEnd()
                let (otherwise, close) = try parseBody(until: ["endif"])
                guard let close else { throw TemplateError.syntax("missing '{% endif %}'", at: offset) }
                try close.parser.expectEnd()
                return .conditional(branches: branches, otherwise: otherwise)
            default:
                try end.parser.expectEnd()
                return .conditional(branches: branches, otherwise: nil)
            }
        }
    }

    private mutating func parseFor(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        let targets = try parseTargets(&parser)
        guard parser.skipName("in") else { throw parser.unexpected(expecting: "'in'") }
        let iterable = try parser.parseExpression(allowConditional: false)
        var filter: ExpressionNode?
        if parser.skipName("if") { filter = try parser.parseExpression(allowConditional: false) }
        let recursive = parser.skipName("recursive")
        try parser.expectEnd()
        let (body, end) = try parseBody(until: ["else", "endfor"])
        guard let end else { throw TemplateError.syntax("missing '{% endfor %}'", at: offset) }
        try end.parser.expectEnd()
        var otherwise: [TemplateNode]?
        if end.name == "else" {
            let (elseBody, close) = try parseBody(until: ["endfor"])
            guard let close else { throw TemplateError.syntax("missing '{% endfor %}'", at: offset) }
            try close.parser.expectEnd()
            otherwise = elseBody
        }
        return .loop(targets: targets, iterable: iterable, filter: filter, body: body, otherwise: otherwise,
                     recursive: recursive, offset: offset)
    }

    private mutating func parseSet(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        // `{% set ns.attr = … %}`: assigns an attribute of a namespace().
        if let name = parser.current.name, parser.peekToken(1).isOp("."), let attr = parser.peekToken(2).name {
            parser.advance(); parser.advance(); parser.advance()
            try parser.expectOp("=")
            let value = try parseTuple(&parser)
            try parser.expectEnd()
            return .assignAttribute(name: name, attribute: attr, value: value, offset: offset)
        }
        let targets = try parseTargets(&parser)
        guard parser.skipOp("=") else {
            guard targets.count == 1, parser.atEnd || parser.current.isOp("|") else { throw parser.unexpected(expecting: "'='") }
            var filters: ExpressionNode?
            if parser.skipOp("|") {
                filters = try parser.parseFilterChain(on: ExpressionNode(.name(TemplateNode.blockBody), at: offset))
                try parser.expectEnd()
            }
            let (body, end) = try parseBody(until: ["endset"])
            guard let end else { throw TemplateError.syntax("missing '{% endset %}'", at: offset) }
            try end.parser.expectEnd()
            return .assignBlock(target: targets[0], filters: filters, body: body, offset: offset)
        }
        let value = try parseTuple(&parser)
        try parser.expectEnd()
        return .assign(targets: targets, value: value, offset: offset)
    }

    /// An expression, or `a, b, …` (a tuple).
    private func parseTuple(_ parser: inout ExpressionParser) throws -> ExpressionNode {
        let first = try parser.parseExpression()
        guard parser.current.isOp(",") else { return first }
        var items = [first]
        while parser.skipOp(",") {
            if parser.atEnd { break }
            items.append(try parser.parseExpression())
        }
        return ExpressionNode(.tuple(items), at: first.offset)
    }

    /// `name(a, b=default)` after `macro`, then the body up to `endmacro`.
    private mutating func parseMacro(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateMacro.Definition {
        let name = try parser.expectName()
        let params = try parseParameters(&parser)
        try parser.expectEnd()
        let (body, end) = try parseBody(until: ["endmacro"])
        guard let end else { throw TemplateError.syntax("missing '{% endmacro %}'", at: offset) }
        try end.parser.expectEnd()
        return TemplateMacro.Definition(name: name, parameters: params, body: body, offset: offset)
    }

    private func parseParameters(_ parser: inout ExpressionParser) throws -> [(name: String, defaultValue: ExpressionNode?)] {
        var params: [(name: String, defaultValue: ExpressionNode?)] = []
        try parser.expectOp("(")
        while !parser.current.isOp(")") {
            let p = try parser.expectName()
            params.append((p, parser.skipOp("=") ? try parser.parseExpression() : nil))
            if !parser.skipOp(",") { break }
        }
        try parser.expectOp(")")
        return params
    }

    private mutating func parseCallBlock(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        let params = parser.current.isOp("(") ? try parseParameters(&parser) : []
        let call = try parser.parseExpression()
        guard case .call = call.kind else { throw TemplateError.syntax("'{% call %}' needs a macro call", at: offset) }
        try parser.expectEnd()
        let (body, end) = try parseBody(until: ["endcall"])
        guard let end else { throw TemplateError.syntax("missing '{% endcall %}'", at: offset) }
        try end.parser.expectEnd()
        return .callBlock(call: call, caller: TemplateMacro.Definition(name: "caller", parameters: params, body: body, offset: offset),
                          offset: offset)
    }

    private mutating func parseFilterBlock(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        let filters = try parser.parseFilterChain(on: ExpressionNode(.name(TemplateNode.blockBody), at: offset))
        try parser.expectEnd()
        let (body, end) = try parseBody(until: ["endfilter"])
        guard let end else { throw TemplateError.syntax("missing '{% endfilter %}'", at: offset) }
        try end.parser.expectEnd()
        return .filterBlock(filters: filters, body: body, offset: offset)
    }

    /// `{% block name [scoped] [required] %}…{% endblock [name] %}`.
    private mutating func parseNamedBlock(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        let name = try parser.expectName()
        var scoped = false
        for modifier in ["scoped", "required"] where parser.current.isName(modifier) {
            scoped = scoped || modifier == "scoped"
            _ = parser.skipName(modifier)
        }
        try parser.expectEnd()
        let (body, end) = try parseBody(until: ["endblock"])
        guard var end else { throw TemplateError.syntax("missing '{% endblock %}'", at: offset) }
        if !end.parser.atEnd {
            let closing = try end.parser.expectName()
            if closing != name {
                throw TemplateError.syntax("'{% endblock \(closing) %}' closes block '\(name)'", at: end.offset)
            }
        }
        try end.parser.expectEnd()
        return .namedBlock(name: name, scoped: scoped, body: body, offset: offset)
    }

    /// `{% with a = expr, b = expr %}` (or bare `{% with %}`) up to `{% endwith %}`.
    private mutating func parseWith(_ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        var bindings: [(name: String, value: ExpressionNode)] = []
        while !parser.atEnd {
            if !bindings.isEmpty { try parser.expectOp(",") }
            let name = try parseTargets(&parser)
            guard name.count == 1 else { throw TemplateError.syntax("'{% with %}' binds one name at a time", at: offset) }
            try parser.expectOp("=")
            bindings.append((name[0], try parser.parseExpression()))
        }
        let (body, end) = try parseBody(until: ["endwith"])
        guard let end else { throw TemplateError.syntax("missing '{% endwith %}'", at: offset) }
        try end.parser.expectEnd()
        return .with(bindings: bindings, body: body, offset: offset)
    }

    /// `include`, `import`, `from … import` and `extends`: statements naming another template.
    private func parseFileStatement(_ tag: String, _ parser: inout ExpressionParser, offset: Int) throws -> TemplateNode {
        let template = try parser.parseExpression()
        /// `with context` / `without context` at the end (Jinja's default differs per tag).
        func context(default value: Bool) throws -> Bool {
            var result = value
            if parser.current.isName("with") || parser.current.isName("without") {
                result = parser.current.isName("with")
                parser.advance()
                guard parser.skipName("context") else { throw parser.unexpected(expecting: "'context'") }
            }
            try parser.expectEnd()
            return result
        }
        switch tag {
        case "include":
            var ignoreMissing = false
            if parser.skipName("ignore") {
                guard parser.skipName("missing") else { throw parser.unexpected(expecting: "'missing'") }
                ignoreMissing = true
            }
            return .include(template: template, ignoreMissing: ignoreMissing, withContext: try context(default: true), offset: offset)
        case "import":
            guard parser.skipName("as") else { throw parser.unexpected(expecting: "'as'") }
            let alias = try parser.expectName()
            return .importMacros(template: template, alias: alias, names: [], withContext: try context(default: false), offset: offset)
        case "from":
            guard parser.skipName("import") else { throw parser.unexpected(expecting: "'import'") }
            var names: [(name: String, alias: String)] = []
            repeat {
                if parser.current.isName("with") || parser.current.isName("without") { break }
                let name = try parser.expectName()
                if name.hasPrefix("_") { throw TemplateError.syntax("names starting with an underscore cannot be imported", at: offset) }
                names.append((name, parser.skipName("as") ? try parser.expectName() : name))
            } while parser.skipOp(",")
            return .importMacros(template: template, alias: nil, names: names, withContext: try context(default: false), offset: offset)
        default:
            try parser.expectEnd()
            return .extends(template: template, offset: offset)
        }
    }

    /// `a` or `a, b` (also `(a, b)`).
    private func parseTargets(_ parser: inout ExpressionParser) throws -> [String] {
        let parenthesised = parser.skipOp("(")
        var names = [try parser.expectName()]
        while parser.skipOp(",") { names.append(try parser.expectName()) }
        if parenthesised { try parser.expectOp(")") }
        for n in names where ExpressionParser.keywords.contains(n) || ["loop", "true", "false", "none"].contains(n) {
            throw TemplateError.syntax("cannot assign to '\(n)'", at: parser.current.offset)
        }
        return names
    }
}
