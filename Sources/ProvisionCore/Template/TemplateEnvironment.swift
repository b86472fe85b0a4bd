/// What the frames of one template file's render share, as Jinja's environment and its
/// per-render block table: the whitespace options files it includes or imports are parsed
/// with (the including file's, `#jinja2:` header included, as Ansible's template module sets
/// them for the whole render), and the `{% block %}` bodies templates that `{% extends %}`
/// this one put in its place, most derived first.
final class TemplateEnvironment {
    let trimBlocks: Bool
    let lstripBlocks: Bool
    var blocks: [String: [[TemplateNode]]] = [:]
    /// What `loop.changed()` was last called with, by loop run.
    var lastChanged: [Int: Value] = [:]
    private var loops = 0

    init(trimBlocks: Bool = true, lstripBlocks: Bool = false) {
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
    }

    /// A new id for a loop run.
    func newLoop() -> Int {
        loops += 1
        return loops
    }

    /// The same options with no blocks: for another file rendered on its own (an include).
    func fresh() -> TemplateEnvironment { TemplateEnvironment(trimBlocks: trimBlocks, lstripBlocks: lstripBlocks) }
}
