/// Local variables of a template (`{% set %}`, `{% for %}` targets, `loop`), innermost first.
/// A class so a `set` inside a block writes to the frame that block owns, as in Jinja.
final class TemplateFrame {
    var vars: [String: Value]
    let parent: TemplateFrame?
    /// The render's limits, shared by every frame of one render (see `RenderBudget`).
    let budget: RenderBudget

    init(_ vars: [String: Value] = [:], parent: TemplateFrame?) {
        self.vars = vars
        self.parent = parent
        self.budget = parent?.budget ?? RenderBudget()
    }

    func lookup(_ name: String) -> Value? {
        var f: TemplateFrame? = self
        while let current = f {
            if let v = current.vars[name] { return v }
            f = current.parent
        }
        return nil
    }
}
