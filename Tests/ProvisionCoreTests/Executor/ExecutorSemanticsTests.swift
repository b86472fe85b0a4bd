import Foundation
import XCTest
@testable import ProvisionCore

/// Variables, conditions, loops, blocks, handlers and batches, checked on real local runs.
final class ExecutorSemanticsTests: XCTestCase {
    func testVariablePrecedenceFromInventoryToExtraVars() throws {
        let h = try RunHarness(hosts: ["v1"], hostVars: ["v1": "a: inventory\nb: inventory\nc: inventory\nd: inventory\ne: inventory\nf: inventory"])
        try h.write("vars.yml", "c: vars_file\nd: vars_file\ne: vars_file\nf: vars_file\n")
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          vars:
            b: play
            c: play
            d: play
            e: play
            f: play
            nested: "{{ b }}-{{ c }}"
          vars_files: [vars.yml]
          tasks:
            - set_fact:
                e: set_fact
                f: set_fact
            - name: show
              copy:
                dest: "{{ state }}/vars"
                content: "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }} {{ f }} {{ nested }} {{ g }} {{ vars['b'] }}"
              vars:
                d: task
                e: task
                g: task
        """)
        let r = try h.run("site.yml", options: RunOptions(extraVars: ["f": "extra"]))
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("v1", "vars"), "inventory play vars_file task set_fact extra play-vars_file task play")
    }

    func testTemplatedHostsAndPlayLevelEnvironmentAndIgnoreErrors() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: "{{ target | default('all') }}"
          gather_facts: false
          environment:
            GREETING: "hi {{ inventory_hostname }}"
          ignore_errors: true
          tasks:
            - command: /bin/false
            - shell: echo "$GREETING" > {{ state }}/env
        """)
        let r = try h.run("site.yml", options: RunOptions(extraVars: ["target": "red02"]))
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("red02", "env"), "hi red02\n")
        XCTAssertNil(h.read("red01", "env"), "the extra var chose the hosts")
        XCTAssertEqual(r.recap("red02")?.ignored, 1)
    }

    func testWhenLoopRegisterAndMagicVariables() throws {
        let h = try RunHarness(groups: "  children:\n    odd:\n      hosts:\n        red01:\n        red03:\n")
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: items
              shell: echo {{ item.n }} >> {{ state }}/items
              loop:
                - {n: 1, enabled: true}
                - {n: 2, enabled: false}
                - {n: 3, enabled: true}
              when: item.enabled
              register: res
            - name: odd only
              copy: dest={{ state }}/odd content={{ group_names | join(',') }}
              when: "'odd' in group_names"
            - name: group names as Ansible gives them
              copy: dest={{ state }}/names content="{{ group_names | join(',') }}"
            - name: summary
              copy:
                dest: "{{ state }}/summary"
                content: "{{ res.results | map(attribute='skipped', default=false) | list }} {{ groups['odd'] | join(',') }} {{ ansible_play_hosts | length }} {{ hostvars['red02'].state | basename }}"
            - name: with_items flattens
              shell: echo {{ x }}-{{ i }} >> {{ state }}/flat
              with_items: [[a, b], c]
              loop_control: {loop_var: x, index_var: i}
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("red02", "items"), "1\n3\n")
        XCTAssertEqual(r.results("items")["red01"]?.items.map(\.status), [.changed, .skipped, .changed])
        XCTAssertEqual(h.read("red01", "odd"), "odd")
        XCTAssertNil(h.read("red02", "odd"))
        XCTAssertEqual(h.read("red02", "names"), "ungrouped")
        XCTAssertEqual(r.status("odd only")["red02"], .skipped)
        XCTAssertEqual(h.read("red01", "summary"), "[False, True, False] red01,red03 3 red02")  // Python repr, as Ansible
        XCTAssertEqual(h.read("red03", "flat"), "a-0\nb-1\nc-2\n")
    }

    func testBlockRescueAlways() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - block:
                - name: risky
                  command: /bin/false
                  when: inventory_hostname != 'red01'
                - name: after risky
                  copy: dest={{ state }}/after content=x
              rescue:
                - name: rescue it
                  copy: dest={{ state }}/rescued content=x
                - name: rescue fails on red03
                  fail: msg="no way"
                  when: inventory_hostname == 'red03'
              always:
                - name: always
                  copy: dest={{ state }}/always content=x
            - name: next
              copy: dest={{ state }}/next content=x
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2)
        XCTAssertEqual(h.read("red01", "after"), "x")
        XCTAssertNil(h.read("red01", "rescued"))
        XCTAssertNil(h.read("red02", "after"))
        XCTAssertEqual(h.read("red02", "rescued"), "x")
        for host in h.hosts { XCTAssertEqual(h.read(host, "always"), "x", host) }
        XCTAssertEqual(h.read("red02", "next"), "x", "a rescued host goes on")
        XCTAssertNil(h.read("red03", "next"), "a host whose rescue failed stops")
        XCTAssertEqual(r.recap("red02")?.rescued, 1)
        XCTAssertEqual(r.recap("red02")?.failed, 0)
        XCTAssertEqual(r.recap("red03")?.failed, 1, r.console)
        XCTAssertEqual(r.recap("red03")?.rescued, 1, "counted as Ansible does")
        XCTAssertEqual(r.recap("red01")?.rescued, 0)
        XCTAssertEqual(r.recap.failedHosts, ["red03"])
    }

    func testHandlersRunInDefinitionOrderForNotifyingHostsWithListenAndFlush() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: change on red01 and red02
              copy: dest={{ state }}/c content=x
              when: inventory_hostname != 'red03'
              notify: [second, topic]
            - name: no change
              command: "true"
              changed_when: false
              notify: first
            - meta: flush_handlers
            - name: after flush
              shell: echo after >> {{ state }}/log
            - name: change again
              copy: dest={{ state }}/d content=y
              notify: second
          handlers:
            - name: first
              shell: echo first >> {{ state }}/log
            - name: second
              shell: echo second >> {{ state }}/log
            - name: third
              shell: echo third >> {{ state }}/log
              listen: topic
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("red01", "log"), "second\nthird\nafter\nsecond\n")
        XCTAssertEqual(h.read("red03", "log"), "after\nsecond\n")
        XCTAssertEqual(r.taskOrder.filter { $0 == "first" }.count, 0, "an unchanged task notifies nothing")
    }

    func testSerialBatchesFinishOneBeforeTheNextStarts() throws {
        let h = try RunHarness(hosts: ["s1", "s2", "s3", "s4", "s5"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          serial: [1, "50%"]
          tasks:
            - name: one
              shell: echo {{ ansible_play_batch | join(',') }} > {{ state }}/batch
            - name: two
              command: "true"
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        var batches: [[String]] = []
        for e in r.events { if case .taskStarted(let i) = e, i.name == "one" { batches.append(i.hosts) } }
        XCTAssertEqual(batches, [["s1"], ["s2", "s3"], ["s4", "s5"]])
        XCTAssertEqual(r.taskOrder, ["one", "two", "one", "two", "one", "two"])
        XCTAssertEqual(h.read("s3", "batch"), "s2,s3\n")

        try h.write("failing.yml", """
        - hosts: all
          gather_facts: false
          serial: 2
          tasks:
            - command: /bin/false
        """)
        let f = try h.run("failing.yml")
        XCTAssertEqual(f.recap.exitCode, 2)
        XCTAssertEqual(f.recap.hosts.map(\.name), ["s1", "s2"], "a batch where every host failed ends the play")
    }

    func testMaxFailPercentageAndAnyErrorsFatalStopThePlay() throws {
        let h = try RunHarness(hosts: ["m1", "m2", "m3", "m4"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          max_fail_percentage: 30
          tasks:
            - name: fail two
              command: /bin/false
              when: inventory_hostname in ['m1', 'm2']
            - name: not reached
              copy: dest={{ state }}/x content=x
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 2)
        for host in h.hosts { XCTAssertNil(h.read(host, "x"), "play went on past max_fail_percentage on \(host)") }

        try h.write("fatal.yml", """
        - hosts: all
          gather_facts: false
          any_errors_fatal: true
          tasks:
            - command: /bin/false
              when: inventory_hostname == 'm4'
            - copy: dest={{ state }}/y content=x
        """)
        let f = try h.run("fatal.yml")
        XCTAssertEqual(f.recap.exitCode, 2)
        for host in h.hosts { XCTAssertNil(h.read(host, "y")) }
    }

    func testRetriesUntilSucceedsOnTheThirdAttempt() throws {
        let h = try RunHarness(hosts: ["r1"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: flaky
              shell: echo x >> {{ state }}/tries; test $(wc -l < {{ state }}/tries) -ge 3
              register: out
              until: out.rc == 0
              retries: 5
              delay: 1
            - name: never
              command: /bin/false
              register: never
              until: never.rc == 0
              retries: 2
              delay: 0
              ignore_errors: true
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("r1", "tries"), "x\nx\nx\n")
        XCTAssertEqual(r.status("flaky")["r1"], .changed)
        XCTAssertEqual(r.results("never")["r1"]?.ignored, true)
        XCTAssertTrue(r.results("never")["r1"]?.message?.contains("after 3 attempts") ?? false,
                      "retries: 2 is three attempts, as in ansible-core 2.14")
        XCTAssertEqual(r.recap("r1")?.ignored, 1)
    }

    func testDelegateToRunsWithTheOriginalHostsVariables() throws {
        let h = try RunHarness()
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: on the first host
              copy:
                dest: "{{ hostvars['red01'].state }}/from-{{ inventory_hostname }}"
                content: "{{ state }}"
              delegate_to: red01
        """)
        let r = try h.run("site.yml", limit: ["red02", "red03"])
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(h.read("red01", "from-red02"), h.state("red02"))
        XCTAssertEqual(h.read("red01", "from-red03"), h.state("red03"))
        XCTAssertEqual(r.results("on the first host")["red02"]?.delegatedTo, "red01")
        XCTAssertNil(r.recap("red01"), "the delegate is not a host of the play")
        XCTAssertEqual(r.connected.filter { $0 == "red01" }.count, 1, "the delegate's own session was opened once: \(r.connected)")
    }

    func testRunOnceRunsOnTheFirstHostAndAppliesTheResultToAll() throws {
        let h = try RunHarness()
        let shared = h.dir + "/shared"
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: once
              shell: echo {{ inventory_hostname }} >> \(shared); echo token-42
              register: once
              run_once: true
            - name: everyone sees it
              copy: dest={{ state }}/token content={{ once.stdout }}
        """)
        let r = try h.run("site.yml")
        XCTAssertEqual(r.recap.exitCode, 0, r.console)
        XCTAssertEqual(try String(contentsOfFile: shared, encoding: .utf8), "red01\n")
        for host in h.hosts { XCTAssertEqual(h.read(host, "token"), "token-42") }
    }

    func testTagsSkipTagsAndStartAtTask() throws {
        let h = try RunHarness(hosts: ["t1"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: a
              shell: echo a >> {{ state }}/log
              tags: [web]
            - name: b
              shell: echo b >> {{ state }}/log
              tags: [db]
            - name: c
              shell: echo c >> {{ state }}/log
              tags: [always]
            - name: d
              shell: echo d >> {{ state }}/log
            - name: e
              shell: echo e >> {{ state }}/log
              tags: [never, debug]
        """)
        _ = try h.run("site.yml", options: RunOptions(tags: ["web"]))
        XCTAssertEqual(h.read("t1", "log"), "a\nc\n")
        try FileManager.default.removeItem(atPath: h.state("t1") + "/log")
        _ = try h.run("site.yml", options: RunOptions(skipTags: ["db"]))
        XCTAssertEqual(h.read("t1", "log"), "a\nc\nd\n")
        try FileManager.default.removeItem(atPath: h.state("t1") + "/log")
        _ = try h.run("site.yml", options: RunOptions(startAtTask: "c"))
        XCTAssertEqual(h.read("t1", "log"), "c\nd\n")
        try FileManager.default.removeItem(atPath: h.state("t1") + "/log")
        _ = try h.run("site.yml", options: RunOptions(tags: ["debug"]))
        XCTAssertEqual(h.read("t1", "log"), "c\ne\n")
    }

    func testNoLogAndSecretsAppearNowhereAtHighVerbosity() throws {
        let secret = "s3cr3t-Planted-Value"
        let h = try RunHarness(hosts: ["n1", "n2"], hostVars: ["n1": "db_password: \(secret)", "n2": "db_password: \(secret)"])
        try h.write("site.yml", """
        - hosts: all
          gather_facts: false
          tasks:
            - name: secret task
              shell: echo {{ db_password }} > {{ state }}/pw; echo {{ db_password }}; echo {{ db_password }} >&2; exit 1
              no_log: true
              ignore_errors: true
            - name: looped secret
              shell: echo {{ item }}
              loop: ["{{ db_password }}"]
              no_log: true
            - name: careless debug
              debug: msg="the password is {{ db_password }}"
            - name: a join token
              shell: echo SWMTKN-1-planted-token
              register: join_token
            - name: show the token
              debug: msg="token {{ join_token.stdout }}"
            - set_fact:
                api_secret: "fact-{{ join_token.stdout }}"
            - debug: var=api_secret
        """)
        var opts = RunOptions()
        opts.becomeByHost = ["n1": Become(user: "root", password: Secret("become-Pass-123"))]
        let r = try h.run("site.yml", options: opts, verbosity: 3)
        XCTAssertEqual(h.read("n1", "pw"), secret + "\n", "the task really ran")
        for text in [r.console, r.json] {
            XCTAssertFalse(text.contains(secret), text)
            XCTAssertFalse(text.contains("become-Pass-123"), text)
            XCTAssertFalse(text.contains("SWMTKN-1-planted-token"), "a secret-named registered result leaked: \(text)")
        }
        XCTAssertTrue(r.console.contains(TaskHostResult.hidden), r.console)
        XCTAssertTrue(r.json.contains(TaskHostResult.hidden), r.json)
        XCTAssertTrue(r.console.contains("the password is ********"), r.console)
        XCTAssertTrue(r.console.contains("token ********"), r.console)
    }
}
