/// Templated keywords, rendered for one host just before the task runs there.
extension Task {
    /// This task with every templated keyword rendered in `scope` and converted as Ansible
    /// converts it (booleans with `boolean()`: true, yes, on, 1, y, t; anything else false).
    /// A play keyword template (`become: "{{ x }}"` on the play) stands in when the task sets
    /// none. Throws the template's error, which fails the task on that host.
    func resolvingKeywords(in scope: any TemplateScope, play: Play) throws -> Task {
        var keywords = templatedKeywords
        for key in ["become", "become_user", "become_method"] where keywords[key] == nil && fieldLocations[key] == nil {
            if let v = play.templatedKeywords[key] { keywords[key] = v }
        }
        guard !keywords.isEmpty else { return self }
        var t = self
        for (key, raw) in keywords {
            let v = try Templating.render(raw, in: scope)
            switch key {
            case "become": t.become = Self.boolean(v)
            case "become_user": t.becomeUser = v.renderedString
            case "become_method": t.becomeMethod = v.renderedString
            case "ignore_errors": t.ignoreErrors = Self.boolean(v)
            case "ignore_unreachable": t.ignoreUnreachable = Self.boolean(v)
            case "no_log": t.noLog = Self.boolean(v)
            case "check_mode": t.checkMode = Self.boolean(v)
            case "run_once": t.runOnce = Self.boolean(v)
            case "delegate_facts": t.delegateFacts = Self.boolean(v)
            case "diff": t.diff = Self.boolean(v)
            case "retries": t.retries = try Self.integer(v, key)
            case "throttle": t.throttle = try Self.integer(v, key)
            case "async": t.asyncSeconds = try Self.integer(v, key)
            case "poll": t.poll = try Self.integer(v, key)
            case "delay":
                let number: Double?
                switch v {
                case .int(let i): number = Double(i)
                case .double(let d): number = d
                default: number = Double(v.renderedString.trimmingCharacters(in: .whitespaces))
                }
                guard let d = number else {
                    throw ModuleError("delay: '\(v.renderedString)' is not a number")
                }
                t.delay = d
            default: break
            }
        }
        t.templatedKeywords = [:]
        return t
    }

    /// Ansible's `boolean()` (non-strict): the true spellings give true, everything else false.
    static func boolean(_ v: Value) -> Bool {
        switch v {
        case .bool(let b): return b
        case .int(let i): return i == 1
        case .double(let d): return d == 1
        case .string(let s): return ["y", "yes", "on", "1", "true", "t"].contains(s.lowercased().trimmingCharacters(in: .whitespaces))
        default: return false
        }
    }

    static func integer(_ v: Value, _ key: String) throws -> Int {
        if case .int(let i) = v { return i }
        if let i = Int(v.renderedString.trimmingCharacters(in: .whitespaces)) { return i }
        throw ModuleError("\(key): '\(v.renderedString)' is not a whole number")
    }
}
