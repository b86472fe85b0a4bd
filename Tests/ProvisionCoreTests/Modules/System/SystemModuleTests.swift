import Foundation
import XCTest
@testable import ProvisionCore

/// The system modules' scripts run for real on this machine, against files in a temporary
/// directory (sysctl with reload off, modprobe with stand-in directories); the pure parts
/// (cron's table edit, value normalisation) on text.
final class SystemModuleTests: ModuleTestCase {
    static let scriptBodies: [(String, String)] = [
        ("sysctl", SysctlModule.body), ("modprobe", ModprobeModule.body), ("timezone", TimezoneModule.body),
        ("locale_gen", LocaleGenModule.body), ("cron_read", CronModule.readBody), ("cron_write", CronModule.writeBody),
        ("apt_repository_read", AptRepositoryModule.readBody), ("apt_repository_write", AptRepositoryModule.writeBody),
        ("dpkg_selections", DpkgSelectionsModule.body), ("service_facts", ServiceFactsModule.script),
        ("debconf_read", DebconfModule.readBody), ("debconf_write", DebconfModule.writeBody),
        ("alternatives", AlternativesModule.body),
        ("mount_read", MountModule.readBody), ("mount_act", MountModule.actBody),
        ("ufw_probe", UfwModule.probeBody), ("ufw_run", UfwModule.runBody),
        ("apt_key_probe", AptKeyModule.functions + "\n" + AptKeyModule.probeBody),
        ("apt_key_change", AptKeyModule.functions + "\n" + AptKeyModule.changeBody),
        ("pip", PipModule.body), ("deb822_repository", Deb822RepositoryModule.body),
    ]

    func testSysctlRewritesTheFileAsAnsibleDoes() throws {
        let f = path("sysctl.conf")
        try write(f, "# comment\n  net.a.b = 1 \nnet.c=2\nnet.a.b=3\n\n")
        let args: [String: Value] = ["name": "net.a.b", "value": "4", "sysctl_file": .string(f), "reload": false]
        let checked = try run("sysctl", args, check: true)
        XCTAssertTrue(checked.changed)
        XCTAssertEqual(read(f), "# comment\n  net.a.b = 1 \nnet.c=2\nnet.a.b=3\n\n")
        XCTAssertTrue(try run("sysctl", args).changed)
        // Lines stripped, the key's first line replaced, its later duplicate dropped.
        XCTAssertEqual(read(f), "# comment\nnet.a.b=4\nnet.c=2\n\n")
        XCTAssertFalse(try run("sysctl", args).changed)
        XCTAssertTrue(try run("sysctl", ["name": "net.c", "state": "absent", "sysctl_file": .string(f), "reload": false]).changed)
        XCTAssertEqual(read(f), "# comment\nnet.a.b=4\n\n")
        XCTAssertTrue(try run("sysctl", ["name": "new.key", "value": true, "sysctl_file": .string(f), "reload": false]).changed)
        XCTAssertEqual(read(f), "# comment\nnet.a.b=4\n\nnew.key=1\n")
    }

    func testSysctlArguments() throws {
        XCTAssertEqual(SysctlModule.normalise("yes"), "1")
        XCTAssertEqual(SysctlModule.normalise(.bool(false)), "0")
        XCTAssertEqual(SysctlModule.normalise(" 4096 87380 "), "4096 87380")
        XCTAssertEqual(SysctlModule.normalise(.int(10)), "10")
        XCTAssertThrowsError(try ModuleRegistry.make(SysctlModule.self, arguments: ["name": "a.b"]))
        XCTAssertThrowsError(try ModuleRegistry.make(SysctlModule.self, arguments: ["name": "a.b", "val": "1", "bogus": "x"]))
        XCTAssertNoThrow(try ModuleRegistry.make(SysctlModule.self, arguments: ["key": "a.b", "state": "absent"]))
    }

