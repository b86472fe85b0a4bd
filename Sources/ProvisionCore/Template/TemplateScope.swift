/// Where templates find variables: the executor supplies one per host and task, layering extra
/// vars, task vars, registered results and facts, play vars, host vars and group vars in its
/// own storage, and answering lookups by name without copying them into one dictionary.
///
/// A scope is used from one thread at a time (the host's queue); it need not be `Sendable`.
public protocol TemplateScope {
    /// The variable `name`, or nil when it is not defined.
    func lookup(_ name: String) -> ScopeEntry?

    /// Where `name` comes from, for `type_debug` (see `VariableOrigin`); the default says nil.
    func origin(of name: String) -> VariableOrigin?

    /// True when `name` holds Ansible's NativeJinjaText (see
    /// `Templating.isNativeTextDefinition`); the default says false.
    func holdsNativeText(_ name: String) -> Bool
}
