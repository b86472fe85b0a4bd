/// A loaded playbook: its plays in order, every task already checked (keys, module, arguments,
/// variables), so running it contacts no host before the whole file is known to be valid.
public struct Playbook: Sendable {
    /// The playbook file, as given.
    public var path: String
    public var plays: [Play]
    /// What the before-run check found suspicious but Ansible would run (a variable not
    /// visibly defined, a module provision does not implement): shown before the run;
    /// `--strict` makes them load errors instead.
    public var warnings: [Diagnostic] = []

    public init(path: String, plays: [Play]) {
        self.path = path
        self.plays = plays
    }

    /// The directory relative controller paths (`copy: src=`, `vars_files`) are resolved in.
    public var directory: String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }
}

import Foundation

extension Diagnostic {
    /// The diagnostic shown as a warning (`file:line:col: warning: …`, source line, caret).
    public func renderedAsWarning() -> String {
        let text = rendered()
        let errorTag = "\(location): error: "
        guard text.hasPrefix(errorTag) else { return text }
        return "\(location): warning: " + text.dropFirst(errorTag.count)
    }
}