    func testModprobePersistentFiles() throws {
        let load = path("modules-load.d"), opts = path("modprobe.d")
        try FileManager.default.createDirectory(atPath: load, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: opts, withIntermediateDirectories: true)
        try write(opts + "/old.conf", "options dummy x=9\nblacklist foo\n")
        // A module that counts as loaded only through modules.builtin is not testable here;
        // state absent with a module that is not loaded leaves modprobe alone.
        func make(_ args: [String: Value]) throws -> ModprobeModule {
            var m = try XCTUnwrap(try ModuleRegistry.make(ModprobeModule.self, arguments: args) as? ModprobeModule)
            m.loadDirectory = load
            m.optionsDirectory = opts
            m.procModules = mods
            m.modulesBuiltin = builtin
            return m
        }
        let mods = path("modules"), builtin = path("modules.builtin")
        try write(builtin, "kernel/fs/ext4/ext4.ko\n")
        // modprobe itself is never run here (nothing to load or unload): a stand-in suffices.
        let bin = path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try write(bin + "/modprobe", "#!/bin/sh\nexit 0\n")
        _ = try sh("chmod +x '\(bin)/modprobe'")
        let env = ["PATH": bin + ":/usr/sbin:/usr/bin:/sbin:/bin"]
        func context(check: Bool = false) -> HostContext { self.context(check: check, environment: env) }
        try write(mods, "twin_fs 16384 0 - Live 0x0000000000000000\n")
        XCTAssertTrue(try make(["name": "twin-fs", "state": "present"]).run(in: context()).changed == false, "twin-fs is loaded (as twin_fs)")
        var m = try make(["name": "dummy", "state": "absent", "persistent": "present", "params": "x=1"])
        XCTAssertTrue(try m.run(in: context(check: true)).changed)
        XCTAssertNil(read(load + "/dummy.conf"), "check mode writes nothing")
        let r = try m.run(in: context())
        XCTAssertFalse(r.failed, r.message ?? "")
        XCTAssertEqual(read(load + "/dummy.conf"), "dummy\n")
        XCTAssertEqual(read(opts + "/dummy.conf"), "options dummy x=1\n")
        XCTAssertEqual(read(opts + "/old.conf"), "#options dummy x=9\nblacklist foo\n")
        XCTAssertFalse(try m.run(in: context()).changed)
        let off = try make(["name": "dummy", "state": "absent", "persistent": "absent"])
        XCTAssertTrue(try off.run(in: context()).changed)
        XCTAssertEqual(read(load + "/dummy.conf"), "#dummy\n")
        XCTAssertEqual(read(opts + "/dummy.conf"), "#options dummy x=1\n")
        XCTAssertFalse(try off.run(in: context()).changed)
        m.procModules = path("absent")
        XCTAssertTrue(try m.run(in: context()).failed, "no /proc/modules: fails as Ansible's does")
        XCTAssertThrowsError(try ModuleRegistry.make(ModprobeModule.self, arguments: ["name": "a;b"]))
    }

    func testCronTableEdits() throws {
        let m = try XCTUnwrap(try ModuleRegistry.make(CronModule.self, arguments: [
            "name": "backup", "job": "/bin/backup", "minute": "5", "hour": "2"]) as? CronModule)
        let header = "# DO NOT EDIT THIS FILE - edit the master and reinstall.\n# (/tmp/crontab.x installed on Thu)\n# (Cron version -- $Id$)\n"
        let first = try m.plan(current: header + "MAILTO=x\n")
        XCTAssertTrue(first.changed)
        XCTAssertEqual(first.after, "MAILTO=x\n#Ansible: backup\n5 2 * * * /bin/backup\n")
        XCTAssertEqual(first.data["jobs"], .list(["backup"]))
        XCTAssertEqual(first.data["envs"], .list(["MAILTO"]))
        XCTAssertFalse(try m.plan(current: first.after).changed)
        // A job line already present without its marker is adopted.
        let adopted = try m.plan(current: "5 2 * * * /bin/backup\n")
        XCTAssertTrue(adopted.changed)
        XCTAssertEqual(adopted.after, "#Ansible: backup\n5 2 * * * /bin/backup\n")
        // A table without its final newline gets one.
        XCTAssertTrue(try m.plan(current: "#Ansible: backup\n5 2 * * * /bin/backup").changed)

        let env = try XCTUnwrap(try ModuleRegistry.make(CronModule.self, arguments: [
            "name": "PATH", "env": true, "job": "/bin", "insertafter": "MAILTO"]) as? CronModule)
        XCTAssertEqual(try env.plan(current: "MAILTO=x\nA=1\n").after, "MAILTO=x\nPATH=\"/bin\"\nA=1\n")
        XCTAssertThrowsError(try env.plan(current: "A=1\n"))

        let file = try XCTUnwrap(try ModuleRegistry.make(CronModule.self, arguments: [
            "name": "d", "cron_file": "twin", "user": "root", "special_time": "daily", "job": "/bin/true", "disabled": true]) as? CronModule)
        XCTAssertEqual(try file.plan(current: nil).after, "#Ansible: d\n#@daily root /bin/true\n")
        let gone = try XCTUnwrap(try ModuleRegistry.make(CronModule.self, arguments: [
            "name": "d", "cron_file": "twin", "state": "absent"]) as? CronModule)
        XCTAssertTrue(try gone.plan(current: "#Ansible: d\n@daily root /bin/true\n").removeFile)

        XCTAssertThrowsError(try ModuleRegistry.make(CronModule.self, arguments: ["name": "x", "job": "y", "special_time": "daily", "hour": "1"]))
        XCTAssertThrowsError(try ModuleRegistry.make(CronModule.self, arguments: ["name": "x", "job": "y", "cron_file": "f"]))
        XCTAssertThrowsError(try ModuleRegistry.make(CronModule.self, arguments: ["name": "x", "job": "y", "user": "a b"]))
    }

