import ArgumentParser
import ProvisionCore

/// `provision doc MODULE` / `provision doc --list`: a module's arguments (from the same
/// specification the loader checks), return values and an example, as `ansible-doc` shows.
struct DocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doc",
        abstract: "Show a module's arguments, return values and an example.")

    @Flag(name: .shortAndLong, help: "List every module provision implements.")
    var list = false

    @Argument(help: "The module name (copy, ansible.builtin.copy, community.general.ini_file).")
    var module: String?

    func run() throws {
        if list {
            print(ModuleDocRenderer.list(), terminator: "")
            return
        }
        guard let name = module else { throw ValidationError("give a module name, or --list") }
        guard let type = ModuleRegistry.lookup(name) else {
            let hint = ModuleRegistry.suggestion(for: name).map { " (did you mean '\($0)'?)" } ?? ""
            throw ValidationError("no module named '\(name)'\(hint); see provision doc --list")
        }
        print(ModuleDocRenderer.page(for: type), terminator: "")
    }
}
