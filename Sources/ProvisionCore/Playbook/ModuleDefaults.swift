/// `module_defaults:` (play, block, role or task): default arguments per module, below the
/// task's own. Keys name a module (any spelling Ansible accepts) or an action group
/// (`group/NAME`); provision resolves no action groups, and the loader warns about them.
enum ModuleDefaults {
    /// The default arguments that apply to `action`'s module, later entries winning.
    static func arguments(for action: TaskAction, in defaults: [String: Value]) -> [String: Value]? {
        var out: [String: Value] = [:]
        var found = false
        for (key, value) in defaults.sorted(by: { $0.key < $1.key }) where !key.hasPrefix("group/") {
            guard case .dict(let args) = value else { continue }
            let matches = key == action.key || key == action.module
                || ModuleRegistry.lookup(key).map { $0 == action.type } == true
            if matches {
                out.merge(args) { _, new in new }
                found = true
            }
        }
        return found ? out : nil
    }
}