    func testTimezoneAndLocaleArguments() {
        XCTAssertThrowsError(try ModuleRegistry.make(TimezoneModule.self, arguments: [:]))
        XCTAssertThrowsError(try ModuleRegistry.make(TimezoneModule.self, arguments: ["name": "../etc/passwd"]))
        XCTAssertNoThrow(try ModuleRegistry.make(TimezoneModule.self, arguments: ["name": "America/Argentina/Buenos_Aires", "rtc": "UTC"]))
        XCTAssertThrowsError(try ModuleRegistry.make(LocaleGenModule.self, arguments: ["name": "en_US.UTF-8; reboot"]))
        XCTAssertNoThrow(try ModuleRegistry.make(LocaleGenModule.self, arguments: ["name": "sr_RS.UTF-8@latin"]))
    }
}

/// apt_repository's edit of the source lists, on text.
final class AptSourcesEditTests: XCTestCase {
    func testFileNamesFollowAnsible() {
        XCTAssertEqual(AptSourcesEdit.suggestedFilename("deb http://dl.google.com/linux/chrome/deb/ stable main", filename: nil),
                       "dl_google_com_linux_chrome_deb.list")
        XCTAssertEqual(AptSourcesEdit.suggestedFilename("deb [arch=amd64 signed-by=/k.gpg] https://u:p@download.docker.com/linux/debian bookworm stable", filename: nil),
                       "download_docker_com_linux_debian.list")
        XCTAssertEqual(AptSourcesEdit.suggestedFilename("deb http://x/ y z", filename: "docker"), "docker.list")
    }

    func testAddReenablesRemoveTakesEveryEnabledCopy() {
        var e = AptSourcesEdit(files: [("/etc/apt/sources.list", "deb http://a/debian bookworm main\n# deb   http://b/debian bookworm main # old\n\n")])
        let before = e.dump
        e.add("deb http://b/debian bookworm main", file: "/etc/apt/sources.list.d/b_debian.list")
        XCTAssertEqual(e.dump["/etc/apt/sources.list"], "deb http://a/debian bookworm main\ndeb http://b/debian bookworm main # old\n\n")
        XCTAssertNil(e.dump["/etc/apt/sources.list.d/b_debian.list"])
        e.add("deb http://c/debian bookworm main", file: "/etc/apt/sources.list.d/c_debian.list")
        XCTAssertEqual(e.dump["/etc/apt/sources.list.d/c_debian.list"], "deb http://c/debian bookworm main\n")
        e.remove("deb http://c/debian bookworm main")
        XCTAssertNil(e.dump["/etc/apt/sources.list.d/c_debian.list"])
        XCTAssertNotEqual(before, e.dump)
        XCTAssertNil(AptSourcesEdit.normalised("# deb http://x y z"))
        XCTAssertEqual(AptSourcesEdit.normalised(" deb   http://x  y z "), "deb http://x y z")
    }

    func testServiceFactsParsing() {
        let out = """
        @@ sysv
         [ + ]  cron
         [ - ]  procps
        @@ units
          UNIT                 LOAD      ACTIVE   SUB     DESCRIPTION
          cron.service         loaded    active   running Regular background program processing daemon
        ● foo.service          not-found inactive dead    foo.service
          ssh.service          loaded    active   running OpenBSD Secure Shell server
        @@ files
        UNIT FILE            STATE           VENDOR PRESET
        cron.service         enabled         enabled
        getty@.service       enabled         enabled
        ssh.service          enabled         enabled
        @@ states
        getty@.service inactive
        """
        let s = ServiceFactsParser.parse(out)
        XCTAssertEqual(s["cron"], .dict(["name": "cron", "state": "running", "source": "sysv"]))
        XCTAssertEqual(s["cron.service"], .dict(["name": "cron.service", "state": "running", "status": "enabled", "source": "systemd"]))
        XCTAssertEqual(s["foo.service"]?["status"], "not-found")
        XCTAssertEqual(s["getty@.service"], .dict(["name": "getty@.service", "state": "inactive", "status": "enabled", "source": "systemd"]))
        XCTAssertEqual(s["procps"]?["state"], "stopped")
    }
}
