import XCTest
@testable import ProvisionCore

final class VariableReferencesTests: XCTestCase {
    func testTemplatesListWhatTheyRead() throws {
        let cases: [(String, Set<String>, Set<String>)] = [
            ("{{ a }} {{ b.c | default(d) }}", ["a", "b", "d"], ["a", "d"]),
            ("{% for x in xs %}{{ x }}{{ loop.index }}{{ y }}{% endfor %}", ["xs", "y"], ["xs"]),
            ("{% set z = w %}{{ z }}", ["w"], ["w"]),
            ("{{ z }}{% set z = 1 %}", ["z"], ["z"]),
            ("{% if c %}{{ t }}{% elif c2 %}{{ t2 }}{% else %}{{ e }}{% endif %}", ["c", "c2", "t", "t2", "e"], ["c"]),
            ("{% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}{{ k }}", ["d", "k"], ["d", "k"]),
            ("{% for x in xs if x.ok and flag %}{% else %}{{ none_left }}{% endfor %}", ["xs", "flag", "none_left"], ["xs"]),
            ("{{ range(n) | list }}{{ lookup('env', 'HOME') }}{{ omit }}", ["n"], ["n"]),
            ("{{ hostvars[item].ansible_host | default(item) }}", ["hostvars", "item"], ["item"]),
            ("{{ groups['managers'] | first }}", ["groups"], ["groups"]),
            ("{{ x.split(sep) }}", ["x", "sep"], ["x", "sep"]),
            ("{{ users | selectattr('admin') | map(attribute='name') | list }}", ["users"], ["users"]),
            ("no templates", [], []),
            ("{% raw %}{{ hidden }}{% endraw %}", [], []),
        ]
        for (text, all, required) in cases {
            let t = try Template(text)
            XCTAssertEqual(t.referencedVariables, all, text)
            XCTAssertEqual(t.requiredVariables, required, text)
        }
    }

    func testConditionsListWhatTheyRead() throws {
        let cases: [(String, Set<String>, Set<String>)] = [
            ("ansible_facts.architecture == 'armv7l' and docker_version is not defined",
             ["ansible_facts", "docker_version"], ["ansible_facts"]),
            ("x is defined and x.foo == y", ["x", "y"], []),
            ("a or b", ["a", "b"], ["a"]),
            ("p if q else r", ["p", "q", "r"], ["q"]),
            ("result.rc != 0 and 'already' not in result.stderr", ["result"], ["result"]),
            ("v | default(w) > 1", ["v", "w"], ["w"]),
        ]
        for (text, all, required) in cases {
            XCTAssertEqual(try Templating.conditionVariables(.string(text)), all, text)
            XCTAssertEqual(try Templating.conditionVariables(.string(text), requiredOnly: true), required, text)
        }
        XCTAssertEqual(try Templating.conditionVariables(["a", "b is defined", true]), ["a", "b"])
        XCTAssertEqual(try Templating.conditionVariables(.string("{{ a }} == 1")), ["a"])
    }

    func testValueTreesListWhatTheirStringsRead() throws {
        let args: Value = ["name": "{{ pkg }}", "state": "present", "opts": ["{{ a }}", 3], "{{ key }}": "v"]
        XCTAssertEqual(try Templating.referencedVariables(in: args), ["pkg", "a", "key"])
    }
}
