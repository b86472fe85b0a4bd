import Foundation

extension InventoryLoader {
    /// Reads an inventory in Ansible's INI format into `draft`, with the INI plugin's rules:
    /// lines before any section list ungrouped hosts; `[g]` lists hosts (`name[:port]`, ranges,
    /// then `key=value` words split as a shell would, `#` starting a comment), `[g:vars]` one
    /// `key=value` a line, `[g:children]` one group a line (declared before or after). Values
    /// are read as Python literals, else kept as strings, in both kinds of section.
    func readINI(_ text: String, into draft: inout InventoryDraft) {
        let file = draft.file
        var group = "ungrouped"
        var state = "hosts"
        /// A `[g:vars]` section for a group not yet declared: an error unless it is declared later.
        var pendingVars: [String: SourceLocation] = [:]
        /// Children named before being declared: (parent, where) per child.
        var pendingChildren: [String: [(String, SourceLocation)]] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (n, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            let indent = rawLine.prefix { $0 == " " || $0 == "\t" }.count
            let at = SourceLocation(file: file, line: n + 1, column: indent + 1)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if let (name, kind) = Self.iniSection(line) {
                guard ["hosts", "children", "vars"].contains(kind) else {
                    draft.diagnostics.add("section [\(name):\(kind)] has unknown type '\(kind)'", at: at,
                                          hint: "a section is [NAME], [NAME:vars] or [NAME:children]")
                    group = name
                    state = "skip"
                    continue
                }
                let known = draft.groups[name] != nil
                if !known && kind == "vars" && pendingChildren[name] == nil { pendingVars[name] = at }
                if kind != "vars" { pendingVars[name] = nil }
                draft.ensureGroup(name, at: at, parent: nil)
                if kind != "vars", let parents = pendingChildren.removeValue(forKey: name) {
                    for (parent, loc) in parents { draft.ensureGroup(name, at: loc, parent: parent) }
                }
                group = name
                state = kind
                continue
            }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                draft.diagnostics.add("invalid section '\(line)'", at: at,
                                      hint: "write sections as [NAME], [NAME:vars] or [NAME:children], without spaces")
                state = "skip"
                continue
            }
            switch state {
            case "hosts": readINIHost(line, group: group, at: at, into: &draft)
            case "vars": readINIVariable(line, group: group, at: at, into: &draft)
            case "children":
                guard let child = Self.iniGroupName(line) else {
                    draft.diagnostics.add("expected a group name, got '\(line)'", at: at,
                                          hint: "a [NAME:children] section lists one group name a line")
                    continue
                }
                if child == "all" {
                    draft.diagnostics.add("'all' cannot be a child group", at: at)
                } else if draft.groups[child] != nil && pendingChildren[child] == nil {
                    draft.ensureGroup(child, at: at, parent: group)
                } else {
                    pendingChildren[child, default: []].append((group, at))
                }
            default: continue
            }
        }
        for (name, at) in pendingVars.sorted(by: { $0.value.line < $1.value.line }) {
            draft.diagnostics.add("section [\(name):vars] is for group '\(name)', which is not defined", at: at,
                                  hint: "declare the group with a [\(name)] or [\(name):children] section, or fix the name")
        }
        for (child, parents) in pendingChildren.sorted(by: { ($0.value.first?.1.line ?? 0) < ($1.value.first?.1.line ?? 0) }) {
            guard let (parent, at) = parents.first else { continue }
            draft.diagnostics.add("section [\(parent):children] names group '\(child)', which is not defined", at: at,
                                  hint: "declare it with a [\(child)] section (it may be empty), or fix the name")
        }
    }

    /// `[name]`, `[name:kind]`, optionally followed by a `#` comment (Ansible's section syntax).
    static func iniSection(_ line: String) -> (String, String)? {
        guard let m = line.range(of: #"^\[([^:\]\s]+)(?::(\w+))?\]\s*(#.*)?$"#, options: .regularExpression) else {
            return nil
        }
        let body = line[m].dropFirst().prefix { $0 != "]" }
        let parts = body.split(separator: ":", maxSplits: 1).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : "hosts")
    }

    static func iniGroupName(_ line: String) -> String? {
        guard line.range(of: #"^[^:\]\s]+\s*(#.*)?$"#, options: .regularExpression) != nil else { return nil }
        return String(line.prefix { !$0.isWhitespace && $0 != "#" })
    }

    /// A host line: `name[:port] key=value …`.
    func readINIHost(_ line: String, group: String, at: SourceLocation, into draft: inout InventoryDraft) {
        let words: [String]
        do { words = try ShellWords.split(Self.withoutShellComment(line)) } catch {
            draft.diagnostics.add("cannot split host line: unbalanced quote", at: at,
                                  hint: "close the quote, or escape it with a backslash")
            return
        }
        guard let pattern = words.first else { return }
        if pattern.hasSuffix(":") {
            draft.diagnostics.add("host '\(pattern)' ends in ':', which is reserved to give a port", at: at,
                                  hint: "write NAME:PORT, or drop the ':'")
            return
        }
        var layer = VarLayer()
        for word in words.dropFirst() {
            guard let eq = word.firstIndex(of: "=") else {
                draft.diagnostics.add("expected key=value after host '\(pattern)', got '\(word)'", at: at,
                                      hint: "host variables are written key=value; quote values with spaces")
                continue
            }
            let key = String(word[..<eq])
            let raw = String(word[word.index(after: eq)...])
            addINIVariable(key, Self.iniValue(raw), owner: "host '\(pattern)'", at: at, to: &layer, draft: &draft)
        }
        addHosts(pattern: pattern, location: at, quoted: false, vars: layer, group: group, into: &draft)
    }

    /// A `[group:vars]` line: `key = value`, the value read as a Python literal.
    func readINIVariable(_ line: String, group: String, at: SourceLocation, into draft: inout InventoryDraft) {
        guard let eq = line.firstIndex(of: "=") else {
            draft.diagnostics.add("expected key=value, got '\(line)'", at: at,
                                  hint: "a [\(group):vars] section holds one key=value a line")
            return
        }
        let key = line[..<eq].trimmingCharacters(in: .whitespaces)
        let raw = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        var layer = VarLayer()
        addINIVariable(key, Self.iniValue(raw), owner: "group '\(group)'", at: at, to: &layer, draft: &draft)
        draft.addGroupVars(layer, to: group)
    }

    /// Checks a connection setting as YAML inventories do, then keeps the variable.
    func addINIVariable(_ key: String, _ value: Value, owner: String, at: SourceLocation, to layer: inout VarLayer,
                        draft: inout InventoryDraft) {
        if key.isEmpty {
            draft.diagnostics.add("a variable name must not be empty", at: at)
            return
        }
        if let (message, hint) = ConnectionKey.misspelling(key) {
            draft.diagnostics.add("\(message) in \(owner)", at: at, hint: hint)
            return
        }
        if let ck = ConnectionKey.named(key), let problem = Self.valueProblem(ck, value) {
            draft.diagnostics.add("'\(key)' of \(owner) \(problem)", at: at)
            return
        }
        layer.values[key] = value
        layer.locations[key] = at
    }

    /// Ansible's INI value rule: a Python literal when it is one, else the text itself.
    static func iniValue(_ raw: String) -> Value { PythonLiteral.parse(raw) ?? .string(raw) }

    /// `line` up to the first `#` that starts a comment for a POSIX shell lexer with comments
    /// on (Python's `shlex`): outside quotes, and not escaped.
    static func withoutShellComment(_ line: String) -> String {
        var quote: Character?
        var escaped = false
        var out = ""
        for c in line {
            if escaped { escaped = false; out.append(c); continue }
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" { escaped = true }
                out.append(c)
                continue
            }
            if c == "#" { break }
            if c == "\\" { escaped = true } else if c == "'" || c == "\"" { quote = c }
            out.append(c)
        }
        return out
    }
}
