import Foundation

/// How a playbook run behaves: modes, extra vars, task selection, become passwords.
public struct RunOptions: Sendable {
    /// `--check`: modules report what they would change and change nothing.
    public var checkMode: Bool
    /// `--diff`: modules return content diffs, shown per host.
    public var diffMode: Bool
    /// `-e`: variables above everything else.
    public var extraVars: [String: Value]
    /// `--tags`: run only tasks with one of these tags (plus `always`); empty: all.
    public var tags: [String]
    /// `--skip-tags`: never run tasks with one of these tags.
    public var skipTags: [String]
    /// `--start-at-task`: skip tasks until the first one with this name (glob allowed).
    public var startAtTask: String?
    /// `--become` on the command line: every task runs through sudo.
    public var become: Bool
    /// sudo settings per host (user from the inventory, password from the CLI, the
    /// environment or the inventory's password file). Hosts missing here get `Become()`.
    public var becomeByHost: [String: Become]
    /// `-v` count, for detail events.
    public var verbosity: Int
    /// Seconds between `until` retries are multiplied by this (tests run faster with 0).
    public var delayScale: Double
    /// ansible.cfg's `[defaults] ansible_managed`: the template module's `ansible_managed`.
    public var ansibleManaged = TemplateFileVariables.defaultManaged

    public init(checkMode: Bool = false, diffMode: Bool = false, extraVars: [String: Value] = [:],
                tags: [String] = [], skipTags: [String] = [], startAtTask: String? = nil,
                become: Bool = false, becomeByHost: [String: Become] = [:],
                verbosity: Int = 0, delayScale: Double = 1) {
        self.checkMode = checkMode
        self.diffMode = diffMode
        self.extraVars = extraVars
        self.tags = tags
        self.skipTags = skipTags
        self.startAtTask = startAtTask
        self.become = become
        self.becomeByHost = becomeByHost
        self.verbosity = verbosity
        self.delayScale = delayScale
    }
}
