import XCTest
@testable import ProvisionCore

/// Expressions as they arrive from real YAML (quoting, escapes, block scalars), rendered the
/// way the executor will: task arguments as a tree, `when` as a condition list.
final class PlaybookExpressionTests: XCTestCase {
    private let playbook = #"""
    - name: swarm
      vars:
        docker_packages: [docker-ce, docker-ce-cli]
        swarm_port: 2377
      tasks:
        - name: install on {{ inventory_hostname }}
          apt:
            name: "{{ docker_packages }}"
            state: present
            cache_valid_time: "{{ 3600 }}"
            force: "{{ force_install | default(omit) }}"
          when:
            - ansible_facts.architecture == 'armv7l'
            - docker_version is not defined
        - name: join
          command: >-
            docker swarm join --token {{ token }}
            {{ hostvars[groups['managers'] | first].ansible_host | default(groups['managers'] | first) }}:{{ swarm_port }}
          when: inventory_hostname in groups['workers'] and not (swarm_info.stdout | default('') | bool)
        - name: strip digits
          debug:
            msg: "{{ 'v20.10' | regex_replace('\\d', '') }}"
            plain: {{ 'x' }}
        - name: config
          copy:
            content: |
              {% for h in groups['managers'] %}
              server {{ h }}:{{ swarm_port }}{{ ';' if not loop.last }}
              {% endfor %}
            dest: /etc/cluster.conf
    """#

    private func tasks() throws -> [Value] {
        let node = try XCTUnwrap(try YAMLFile.parse(playbook, file: "site.yml"))
        let plays = try YAMLFile.value(of: node, file: "site.yml")
        return try XCTUnwrap(plays.listValue?.first?["tasks"]?.listValue)
    }

    private func scope(_ host: String, _ extra: [String: Value] = [:]) -> LayeredScope {
        let hostvars = ClosureMapping(keys: { ["pi1", "pi2", "pc1"] }, member: { name in
            name == "pi1" ? .value(["ansible_host": "10.0.0.1"]) : (["pi2", "pc1"].contains(name) ? .value([:]) : nil)
        })
        return LayeredScope([extra, ["inventory_hostname": .string(host), "token": "SWMTKN-1-abc"],
                             ["docker_packages": ["docker-ce", "docker-ce-cli"], "swarm_port": 2377],
                             ["groups": ["managers": ["pi1", "pi2"], "workers": ["pc1"]],
                              "ansible_facts": ["architecture": "armv7l"]]],
                            mappings: ["hostvars": hostvars])
    }

    func testTaskArgumentsRenderWithNativeTypesAndOmit() throws {
        let t = try tasks()
        let apt = try Templating.render(try XCTUnwrap(t[0]["apt"]), in: scope("pi1"))
        XCTAssertEqual(apt, ["name": ["docker-ce", "docker-ce-cli"], "state": "present", "cache_valid_time": "3600"])  // Ansible 2.14: text
        XCTAssertEqual(try Templating.render(try XCTUnwrap(t[0]["name"]), in: scope("pi1")), "install on pi1")
        XCTAssertEqual(try Templating.render(try XCTUnwrap(t[0]["apt"]), in: scope("pi1", ["force_install": true]))["force"], true)
    }

    func testConditionsFromYAML() throws {
        let t = try tasks()
        XCTAssertTrue(try Templating.evaluateCondition(try XCTUnwrap(t[0]["when"]), in: scope("pi1")))
        XCTAssertFalse(try Templating.evaluateCondition(try XCTUnwrap(t[0]["when"]), in: scope("pi1", ["docker_version": "24.0"])))
        XCTAssertTrue(try Templating.evaluateCondition(try XCTUnwrap(t[1]["when"]), in: scope("pc1")))
        XCTAssertFalse(try Templating.evaluateCondition(try XCTUnwrap(t[1]["when"]), in: scope("pc1", ["swarm_info": ["stdout": "true"]])))
        XCTAssertFalse(try Templating.evaluateCondition(try XCTUnwrap(t[1]["when"]), in: scope("pi1")))
        XCTAssertEqual(try Templating.conditionVariables(try XCTUnwrap(t[0]["when"]), requiredOnly: true), ["ansible_facts"])
    }

    func testFoldedCommandAndBlockTemplate() throws {
        let t = try tasks()
        XCTAssertEqual(try Templating.render(try XCTUnwrap(t[1]["command"]), in: scope("pc1")),
                       "docker swarm join --token SWMTKN-1-abc 10.0.0.1:2377")
        XCTAssertEqual(try Templating.render(try XCTUnwrap(t[2]["debug"]?["msg"]), in: scope("pc1")), "v.")
        XCTAssertEqual(try Templating.render(try XCTUnwrap(t[3]["copy"]?["content"]), in: scope("pc1")),
                       "server pi1:2377;\nserver pi2:2377\n")
    }

    func testAnUnquotedTemplateIsAYAMLMappingNotATemplate() throws {
        // `plain: {{ 'x' }}` is a YAML flow mapping; Ansible users meet the same surprise.
        let t = try tasks()
        XCTAssertNotNil(t[2]["debug"]?["plain"]?.dictValue)
    }

    func testGuardsAgainstHostileInput() {
        let deep = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
        XCTAssertEqual(TemplateFixtures.error { try TemplateExpression(deep) }?.message, "expression nested too deeply")
        let nots = String(repeating: "not ", count: 500) + "x"
        XCTAssertEqual(TemplateFixtures.error { try TemplateExpression(nots) }?.message, "expression nested too deeply")
        let chain = Array(repeating: "1", count: 300).joined(separator: " + ")
        XCTAssertTrue(TemplateFixtures.error { try TemplateExpression(chain) }?.message.contains("expression too complex") ?? false)
        XCTAssertEqual(try TemplateFixtures.eval(Array(repeating: "1", count: 150).joined(separator: " + ")), 150)
        let long = Array(repeating: "[1]", count: 2000).joined(separator: ", ")
        XCTAssertTrue(TemplateFixtures.error { try TemplateExpression(long) }?.message.contains("expression too long") ?? false)
        let blocks = String(repeating: "{% if x %}", count: 200) + String(repeating: "{% endif %}", count: 200)
        XCTAssertEqual(TemplateFixtures.error { try Template(blocks) }?.message, "blocks nested too deeply")
        let big = TemplateFixtures.error { try TemplateFixtures.eval("'ab' * 100000000") }
        XCTAssertTrue(big?.message.contains("repetition would build more than") ?? false)
        let product = TemplateFixtures.error { try TemplateFixtures.eval("range(1000) | product(range(1000), range(1000))") }
        XCTAssertTrue(product?.message.contains("more than 100000 combinations") ?? false)
        let range = TemplateFixtures.error { try TemplateFixtures.eval("range(10000000)") }
        XCTAssertTrue(range?.message.contains("range() of more than") ?? false)
    }
}
