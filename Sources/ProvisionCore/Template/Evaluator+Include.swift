import Foundation

/// `{% include %}`, `{% import %}`, `{% from … import %}`, `{% extends %}` and block
/// overrides: other template files, found as ansible-core 2.14's template module finds them
/// (each directory of `ansible_search_path` — else the role's and the playbook's — then the
/// directory of the file being rendered, each as `dir/templates` then `dir`), parsed with the
/// render's whitespace options and Jinja's rule that one trailing newline of a file goes.
extension Evaluator {
    /// Renders a template file's top level: a template that extends another renders that one,
    /// with its own blocks in place of the other's.
    func renderTemplate(_ nodes: [TemplateNode], into out: inout String) throws {
        guard let at = nodes.firstIndex(where: { if case .extends = $0 { return true } else { return false } }),
              case .extends(let nameNode, let offset) = nodes[at] else {
            try render(nodes, into: &out)
            return
        }
        // As Jinja: text before `extends` is output; after it the top level still runs (its
        // `set`s and imports count) but writes nothing, and its blocks only fill the parent's.
        try render(Array(nodes[..<at]), into: &out)
        guard let environment = frame?.environment else { return }
        collectBlocks(nodes, into: environment)
        var discarded = ""
        try render(nodes[(at + 1)...].filter { if case .namedBlock = $0 { return false } else { return true } }, into: &discarded)
        guard let parent = try loadTemplate(try value(nameNode), ignoreMissing: false, at: offset) else { return }
        try frame?.budget.nested(at: offset) { try renderTemplate(parent.nodes, into: &out) }
    }

    /// Every `{% block %}` of a child template, wherever it is nested, after those of its own
    /// children (which win).
    private func collectBlocks(_ nodes: [TemplateNode], into environment: TemplateEnvironment) {
        for node in nodes {
            switch node {
            case .namedBlock(let name, _, let body, _):
                environment.blocks[name, default: []].append(body)
                collectBlocks(body, into: environment)
            case .conditional(let branches, let otherwise):
                branches.forEach { collectBlocks($0.body, into: environment) }
                collectBlocks(otherwise ?? [], into: environment)
            case .loop(_, _, _, let body, let otherwise, _, _):
                collectBlocks(body, into: environment)
                collectBlocks(otherwise ?? [], into: environment)
            case .with(_, let body, _), .filterBlock(_, let body, _), .assignBlock(_, _, let body, _):
                collectBlocks(body, into: environment)
            default: break
            }
        }
    }

    /// A `{% block %}`: the most derived body for its name, with `super()` rendering the next.
    func renderNamedBlock(_ name: String, _ own: [TemplateNode], scoped: Bool, at offset: Int, into out: inout String) throws {
        let chain = (frame?.environment.blocks[name] ?? []) + [own]
        let outer = scoped ? frame : frame?.root
        var next: TemplateMacro?
        for body in chain.dropFirst().reversed() {
            let f = TemplateFrame([:], parent: outer)
            if let next { f.macros["super"] = next }
            next = TemplateMacro(TemplateMacro.Definition(name: "super", parameters: [], body: body, offset: offset), frame: f)
        }
        // Its own scope, as Jinja's block functions: a `set` inside does not leak out.
        let blockFrame = TemplateFrame([:], parent: outer)
        if let next { blockFrame.macros["super"] = next }
        try Evaluator(scope: scope, frame: blockFrame).render(chain[0], into: &out)
    }

    /// `{% include %}`: the file rendered in place, seeing this template's variables (unless
    /// `without context`); its own `set`s stay inside it.
    func renderInclude(_ nameNode: ExpressionNode, ignoreMissing: Bool, withContext: Bool, at offset: Int,
                       into out: inout String) throws {
        guard let template = try loadTemplate(try value(nameNode), ignoreMissing: ignoreMissing, at: offset) else { return }
        let environment = frame?.environment.fresh() ?? TemplateEnvironment()
        let inner = withContext
            ? Evaluator(scope: scope, frame: TemplateFrame([:], parent: frame, environment: environment))
            : Evaluator(scope: LayeredScope([]), frame: TemplateFrame(sharingWith: frame, environment: environment))
        try frame?.budget.nested(at: offset) { try inner.renderTemplate(template.nodes, into: &out) }
    }

