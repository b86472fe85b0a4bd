import Foundation

/// Limits on one render, so a template such as nested `range(100000)` loops cannot pin a core
/// or fill the controller's memory: loop iterations and output size, each raisable with an
/// environment variable named in the error.
final class RenderBudget {
    static let iterationsVariable = "PROVISION_TEMPLATE_MAX_ITERATIONS"
    static let outputVariable = "PROVISION_TEMPLATE_MAX_OUTPUT_BYTES"
    private static let lock = NSLock()
    nonisolated(unsafe) private static var limits = (iterations: limit(iterationsVariable, default: 1_000_000),
                                                     outputBytes: limit(outputVariable, default: 64 << 20))
    /// The limits every new render takes (from the environment; settable for tests).
    static var maxIterations: Int {
        get { lock.withLock { limits.iterations } }
        set { lock.withLock { limits.iterations = newValue } }
    }
    static var maxOutputBytes: Int {
        get { lock.withLock { limits.outputBytes } }
        set { lock.withLock { limits.outputBytes = newValue } }
    }

    private var iterations = 0
    /// Macro calls in progress: a macro that calls itself must end in an error, not a crash.
    private var callDepth = 0
    static let maxCallDepth = 64
    private let maxIterations: Int
    private let maxOutputBytes: Int

    init() {
        (maxIterations, maxOutputBytes) = Self.lock.withLock { Self.limits }
    }

    private static func limit(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) }.map { max(1, $0) } ?? value
    }

    /// Counts one loop iteration; throws past the limit.
    func iterate(at offset: Int) throws {
        iterations += 1
        if iterations > maxIterations {
            throw TemplateError.evaluation("the template ran more than \(maxIterations) loop iterations in one render "
                + "(set \(Self.iterationsVariable) to raise the limit)", at: offset)
        }
    }

    /// Throws when the rendered text has grown past the limit.
    func check(outputBytes: Int, at offset: Int) throws {
        if outputBytes > maxOutputBytes {
            throw TemplateError.evaluation("the template's output grew past \(maxOutputBytes) bytes in one render "
                + "(set \(Self.outputVariable) to raise the limit)", at: offset)
        }
    }

    /// Runs a macro body one call level deeper; throws past `maxCallDepth`.
    func nested<T>(at offset: Int, _ body: () throws -> T) throws -> T {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > Self.maxCallDepth {
            throw TemplateError.evaluation("macros nested more than \(Self.maxCallDepth) calls deep (a macro calling itself?)", at: offset)
        }
        return try body()
    }
}
