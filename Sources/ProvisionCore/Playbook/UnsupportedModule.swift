/// The module type of a task whose module Ansible knows but provision does not implement
/// (`Task.unsupportedModule` names it). The loader warned; the executor fails the task on each
/// host that reaches it, and never builds this type.
enum UnsupportedModule: Module {
    static let name = ""
    static let argumentSpec = ArgumentSpec([], freeForm: true, acceptsAnyKey: true)
    init(arguments: ModuleArguments) throws { throw ModuleError("this module is not implemented by provision") }
    func run(in context: HostContext) throws -> ModuleResult { .failed("not implemented by provision") }
}
