/// Local variables of a template (`{% set %}`, `{% for %}` targets, `loop`), innermost first.
/// A class so a `set` inside a block writes to the frame that block owns, as in Jinja.
final class TemplateFrame {
    var vars: [String: Value]
    /// `{% macro %}`s defined in this frame (and `caller` inside a macro run by `{% call %}`).
    var macros: [String: TemplateMacro] = [:]
    let parent: TemplateFrame?
    /// The render's limits, shared by every frame of one render (see `RenderBudget`).
    let budget: RenderBudget

    /// What every frame of one render shares: the whitespace options included files are
    /// parsed with, and the blocks a child template (`{% extends %}`) fills in.
    let environment: TemplateEnvironment

    init(_ vars: [String: Value] = [:], parent: TemplateFrame?, environment: TemplateEnvironment? = nil) {
        self.vars = vars
        self.parent = parent
        self.budget = parent?.budget ?? RenderBudget()
        self.environment = environment ?? parent?.environment ?? TemplateEnvironment()
    }

    /// A top-level frame of another template file in the same render (an imported one):
    /// none of `sibling`'s variables, its budget and environment.
    init(sharingWith sibling: TemplateFrame?, environment: TemplateEnvironment? = nil) {
        self.vars = [:]
        self.parent = nil
        self.budget = sibling?.budget ?? RenderBudget()
        self.environment = environment ?? sibling?.environment ?? TemplateEnvironment()
    }

    func lookup(_ name: String) -> Value? {
        var f: TemplateFrame? = self
        while let current = f {
            if let v = current.vars[name] { return v }
            f = current.parent
        }
        return nil
    }

    func macro(_ name: String) -> TemplateMacro? {
        var f: TemplateFrame? = self
        while let current = f {
            if let m = current.macros[name] { return m }
            if current.vars[name] != nil { return nil }
            f = current.parent
        }
        return nil
    }

    /// The frame that holds `name`, for statements and methods that change a local in place.
    func owner(of name: String) -> TemplateFrame? {
        var f: TemplateFrame? = self
        while let current = f {
            if current.vars[name] != nil { return current }
            f = current.parent
        }
        return nil
    }

    /// The outermost frame: the template's own top level.
    var root: TemplateFrame {
        var f = self
        while let p = f.parent { f = p }
        return f
    }
}
