/// Where a variable's value came from, as far as Python's type of a string tells it apart:
/// Ansible reads the user's YAML into `AnsibleUnicode`, gets `AnsibleUnsafeText` from hosts
/// (facts, registered results) and `!unsafe`, and plain `str` from the command line, an INI
/// inventory and anything a template computes. Only `type_debug` shows the difference.
public enum VariableOrigin {
    /// Written in the user's YAML (play vars, vars_files, role vars and defaults, include_vars,
    /// task vars): the definition as written, before rendering.
    case yaml(Value)
    /// Typed as text outside YAML (`-e key=value`, `-e '{"json": 1}'`, an INI inventory) or
    /// computed: strings are `str`.
    case text
    /// From a host (facts, a registered result): strings are `AnsibleUnsafeText`.
    case host
}

extension TemplateScope {
    /// Where `name` comes from; nil when the scope does not know (strings are then `str`).
    public func origin(of name: String) -> VariableOrigin? { nil }
    /// True when `name`'s value is Ansible's NativeJinjaText (see
    /// `Templating.isNativeTextDefinition`); false when the scope does not know.
    public func holdsNativeText(_ name: String) -> Bool { false }
}

extension LayeredScope {
    /// Names in the layers are computed values (template variables); the rest is the fallback's.
    public func origin(of name: String) -> VariableOrigin? {
        for layer in layers where layer[name] != nil { return nil }
        if mappings[name] != nil { return nil }
        return fallback?.origin(of: name)
    }

    public func holdsNativeText(_ name: String) -> Bool {
        for layer in layers where layer[name] != nil { return false }
        if mappings[name] != nil { return false }
        return fallback?.holdsNativeText(name) ?? false
    }
}
