import Foundation
import Yams

/// What the loader remembers about roles while reading one play.
struct RoleState {
    /// The directory of the play's file: `roles/` and role names are looked up from there.
    var playDirectory = "."
    /// Roles already expanded in this play, by path and parameters: Ansible runs a role once
    /// per play unless its parameters differ or its meta sets `allow_duplicates`.
    var seen = Set<String>()
    /// Roles whose handlers were already added (a role's handlers exist once per play).
    var handlersLoaded = Set<String>()
    /// Handlers of every role of the play, in the order the roles were read.
    var handlers: [Task] = []
    /// Role directories being expanded, outermost first (a dependency cycle is an error).
    var stack: [String] = []
    /// An `include_vars` of this play names a file the loader could not know.
    var unknownIncludeVars = false
    /// Names for Ansible's role-name variables: the play's `roles:`, its `import_role`s, and
    /// the dependencies of both (recorded only while those are expanded, not for include_role,
    /// which Ansible leaves out of the play's roles).
    var sectionRoleNames: [String] = []
    var importedRoleNames: [String] = []
    var dependencyRoleNames: [String] = []
    var recordingDependencies = false

    /// A role's name as Ansible's `get_name()` gives it: as written when found under a roles
    /// directory or the playbook's (`other/web` too); an absolute path by its last component.
    static func displayName(_ reference: String) -> String {
        reference.hasPrefix("/") ? (reference as NSString).lastPathComponent : reference
    }
}

/// One role as `roles:`, `dependencies:` or `import_role`/`include_role` name it.
struct RoleReference {
    var name: String
    /// Where the name was written (errors about the role point here).
    var location: SourceLocation
    /// Role parameters and the reference's own `vars:` (above the role's `vars/main.yml`).
    var params: [String: Value] = [:]
    /// `when`, `tags`, `become`, … written on the reference; they apply to every task of the role.
    var keywords: [(key: String, keyNode: Node, value: Node)] = []
    var tasksFrom = "main"
    var varsFrom = "main"
    var defaultsFrom = "main"
    var handlersFrom = "main"
    /// `rolespec_validate` (default true): check the role's argument spec first.
    var validateSpec = true
}

/// The variables a role passes on to the roles that depend on it (their tasks see them).
struct RoleExports {
    var defaults: [String: Value] = [:]
    var vars: [String: Value] = [:]
}