    /// `{% import name as m %}` (macros called as `m.macro()`) or `{% from name import a as b %}`.
    /// Without `with context` (Jinja's default) the file's macros see none of the play's
    /// variables, as in Ansible, where they are not Jinja globals.
    func importMacros(_ nameNode: ExpressionNode, alias: String?, names: [(name: String, alias: String)],
                      withContext: Bool, at offset: Int) throws {
        guard let template = try loadTemplate(try value(nameNode), ignoreMissing: false, at: offset) else { return }
        let environment = frame?.environment.fresh() ?? TemplateEnvironment()
        let moduleScope: any TemplateScope = withContext ? scope : LayeredScope([])
        let moduleFrame = withContext ? TemplateFrame([:], parent: frame, environment: environment)
            : TemplateFrame(sharingWith: frame, environment: environment)
        var discarded = ""
        try frame?.budget.nested(at: offset) {
            try Evaluator(scope: moduleScope, frame: moduleFrame).render(template.nodes, into: &discarded)
        }
        let macros = moduleFrame.macros.mapValues { TemplateMacro($0.definition, frame: $0.frame, caller: nil, scope: moduleScope) }
        guard let target = frame else { return }
        if let alias {
            for (name, macro) in macros where !name.hasPrefix("_") { target.macros[alias + "." + name] = macro }
            target.vars[alias] = nil
            return
        }
        for (name, local) in names {
            guard let macro = macros[name] else {
                throw TemplateError.evaluation("the template does not export '\(name)' (provision imports macros only)", at: offset)
            }
            target.macros[local] = macro
            target.vars[local] = nil
        }
    }

    /// The parsed template a name (or the first found of a list of names) refers to; nil when
    /// missing and `ignoreMissing`.
    func loadTemplate(_ name: Value, ignoreMissing: Bool, at offset: Int) throws -> Template? {
        let names: [String]
        switch name {
        case .string(let s): names = [s]
        case .list(let l): names = l.compactMap(\.stringValue)
        default: throw TemplateError.type("a template name must be a string or a list of strings, not \(name.typeName)", at: offset)
        }
        let fm = FileManager.default
        for n in names {
            guard !n.split(separator: "/").contains("..") else { continue }
            let candidates = n.hasPrefix("/") ? [n] : templateSearchPath().map { ($0 as NSString).appendingPathComponent(n) }
            guard let path = candidates.first(where: { var d: ObjCBool = false; return fm.fileExists(atPath: $0, isDirectory: &d) && !d.boolValue })
            else { continue }
            guard let data = fm.contents(atPath: path), var text = String(data: data, encoding: .utf8) else {
                throw TemplateError.evaluation("cannot read the template \(path) as UTF-8 text", at: offset)
            }
            // Jinja's keep_trailing_newline is off: one trailing newline of the file goes.
            if text.hasSuffix("\r\n") { text.removeLast() } else if text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            let environment = frame?.environment ?? TemplateEnvironment()
            do {
                return try Template.compile(text, trimBlocks: environment.trimBlocks, lstripBlocks: environment.lstripBlocks)
            } catch let error as TemplateError {
                throw TemplateError.evaluation("in the template \(path): \(error)", at: offset)
            }
        }
        if ignoreMissing { return nil }
        throw TemplateError.evaluation("the template \(names.joined(separator: ", ")) was not found (searched: "
            + templateSearchPath().joined(separator: ", ") + ")", at: offset)
    }

    /// The directories a template name is looked up in, as the template module builds them.
    private func templateSearchPath() -> [String] {
        var bases: [String] = []
        if case .list(let l)? = scope.lookup("ansible_search_path")?.materialized {
            bases = l.compactMap(\.stringValue)
        } else {
            for name in ["role_path", "playbook_dir"] {
                if let s = scope.lookup(name)?.materialized.stringValue, !s.isEmpty { bases.append(s) }
            }
        }
        if let full = scope.lookup("template_fullpath")?.materialized.stringValue, !full.isEmpty {
            bases.append((full as NSString).deletingLastPathComponent)
        }
        var dirs: [String] = []
        for b in bases {
            for d in [(b as NSString).appendingPathComponent("templates"), b] where !dirs.contains(d) { dirs.append(d) }
        }
        return dirs
    }
}
