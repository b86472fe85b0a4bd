import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// Differential module tests: each case runs through ansible-playbook (reference, twin A)
/// and provision over loopback SSH (twin B); per task `changed`/`failed` and the registered
/// keys playbooks read are compared, then the two twin trees (paths, kinds, modes, contents).
///
/// Arguments covered, per module:
///
/// | module       | arguments exercised here                                                        |
/// |--------------|---------------------------------------------------------------------------------|
/// | slurp        | src (present, missing)                                                          |
/// | fetch        | src, dest (HOST/path layout), flat (dest/ and file), fail_on_missing, re-run     |
/// | find         | paths, patterns, excludes, use_regex, file_type, recurse, hidden, depth, size,   |
/// |              | contains, get_checksum                                                           |
/// | tempfile     | state file/directory, path, prefix, suffix                                       |
/// | ini_file     | section, option, value, values, state, exclusive, no_extra_spaces,               |
/// |              | allow_no_value, create, mode, check mode, re-run                                 |
/// | getent       | database, key, split (default), fail_key                                        |
/// | file         | state=touch with modification_time/access_time fixed, preserve, _format          |
/// | template     | src looked up in the playbook's templates/ dir; copy src in files/               |
/// | wait_for     | path + search_regex with \d                                                       |
/// | copy         | content, force=false, validate, directory src + directory_mode, dir/, remote_src,|
/// |              | missing parent; template newline_sequence, validate                             |
/// | template     | trim_blocks, lstrip_blocks, both with and without the file's own #jinja2: line  |
/// | unarchive    | controller/remote src, tar.gz/bz2/zip, creates, exclude, mode, missing dest      |
/// | git          | repo, dest, version, update, force, depth, clone, check mode                     |
/// | user         | expires, password hash, update_password, generate_ssh_key (type, comment, file)  |
/// | synchronize  | src (dir/ and dir), dest, delete, checksum, check mode, mode=pull, rsync_opts    |
/// | script       | path + args, creates                                                             |
/// | assemble     | src, dest, mode, regexp, delimiter                                               |
/// | known_hosts  | name, key, path, state, replace, absent with/without key                         |
/// | uri          | url, status_code, return_content, dest, body_format json, method, headers       |
final class ModuleTwinTests: XCTestCase {
    var runner: AnsiblePlaybookRunner!

    override func setUpWithError() throws { runner = try AnsiblePlaybookRunner.make() }
    override func tearDown() { runner?.remove() }

    /// The value at a dotted path; `name[]` maps over a list.
    func pick(_ v: Value?, _ path: String) -> Value {
        guard var cur = v else { return .null }
        let parts = path.split(separator: ".").map(String.init)
        for (i, p) in parts.enumerated() {
            if p.hasSuffix("[]") {
                guard case .dict(let d) = cur, case .list(let items)? = d[String(p.dropLast(2))] else { return .null }
                let rest = parts[(i + 1)...].joined(separator: ".")
                return .list(items.map { rest.isEmpty ? $0 : pick($0, rest) })
            }
            guard case .dict(let d) = cur, let next = d[p] else { return .null }
            cur = next
        }
        return cur
    }

