/// `command` and `shell` as background jobs (`async:`): the same command line, run detached.
extension CommandRunner {
    /// The line to run in the background; `creates`/`removes` cannot be honoured there.
    func backgroundLine() throws -> String {
        if creates != nil || removes != nil {
            throw ModuleError("'creates'/'removes' cannot be combined with async here; check them in a task before")
        }
        if stdin != nil { throw ModuleError("'stdin' cannot be combined with async") }
        return (chdir.map { "cd -- \(Shell.quote($0)) || exit 1; " } ?? "") + "exec " + line
    }
}

extension CommandModule: AsyncModule {
    public func backgroundCommand(in context: HostContext) throws -> String { try runner.backgroundLine() }
}

extension ShellModule: AsyncModule {
    public func backgroundCommand(in context: HostContext) throws -> String { try runner.backgroundLine() }
}
