import Foundation

/// Role argument specs: as Ansible does, a role whose `meta/argument_specs.yml` (else its
/// `meta/main.yml` `argument_specs:`) has an entry for the tasks file being run gets a first
/// task, "Validating arguments against arg spec 'ENTRY'", tagged `always`, that fails the host
/// when the role's variables do not fit the spec.
extension PlaybookReader {
    /// The role's specs by entry point (`main`, or a `tasks_from` name); nil when it has none.
    func roleArgumentSpecs(_ role: String) -> ValueDict? {
        if let path = roleFile(role, dir: "meta", name: "argument_specs") {
            guard let root = loadYAML(path, at: SourceLocation(file: path)) else { return nil }
            return value(root, path).dictValue?["argument_specs"]?.dictValue
        }
        guard let path = roleFile(role, dir: "meta", name: "main"),
              let root = loadYAML(path, at: SourceLocation(file: path)) else { return nil }
        return value(root, path).dictValue?["argument_specs"]?.dictValue
    }

    /// The validation task for `ref`'s entry point, with the role's keywords applied.
    func argumentValidationTask(_ role: String, ref: RoleReference, inherited: Inherited) -> Task? {
        guard ref.validateSpec, let specs = roleArgumentSpecs(role), let entry = specs[ref.tasksFrom]?.dictValue else { return nil }
        var name = "Validating arguments against arg spec '\(ref.tasksFrom)'"
        if let short = entry["short_description"] { name += " - " + short.renderedString }
        let module = ValidateArgumentSpecModule.self
        var task = Task(name: name, action: TaskAction(module: module.name, key: "ansible.builtin." + module.name, type: module, arguments: [
            "argument_spec": entry["options"] ?? .dict([:]),
            "provided_arguments": .dict(ref.params),
            "validate_args_context": .dict(["type": "role", "name": .string(ref.name), "argument_spec_name": .string(ref.tasksFrom),
                                            "path": .string(role)]),
            "_templated": .list(ref.params.filter { Self.hasTemplate($0.value) }.keys.sorted().map(Value.string)),
        ]), location: ref.location)
        task.tags = ["always"]
        inherited.apply(to: &task)
        return task
    }
}
