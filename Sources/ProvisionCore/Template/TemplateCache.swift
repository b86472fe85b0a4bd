import Foundation

/// Parsed templates and expressions by source text, shared by every host queue.
///
/// Thread-safe (one lock). Parse errors are cached too, so a bad `when:` fails fast on every
/// host. Bounded: past `limit` entries the cache starts over, which only costs re-parsing.
final class TemplateCache: @unchecked Sendable {
    static let shared = TemplateCache()

    private let lock = NSLock()
    private var templates: [String: Result<Template, TemplateError>] = [:]
    /// Templates parsed with non-default whitespace options, by options and source.
    private var optioned: [String: Result<Template, TemplateError>] = [:]
    private var expressions: [String: Result<TemplateExpression, TemplateError>] = [:]
    let limit: Int

    init(limit: Int = 20_000) { self.limit = limit }

    func template(_ source: String) throws -> Template {
        if let hit = lock.withLock({ templates[source] }) { return try hit.get() }
        let parsed = parse { try Template(source) }
        lock.withLock {
            if templates.count >= limit { templates.removeAll(keepingCapacity: true) }
            templates[source] = parsed
        }
        return try parsed.get()
    }

    func template(_ source: String, trimBlocks: Bool, lstripBlocks: Bool) throws -> Template {
        let key = "\(trimBlocks ? 1 : 0)\(lstripBlocks ? 1 : 0)" + source
        if let hit = lock.withLock({ optioned[key] }) { return try hit.get() }
        let parsed = parse { try Template(source, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks) }
        lock.withLock {
            if optioned.count >= limit { optioned.removeAll(keepingCapacity: true) }
            optioned[key] = parsed
        }
        return try parsed.get()
    }

    func expression(_ source: String) throws -> TemplateExpression {
        if let hit = lock.withLock({ expressions[source] }) { return try hit.get() }
        let parsed = parse { try TemplateExpression(source) }
        lock.withLock {
            if expressions.count >= limit { expressions.removeAll(keepingCapacity: true) }
            expressions[source] = parsed
        }
        return try parsed.get()
    }

    var count: Int { lock.withLock { templates.count + expressions.count } }

    private func parse<T>(_ body: () throws -> T) -> Result<T, TemplateError> {
        do { return .success(try body()) } catch let e as TemplateError { return .failure(e) } catch {
            return .failure(TemplateError(.syntax, "\(error)"))
        }
    }
}