    /// Compares `changed`/`failed` of every task and `keys` (per task number) of both runs.
    func compare(_ run: TwinRun, keys: [Int: [String]] = [:], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(run.ansible.keys), Set(run.provision.keys), "registered tasks", file: file, line: line)
        for (task, a) in run.ansible.sorted(by: { $0.key < $1.key }) {
            let p = run.provision[task]
            for k in ["changed", "failed", "skipped"] {
                let av = pick(a, k), pv = pick(p, k)
                // An absent `failed`/`skipped` means false.
                XCTAssertEqual(av.isNull ? .bool(false) : av, pv.isNull ? .bool(false) : pv,
                               "\(task).\(k): ansible \(a.jsonString)\nprovision \(p?.jsonString ?? "nil")", file: file, line: line)
            }
            for k in keys[Int(task.dropFirst()) ?? 0] ?? [] {
                XCTAssertEqual(pick(a, k), pick(p, k), "\(task).\(k)", file: file, line: line)
            }
        }
    }

    /// Every path under a twin, with kind, mode and content (or link target); twin paths are
    /// written as BASE.
    func tree(_ dir: String) -> [String: String] {
        var out: [String: String] = [:]
        guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
        while let rel = e.nextObject() as? String {
            let full = dir + "/" + rel
            let key = rel.replacingOccurrences(of: String(dir.dropFirst()), with: "BASE")
            guard let attrs = try? FileManager.default.attributesOfItem(atPath: full) else { continue }
            let mode = String((attrs[.posixPermissions] as? NSNumber)?.intValue ?? 0, radix: 8)
            switch attrs[.type] as? FileAttributeType {
            case .typeDirectory?: out[key] = "dir \(mode)"
            case .typeSymbolicLink?: out[key] = "link " + ((try? FileManager.default.destinationOfSymbolicLink(atPath: full)) ?? "")
            default:
                let text = (try? String(contentsOfFile: full, encoding: .utf8)) ?? "<binary>"
                out[key] = "file \(mode) " + text.replacingOccurrences(of: dir, with: "BASE")
            }
        }
        return out
    }

    func compareTrees(_ run: TwinRun, skipping skip: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let a = tree(run.ansibleDir), b = tree(run.provisionDir)
        for k in Set(a.keys).union(b.keys).sorted() where a[k] != b[k] && !(skip.map { k.contains($0) } ?? false) {
            XCTFail("\(k): ansible \(a[k] ?? "missing") / provision \(b[k] ?? "missing")", file: file, line: line)
        }
    }

    func write(_ path: String, _ text: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode_t(mode))
    }

    func testSlurpAndFetch() throws {
        let run = try runner.run("fetch", tasks: [
            "slurp: src={{ base }}/data.txt",
            "slurp: src={{ base }}/missing.txt",
            "fetch: src={{ base }}/data.txt dest={{ base }}/fetched",
            "fetch: src={{ base }}/data.txt dest={{ base }}/fetched",
            "fetch: src={{ base }}/data.txt dest={{ base }}/flat/ flat=true",
            "fetch: src={{ base }}/data.txt dest={{ base }}/flat/renamed.txt flat=yes",
            "fetch: src={{ base }}/nope dest={{ base }}/fetched fail_on_missing=false",
            "fetch: src={{ base }}/nope dest={{ base }}/fetched",
            "fetch: src={{ base }}/sub dest={{ base }}/fetched",
        ]) { dir in
            try write(dir + "/data.txt", "line one\nline two é\n")
            try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        }
        compare(run, keys: [1: ["content", "encoding", "source"], 2: ["msg"], 3: ["dest", "checksum", "md5sum"],
                            4: ["dest", "checksum"], 5: ["dest"], 6: ["dest"], 7: ["msg"], 8: ["msg"], 9: ["msg"]])
        compareTrees(run)
    }

    func testFind() throws {
        let run = try runner.run("find", tasks: [
            "find: paths={{ base }}/t patterns=*.conf",
            "find: paths={{ base }}/t patterns=*.conf recurse=true hidden=true",
            "find:\n  paths: ['{{ base }}/t', '{{ base }}/none']\n  patterns: ['^a.*', '.*\\.log$']\n  use_regex: true\n  recurse: true",
            "find: paths={{ base }}/t recurse=true excludes=b* file_type=any",
            "find: paths={{ base }}/t recurse=true file_type=directory depth=1",
            "find: paths={{ base }}/t recurse=true size=10 get_checksum=true",
            "find:\n  paths: '{{ base }}/t'\n  recurse: true\n  contains: 'port=\\d+'",
            "find: paths={{ base }}/t recurse=true file_type=link",
        ]) { dir in
            try write(dir + "/t/a.conf", "port=80\n")
            try write(dir + "/t/b.conf", "x\n")
            try write(dir + "/t/.hidden.conf", "h\n")
            try write(dir + "/t/sub/c.conf", "name: c port=1\n")
            try write(dir + "/t/sub/app.log", "long enough line\n")
            try write(dir + "/t/sub/deep/d.conf", "port=443 here\n")
            try write(dir + "/t/.git/config", "port=9\n")
            try FileManager.default.createSymbolicLink(atPath: dir + "/t/link", withDestinationPath: "a.conf")
        }
        let keys = ["files[].path", "matched", "examined", "files[].mode", "files[].size", "files[].isreg"]
        compare(run, keys: [1: keys, 2: keys, 3: keys + ["skipped_paths", "msg"], 4: keys, 5: keys,
                            6: keys + ["files[].checksum"], 7: keys, 8: keys + ["files[].islnk"]])
    }

    func testIniFile() throws {
        let run = try runner.run("ini", tasks: [
            "ini_file: path={{ base }}/new.ini section=main option=a value=1 mode=0600",
            "ini_file: path={{ base }}/new.ini section=main option=a value=1 mode=0600",
            "ini_file: path={{ base }}/new.ini section=main option=a value=2 no_extra_spaces=true",
            "ini_file: path={{ base }}/app.ini section=db option=host value=db1",
            "ini_file: path={{ base }}/app.ini section=db option=port value=5432\ncheck_mode: true",
            "ini_file:\n  path: '{{ base }}/app.ini'\n  section: multi\n  option: v\n  values: [x, y]\n  exclusive: false",
            "ini_file: path={{ base }}/app.ini section=db option=user state=absent",
            "ini_file: path={{ base }}/app.ini section=old state=absent",
            "ini_file: path={{ base }}/app.ini section=flags option=skip-networking allow_no_value=true",
            "ini_file: path={{ base }}/app.ini option=top value=1",
            "ini_file: path={{ base }}/missing.ini section=s option=o value=v create=false",
            "ini_file: path={{ base }}/app.ini section=db option=host",
        ]) { dir in
            try write(dir + "/app.ini", "top=0\n[db]\nhost = db0\n# user = x\nuser=me\n\n[old]\nk=v\n[multi]\nv = x\nv = z")
        }
        compare(run, keys: [1: ["msg"], 3: ["msg"], 4: ["msg"], 5: ["msg"], 6: ["msg"], 7: ["msg"], 8: ["msg"],
                            9: ["msg"], 10: ["msg"], 12: ["msg"]])
        compareTrees(run)
    }

    func testGetentTempfileAndTouchTimes() throws {
        let run = try runner.run("misc", tasks: [
            "getent: database=passwd key=root",
            "getent: database=group key=no-such-group-x fail_key=false",
            "getent: database=passwd key=no-such-user-x",
            "getent: database=services key=ssh",
            "tempfile: path={{ base }} prefix=pre. suffix=.txt",
            "tempfile: state=directory path={{ base }}",
            "file: path={{ base }}/stamp state=touch modification_time=202001021304.05 access_time=202001021304.05",
            "file: path={{ base }}/stamp state=touch modification_time=202001021304.05 access_time=202001021304.05",
            "file: path={{ base }}/stamp state=touch modification_time=preserve access_time=preserve",
            "file: path={{ base }}/stamp state=touch modification_time='2021-06-07' modification_time_format=%Y-%m-%d access_time=preserve",
            "stat: path={{ base }}/stamp",
            "file: path={{ base }}/stamp state=file modification_time=now",
            "wait_for: path={{ base }}/log search_regex='port=(\\d+)' timeout=5",
        ]) { dir in
            try write(dir + "/log", "started\nlistening port=8125\n")
        }
        compare(run, keys: [1: ["ansible_facts"], 2: ["ansible_facts", "msg"], 3: ["msg"], 4: ["ansible_facts"],
                            11: ["stat.mtime", "stat.exists"]])
        for (task, prefix, suffix) in [("r5", "BASE/pre.", ".txt"), ("r6", "BASE/ansible.", "")] {
            for side in [run.ansible, run.provision] {
                guard case .string(let p) = pick(side[task], "path") else { XCTFail("\(task) has no path"); continue }
                XCTAssertTrue(p.hasPrefix(prefix) && p.hasSuffix(suffix), p)
            }
        }
    }

    func testTemplateAndCopyLookupInPlaybookFolders() throws {
        let run = try runner.run("lookup", tasks: [
            "template: src=motd.j2 dest={{ base }}/motd mode=0640",
            "template: src=motd.j2 dest={{ base }}/motd mode=0640",
            "copy: src=seed.txt dest={{ base }}/seed.txt",
            "template: src=nested/inner.j2 dest={{ base }}/inner",
        ], extraFiles: [
            "templates/motd.j2": "hello {{ inventory_hostname }}\n",
            "files/seed.txt": "seed\n",
            "templates/nested/inner.j2": "inner {{ 1 + 2 }}\n",
        ])
        compare(run, keys: [1: ["dest", "checksum"], 3: ["dest", "checksum"]])
        compareTrees(run)
    }

    func testURIAgainstALoopbackServer() throws {
        let port = try SSHTestServer.unusedPort()
        let site = runner.root + "/www"
        try write(site + "/data.json", #"{"name": "pv", "items": [1, 2, 3], "ok": true}"#)
        try write(site + "/page.txt", "plain text\n")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = ["-m", "http.server", "--bind", "127.0.0.1", String(port), "--directory", site]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if (try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)/page.txt")!)) != nil { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        let u = "http://127.0.0.1:\(port)"
        let run = try runner.run("uri", tasks: [
            "uri: url=\(u)/data.json",
            "uri: url=\(u)/page.txt return_content=true",
            "uri: url=\(u)/missing",
            "uri: url=\(u)/missing status_code=404",
            "uri:\n  url: \(u)/data.json\n  method: POST\n  body_format: json\n  body: {a: 1}\n  status_code: [200, 501]",
            "uri: url=\(u)/page.txt dest={{ base }}/page.txt",
            "uri:\n  url: \(u)/data.json\n  headers:\n    X-Test: yes\n  return_content: true",
            "uri: url=http://127.0.0.1:1/ timeout=3",
        ])
        compare(run, keys: [1: ["status", "json", "url", "redirected", "content_type"], 2: ["status", "content"],
                            3: ["status"], 4: ["status"], 5: ["status"], 6: ["status", "path"],
                            7: ["json", "content"], 8: ["status"]])
        compareTrees(run)
    }

    static let key1 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAF3hOPBqYJlRzpJIjIV0lAsPdkc20a2RWtvTZRLSFry"
    static let key2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPvoat8JmZsA8gW0qbvmjZwoqkl0qCB7FbZ0IvRTkTXZ"

    func testScriptAssembleKnownHostsAndCopy() throws {
        let run = try runner.run("misc2", tasks: [
            "script: hello.sh one 'two words' creates={{ base }}/never",
            "script: hello.sh again\nargs:\n  creates: '{{ base }}/frags'",
            "assemble: src={{ base }}/frags dest={{ base }}/assembled mode=0640",
            "assemble: src={{ base }}/frags dest={{ base }}/assembled mode=0640",
            "assemble:\n  src: '{{ base }}/frags'\n  dest: '{{ base }}/filtered'\n  regexp: '^[0-9]+-'\n  delimiter: '### cut'",
            "known_hosts: path={{ base }}/kh name=example.org key='example.org \(Self.key1)'",
            "known_hosts: path={{ base }}/kh name=example.org key='example.org \(Self.key1)'",
            "known_hosts: path={{ base }}/kh name=other.org key='other.org,10.0.0.9 \(Self.key1) note'",
            "known_hosts: path={{ base }}/kh name=example.org key='example.org \(Self.key2)'",
            "known_hosts: path={{ base }}/kh name=other.org state=absent",
            "known_hosts: path={{ base }}/kh name=example.org key='example.org \(Self.key1)' state=absent",
            "known_hosts: path={{ base }}/kh name=example.org key='wrong.org \(Self.key1)'",
            "copy: content='hello\\n' dest={{ base }}/copied mode=0600",
            "copy: src={{ base }}/copied dest={{ base }}/copied2 remote_src=true",
            "copy: content='hello\\n' dest={{ base }}/copied mode=0600",
        ], extraFiles: [
            "files/hello.sh": "#!/bin/sh\necho \"args: $# $1 / $2\"\necho err >&2\n",
        ]) { dir in
            try write(dir + "/frags/10-a", "alpha\n")
            try write(dir + "/frags/02-b", "beta no newline")
            try write(dir + "/frags/zz", "zeta\n")
            try write(dir + "/frags/.hidden", "hidden\n")
        }
        compare(run, keys: [1: ["rc", "stdout", "stderr", "stdout_lines"], 3: ["checksum", "md5sum", "msg"],
                            5: ["checksum"], 13: ["checksum", "md5sum", "state", "size", "dest"],
                            14: ["checksum", "state", "dest"], 15: ["checksum", "state"]])
        compareTrees(run)
    }

    func testUnarchive() throws {
        let fixtures = runner.root + "/archives"
        try write(fixtures + "/tree/top.txt", "top\n")
        try write(fixtures + "/tree/sub/inner.sh", "#!/bin/sh\n", mode: 0o755)
        let mk = Process()
        mk.executableURL = URL(fileURLWithPath: "/bin/sh")
        mk.arguments = ["-c", "cd '\(fixtures)' && tar -czf a.tar.gz -C tree . && tar -cjf b.tar.bz2 -C tree top.txt"
                        + " && (cd tree && command -v zip >/dev/null && zip -qr ../c.zip . || true)"]
        try mk.run()
        mk.waitUntilExit()
        let hasZip = FileManager.default.fileExists(atPath: fixtures + "/c.zip")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip")
        var tasks = [
            "unarchive: src=\(fixtures)/a.tar.gz dest={{ base }}/out",
            "unarchive: src=\(fixtures)/a.tar.gz dest={{ base }}/out",
            "unarchive: src=\(fixtures)/b.tar.bz2 dest={{ base }}/out2 remote_src=true mode=0600",
            "unarchive: src=\(fixtures)/b.tar.bz2 dest={{ base }}/out2 remote_src=true mode=0600",
            "unarchive: src=\(fixtures)/a.tar.gz dest={{ base }}/out creates={{ base }}/out/top.txt",
            "unarchive: src=\(fixtures)/a.tar.gz dest={{ base }}/missing",
            "unarchive:\n  src: \(fixtures)/a.tar.gz\n  dest: '{{ base }}/out3'\n  exclude: ['./sub/inner.sh']",
        ]
        if hasZip {
            tasks += ["unarchive: src=\(fixtures)/c.zip dest={{ base }}/outz",
                      "unarchive: src=\(fixtures)/c.zip dest={{ base }}/outz"]
        }
        let run = try runner.run("unarchive", tasks: tasks) { dir in
            for d in ["out", "out2", "out3", "outz"] {
                try FileManager.default.createDirectory(atPath: dir + "/" + d, withIntermediateDirectories: true)
            }
        }
        compare(run, keys: [:])
        compareTrees(run)
    }

    func testGit() throws {
        let fixtures = runner.root + "/gitrepo"
        let mk = Process()
        mk.executableURL = URL(fileURLWithPath: "/bin/sh")
        mk.arguments = ["-c", """
            set -e; mkdir -p '\(fixtures)/work'; cd '\(fixtures)/work'; git init -q -b main .
            git config user.email t@example.org; git config user.name t
            echo one > README; git add README; git commit -qm one; git tag v1
            echo two > README; git commit -qam two
            git checkout -qb feature; echo feature > extra; git add extra; git commit -qm feature; git checkout -q main
            git clone -q --bare . ../repo.git
            """]
        try mk.run()
        mk.waitUntilExit()
        guard mk.terminationStatus == 0 else { throw XCTSkip("git could not build the fixture repository") }
        let repo = "file://\(fixtures)/repo.git"
        let run = try runner.run("git", tasks: [
            "git: repo=\(repo) dest={{ base }}/clone",
            "git: repo=\(repo) dest={{ base }}/clone",
            "git: repo=\(repo) dest={{ base }}/clone version=v1",
            "git: repo=\(repo) dest={{ base }}/clone version=feature",
            "git: repo=\(repo) dest={{ base }}/clone update=false",
            "copy: content=changed dest={{ base }}/clone/README",
            "git: repo=\(repo) dest={{ base }}/clone version=main",
            "git: repo=\(repo) dest={{ base }}/clone version=main force=true",
            "git: repo=\(repo) dest={{ base }}/shallow depth=1",
            "git: repo=\(repo) dest={{ base }}/checked\ncheck_mode: true",
            "git: repo=\(repo) dest={{ base }}/noclone clone=false",
        ])
        compare(run, keys: [1: ["before", "after"], 2: ["before", "after"], 3: ["before", "after"], 4: ["before", "after"],
                            5: ["before", "after"], 7: ["msg"], 8: ["before", "after"], 9: ["after"], 10: ["after"],
                            11: ["before", "after"]])
        compareTrees(run, skipping: ".git")
    }

    func testUserExpiresPasswordAndSSHKey() throws {
        let users = ["pvtw-a", "pvtw-b"]
        func cleanup() {
            for u in users {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/sbin/userdel")
                p.arguments = ["-r", u]
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try? p.run()
                p.waitUntilExit()
            }
        }
        cleanup()
        defer { cleanup() }
        let hash = "$6$saltsalt$Uo0KJRzf9qf4tyY7eHgf5WhF2Dvn0qPsn4YBKXuF3c4Xy0j1o6Gx9l6NLyGBZ1xC0vXyXbJmP3Q0B6F8q2Zp1."
        let run = try runner.run("user", tasks: [
            "user: name=pvtw-{{ twin }} home={{ base }}/home expires=1893456000 password='\(hash)'",
            "user: name=pvtw-{{ twin }} home={{ base }}/home expires=1893456000 password='\(hash)'",
            "user: name=pvtw-{{ twin }} expires=1893542400",
            "user: name=pvtw-{{ twin }} expires=-1",
            "user: name=pvtw-{{ twin }} expires=-1",
            "user: name=pvtw-{{ twin }} password='$6$other$x' update_password=on_create",
            "user: name=pvtw-{{ twin }} generate_ssh_key=true ssh_key_type=ed25519 ssh_key_comment=twin",
            "user: name=pvtw-{{ twin }} generate_ssh_key=true ssh_key_type=ed25519 ssh_key_comment=twin",
            "user: name=pvtw-{{ twin }} generate_ssh_key=true ssh_key_file=.ssh/other ssh_key_type=rsa ssh_key_bits=2048\ncheck_mode: true",
        ])
        compare(run, keys: [1: ["name", "home", "state"], 7: ["ssh_key_file"], 8: ["ssh_key_file"]])
        for side in [run.ansible, run.provision] {
            guard case .string(let k) = pick(side["r8"], "ssh_public_key") else { XCTFail("no ssh_public_key"); continue }
            XCTAssertTrue(k.hasPrefix("ssh-ed25519 ") && k.hasSuffix(" twin"), k)
        }
        compareTrees(run, skipping: ".ssh/id_ed25519")
    }

    func testSynchronize() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/rsync") else { throw XCTSkip("rsync is not installed") }
        let site = runner.root + "/site"
        try write(site + "/index.html", "<h1>hi</h1>\n")
        try write(site + "/css/app.css", "body{}\n", mode: 0o600)
        let run = try runner.run("sync", tasks: [
            "synchronize: src=\(site)/ dest={{ base }}/sync/",
            "synchronize: src=\(site)/ dest={{ base }}/sync/",
            "synchronize: src=\(site)/ dest={{ base }}/sync2/ delete=true checksum=true",
            "synchronize: src=\(site) dest={{ base }}/sync3\ncheck_mode: true",
            "synchronize: src={{ base }}/sync/ dest={{ base }}/pulled/ mode=pull",
            "synchronize:\n  src: \(site)/\n  dest: '{{ base }}/sync4/'\n  rsync_opts: ['--exclude=css']",
        ]) { dir in
            try write(dir + "/sync2/stale.txt", "old\n")
        }
        compare(run, keys: [:])
        compareTrees(run)
        // provision's side went over the host's SSH login, not a local copy.
        guard case .string(let cmd) = pick(run.provision["r1"], "cmd") else { return XCTFail("no cmd registered") }
        XCTAssertTrue(cmd.contains("--rsh=") && cmd.contains("@127.0.0.2:"), cmd)
    }

    func testCopyAndTemplateOptions() throws {
        let run = try runner.run("copyopts", tasks: [
            "copy: content='v1\\n' dest={{ base }}/conf force=false",
            "copy: content='v2\\n' dest={{ base }}/conf force=false",
            "copy: content='v2\\n' dest={{ base }}/conf validate='grep -q v2 %s'",
            "copy: content='v3\\n' dest={{ base }}/conf validate='grep -q nope %s'",
            "copy: src=tree dest={{ base }}/ directory_mode=0750",
            "copy: src=tree/ dest={{ base }}/flat/",
            "copy: src=tree/ dest={{ base }}/flat/",
            "template: src=t.j2 dest={{ base }}/crlf newline_sequence='\\r\\n'",
            "template: src=t.j2 dest={{ base }}/crlf newline_sequence='\\r\\n'",
            "template: src=t.j2 dest={{ base }}/checked validate='test -s %s'",
            "copy: content='x' dest={{ base }}/nodir/sub/file",
        ], extraFiles: [
            "files/tree/a.txt": "a\n",
            "files/tree/sub/b.txt": "b\n",
            "templates/t.j2": "line {{ 1 }}\nline 2\n",
        ])
        compare(run, keys: [1: ["checksum", "state"], 3: ["checksum"], 5: ["dest"], 8: ["checksum"], 10: ["checksum"]])
        compareTrees(run)
    }

    func testTemplateBlockWhitespaceOptions() throws {
        let blocks = "head\n  {% for i in [1, 2] %}\n  item {{ i }}\n  {% endfor %}\n  {% if true %}yes{% endif %}\ntail\n"
        let run = try runner.run("tmplopts", tasks: [
            "template: src=b.j2 dest={{ base }}/default",
            "template: src=b.j2 dest={{ base }}/notrim trim_blocks=false",
            "template: src=b.j2 dest={{ base }}/lstrip lstrip_blocks=true",
            "template: src=b.j2 dest={{ base }}/both trim_blocks=false lstrip_blocks=true",
            "template: src=b.j2 dest={{ base }}/both trim_blocks=false lstrip_blocks=true",
            "template: src=h.j2 dest={{ base }}/header lstrip_blocks=false trim_blocks=false",
            "template: src=e.j2 dest={{ base }}/empty lstrip_blocks=true",
        ], extraFiles: [
            "templates/b.j2": blocks,
            "templates/h.j2": "#jinja2: lstrip_blocks: True, trim_blocks: True\n" + blocks,
            "templates/e.j2": "#jinja2:trim_blocks: False\n" + blocks,
        ])
        compare(run, keys: [0: ["checksum"], 1: ["checksum"], 2: ["checksum"], 3: ["checksum"], 5: ["checksum"], 6: ["checksum"]])
        compareTrees(run)
    }
}
