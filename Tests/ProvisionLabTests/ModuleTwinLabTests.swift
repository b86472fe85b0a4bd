import Foundation
import XCTest
@testable import ProvisionCore

/// Differential tests of the package and system modules: each case is a short playbook run by
/// ansible-playbook on one twin and by provision on the other, then compared per task
/// (changed / failed / skipped), on probed register values (`probe…` tasks print
/// `{{ r.KEY | to_json }}`) and on the end state (a root shell command on both twins).
///
/// One test method runs every case in order on the same two nodes (the slow package installs
/// run once), so the class takes a few minutes. Needs the lab of `ModuleTwin`.
///
/// Arguments covered, per module (each also: a re-run reports ok, check mode, a bad argument):
///
/// | module     | arguments and behaviours compared                                                      |
/// |------------|----------------------------------------------------------------------------------------|
/// | apt        | name (list), update_cache, cache_valid_time, state present/absent, purge, check mode   |
/// | sysctl     | name, value (bool spelling), sysctl_file, reload (true/false), sysctl_set, state       |
/// |            | absent, ignoreerrors; missing value                                                    |
/// | cron       | name, job, minute, hour, user, special_time, disabled, env, cron_file, state absent,   |
/// |            | diff, register `jobs`/`envs`; special_time with minute fails                           |
/// | modprobe   | fails as Ansible's on a kernel without modules (the lab's); persistent files, params,  |
/// |            | check mode and re-run in SystemModuleTests                                             |
/// | timezone   | name (UTC+0 zones only, see timezoneCases); register `diff`; an unknown zone fails      |
/// | setup      | the facts roles test most, their types; gather_subset `!all`; filter; a bad subset     |
/// | apt_repository | repo (whitespace-normalised), filename, mode, state absent (file deleted), update_cache,|
/// |            | check mode with diff, register repo/state; an invalid line fails                       |
/// | dpkg_selections | name, selection hold/install, check mode; a bad selection fails                    |
/// | debconf    | name/pkg, question/setting, vtype select, value/answer, check mode, current/previous   |
/// | service_facts | ssh/cron systemd entries, cron sysv entry, a template unit, a stopped sysv script   |
/// | package_facts | name, version, arch, category, source of one package; presence tests               |
/// | alternatives | name, link, path, priority, state present/selected/auto/absent, check mode, msg      |
/// | locale_gen | name, state present/absent; a locale not in /etc/locale.gen fails                      |
/// | apt_key    | data, file, keyring, id (long, 16-digit, short, 0x), state absent, check mode,         |
/// |            | register id/fp/short_id/key_id/before/after; an invalid id fails                       |
/// | pip        | name, version, state present/latest/absent, virtualenv (created), virtualenv_command,  |
/// |            | extra_args (local wheels), check mode against pip list, register cmd/name/…; name with |
/// |            | requirements fails                                                                     |
/// | systemd / systemd_service / service | name (+.service), state started/stopped/restarted/reloaded, enabled, |
/// |            | masked, daemon_reload, check mode, register name/state/enabled/status; missing unit    |
final class ModuleTwinLabTests: XCTestCase {
    struct Case {
        var name: String
        var tasks: String
        var check = false
        var diff = false
        /// A root shell command whose output must be the same on both twins afterwards.
        var state: String?
        /// The playbook has one task whose arguments are wrong: Ansible fails the task,
        /// provision refuses the playbook before it runs (or fails the task).
        var badArgument = false
    }

    func testModulesMatchAnsible() throws {
        let twin = try ModuleTwin()
        // /proc/sys is read-only in a container: make the node's own network namespace's
        // values writable (only net.* keys are used, which belong to the node). Both twins
        // start from fresh package lists (the Ansible twin's came with its python3).
        _ = try twin.both("""
            mount -o remount,rw /proc/sys; sysctl -q -w net.ipv4.ip_forward=0
            rm -f /etc/sysctl.d/6?-twin.conf /etc/cron.d/twin*
            apt-get -q update >/dev/null 2>&1
            """)
        var failures: [String] = []
        // PROVISION_TWIN_ONLY=text runs only the cases whose name contains it (while developing).
        let only = ProcessInfo.processInfo.environment["PROVISION_TWIN_ONLY"]
        for c in Self.cases where only.map({ c.name.contains($0) }) ?? true {
            failures += try compare(c, twin)
        }
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    /// Runs one case on both twins; returns its differences.
    func compare(_ c: Case, _ twin: ModuleTwin) throws -> [String] {
        let a = try twin.runAnsible(c.tasks, check: c.check, diff: c.diff)
        let p = try twin.runProvision(c.tasks, check: c.check, diff: c.diff)
        var diffs: [String] = []
        func note(_ s: String) { diffs.append("[\(c.name)] \(s)") }
        if c.badArgument {
            if !(a.outcomes.first?.failed ?? false) { note("Ansible did not fail the bad argument: \(a.output)") }
            let refused = p.status == 1 && p.outcomes.isEmpty
            if !refused && !(p.outcomes.first?.failed ?? false) { note("provision accepted the bad argument: \(p.output)") }
            return diffs
        }
        if a.outcomes.count != p.outcomes.count {
            note("Ansible ran \(a.outcomes) but provision \(p.outcomes)\n\(p.output)")
        }
        for (x, y) in zip(a.outcomes, p.outcomes) {
            if x.changed != y.changed || x.failed != y.failed || x.skipped != y.skipped {
                note("task '\(x.task)': Ansible \(x), provision \(y)")
            }
            if x.task.hasPrefix("probe"), x.probe != y.probe {
                note("task '\(x.task)': Ansible registered \(x.probe?.jsonString ?? "nil"), provision \(y.probe?.jsonString ?? "nil")")
            }
        }
        if let state = c.state {
            let (sa, sp) = try twin.both(state)
            let norm = { (s: String, n: String) in s.replacingOccurrences(of: n, with: "TWIN") }
            if norm(sa, twin.ansibleNode) != norm(sp, twin.provisionNode) {
                note("end state differs:\n--- Ansible\n\(sa)--- provision\n\(sp)")
            }
        }
        return diffs
    }
}
