import Foundation
import XCTest
@testable import ProvisionCore

/// Records which hosts' variables were built, to check that `hostvars` stays lazy.
private final class HostVarsProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [String] = []
    let hosts: [String: [String: Value]]

    init(_ hosts: [String: [String: Value]]) { self.hosts = hosts }

    var builtHosts: [String] { lock.withLock { built } }

    var mapping: ClosureMapping {
        ClosureMapping(keys: { self.hosts.keys.sorted() }, member: { name in
            guard let vars = self.hosts[name] else { return nil }
            self.lock.withLock { self.built.append(name) }
            return .value(.dict(vars))
        })
    }
}

final class TemplateScopeTests: XCTestCase {
    func testLayersWinInOrder() throws {
        let scope = LayeredScope([["x": "extra"], ["x": "task", "y": "task"], ["x": "play", "y": "play", "z": "play"]])
        XCTAssertEqual(try Templating.render("{{ x }}-{{ y }}-{{ z }}", in: scope), "extra-task-play")
    }

    func testFallbackScopeAndClosureScope() throws {
        let base = ClosureScope { name in name == "greeting" ? .value("hi") : nil }
        let scope = LayeredScope([["who": "pi"]], fallback: base)
        XCTAssertEqual(try Templating.render("{{ greeting }} {{ who }}", in: scope), "hi pi")
    }

    func testHostvarsAreResolvedLazily() throws {
        let probe = HostVarsProbe(["pi1": ["ansible_host": "10.0.0.1"], "pi2": ["ansible_host": "10.0.0.2"], "pc1": [:]])
        let scope = LayeredScope([["item": "pc1"]], mappings: ["hostvars": probe.mapping])
        XCTAssertEqual(try Templating.render("{{ hostvars[item].ansible_host | default(item) }}", in: scope), "pc1")
        XCTAssertEqual(try Templating.render("{{ hostvars['pi2'].ansible_host }}", in: scope), "10.0.0.2")
        XCTAssertEqual(try Templating.render("{{ hostvars.pi1['ansible_host'] }}", in: scope), "10.0.0.1")
        XCTAssertEqual(probe.builtHosts, ["pc1", "pi2", "pi1"])
        XCTAssertEqual(try Templating.render("{{ 'pi9' in hostvars }}", in: scope), false)
        XCTAssertEqual(try Templating.render("{{ hostvars | length }}", in: scope), "3")  // Ansible 2.14: text
        XCTAssertEqual(try Templating.render("{{ hostvars.pi9 is defined }}", in: scope), false)
        XCTAssertEqual(try Templating.render("{{ hostvars | list | first }}", in: scope), "pc1")
        XCTAssertEqual(probe.builtHosts.count, 3, "length, list and 'in' must not build host variables")
        let e = TemplateFixtures.error { try Templating.render("{{ hostvars['pi9'].ansible_host }}", in: scope) }
        XCTAssertEqual(e?.kind, .undefined("hostvars['pi9'].ansible_host"))
        XCTAssertEqual(try Templating.render("{{ hostvars.keys() | list }}", in: scope), ["pc1", "pi1", "pi2"])
        XCTAssertEqual(try Templating.render("{% for h in hostvars %}{{ h }} {% endfor %}", in: scope), "pc1 pi1 pi2 ")
    }

    func testExtractReadsHostvarsOfOtherHosts() throws {
        let probe = HostVarsProbe(["pi1": ["ansible_host": "10.0.0.1"], "pi2": ["ansible_host": "10.0.0.2"], "pc1": [:]])
        let scope = LayeredScope([["managers": ["pi1", "pi2"]]], mappings: ["hostvars": probe.mapping])
        XCTAssertEqual(try Templating.render("{{ managers | map('extract', hostvars, 'ansible_host') | list }}", in: scope),
                       ["10.0.0.1", "10.0.0.2"])
        XCTAssertEqual(probe.builtHosts, ["pi1", "pi2"])
        let e = TemplateFixtures.error {
            try Templating.render("{{ ['pc1'] | map('extract', hostvars, 'ansible_host') | list }}", in: scope)
        }
        XCTAssertEqual(e?.undefinedVariable, "container['pc1']['ansible_host']")
    }

    func testRenderingArgumentTreesDropsOmit() throws {
        let args: Value = ["path": "/etc/{{ item }}", "mode": "{{ mode | default(omit) }}", "count": "{{ count }}",
                           "list": ["{{ item }}", "{{ omit }}"], "{{ item }}_key": 1]
        let rendered = try Templating.render(args, in: TemplateFixtures.scope)
        XCTAssertEqual(rendered, ["path": "/etc/pc1", "count": 3, "list": ["pc1"], "pc1_key": 1])
    }

    func testCacheParsesOnceAndIsSafeFromManyThreads() throws {
        let sources = (0..<8).map { "{{ n * \($0) }}-{% for i in range(3) %}{{ i }}{% endfor %}" }
        let failures = NSLock()
        var errors: [String] = []
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let source = sources[i % sources.count]
            do {
                let out = try Template.compile(source).render(in: LayeredScope([["n": .int(i)]]))
                let expected = "\(i * (i % sources.count))-012"
                if out != .string(expected) { failures.withLock { errors.append("\(source): \(out) != \(expected)") } }
                _ = try Templating.evaluateCondition("n >= 0 and n is number", in: LayeredScope([["n": .int(i)]]))
            } catch {
                failures.withLock { errors.append("\(error)") }
            }
        }
        XCTAssertEqual(errors, [])

        let cache = TemplateCache(limit: 3)
        _ = try cache.template("{{ a }}")
        _ = try cache.template("{{ a }}")
        _ = try cache.expression("a == 1")
        XCTAssertEqual(cache.count, 2)
        for i in 0..<5 { _ = try cache.template("{{ b\(i) }}") }
        XCTAssertLessThanOrEqual(cache.count, 4)
        for _ in 0..<2 {
            XCTAssertThrowsError(try cache.expression("a ==")) { e in
                XCTAssertEqual((e as? TemplateError)?.kind, .syntax)
            }
        }
    }
}
