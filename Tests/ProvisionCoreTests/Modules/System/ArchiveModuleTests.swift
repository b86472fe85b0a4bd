import Foundation
import XCTest
@testable import ProvisionCore

/// archive against the collection's module on twin temp directories: per task
/// changed/failed/msg and the registered dest_state, dest, arcroot, archived, missing and
/// expanded_paths (as sets: Ansible's walk order is the directory's), then each archive's
/// members (or a compressed file's content) and which sources are left.
final class ArchiveModuleTests: ModuleTestCase {
    static let tasks: [AnsibleLocalOracle.Task] = [
        .init(["path": "BASE/src", "dest": "BASE/out.tar.gz"]),
        .init(["path": "BASE/src", "dest": "BASE/out.tar.gz"]),
        .init(["path": "BASE/src/*.txt", "dest": "BASE/t.zip", "format": "zip"]),
        .init(["path": "BASE/src/*.txt", "dest": "BASE/t.zip", "format": "zip"]),
        .init(["path": "BASE/one.log"]),
        .init(["path": "BASE/one.log"]),
        .init(["path": "BASE/one.log", "dest": "BASE/one.xz", "format": "xz"]),
        .init(["path": ["BASE/src/a.txt", "BASE/src/b.txt", "BASE/src/sub"], "exclude_path": "BASE/src/b.txt",
               "dest": "BASE/x.tar", "format": "tar"]),
        .init(["path": "BASE/nothing.txt"]),
        .init(["path": ["BASE/src/a.txt", "BASE/gone.txt"], "dest": "BASE/inc.tar.bz2", "format": "bz2"]),
        .init(["path": ["BASE/src/a.txt", "BASE/src/b.txt"]]),
        .init(["path": "BASE/src", "dest": "BASE/check.tgz"], check: true),
        .init(["path": "BASE/src", "dest": "BASE/pat.tar", "format": "tar", "exclusion_patterns": ["*.log"]]),
        .init(["path": "BASE/rm", "dest": "BASE/rm.tar.gz", "remove": true]),
        .init(["path": "BASE/none*", "dest": "BASE/none.tgz"]),
    ]

    func prepare(_ d: String) throws {
        for (f, text) in [("src/a.txt", "a\n"), ("src/b.txt", "bb\n"), ("src/sub/c.log", "c\n"), ("src/sub/d.txt", "d\n"),
                          ("one.log", "one line\n"), ("rm/x", "x\n")] {
            let p = d + "/" + f
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try write(p, text)
        }
    }

    func members(_ p: String) throws -> String {
        guard FileManager.default.fileExists(atPath: p) else { return "missing" }
        let q = Shell.quote(p)
        let cmd = p.hasSuffix(".zip") ? "unzip -Z1 \(q) | sort" : p.hasSuffix(".xz") || p.hasSuffix(".log.gz") ? "xz -dc \(q) 2>/dev/null || gzip -dc \(q)"
            : "tar -tf \(q) | sort"
        return try sh(cmd).stdoutText
    }

    func testSameAsAnsible() throws {
        let a = path("A"), b = path("B")
        try prepare(a)
        try prepare(b)
        let theirs = try AnsibleLocalOracle.run("community.general.archive", Self.tasks, base: a, work: dir)
        let ours = try runEach("community.general.archive", Self.tasks, base: b)
        func norm(_ v: Value?, _ base: String) -> Value {
            guard let v else { return .null }
            if case .list(let l) = v { return .list(l.map { .string($0.renderedString.replacingOccurrences(of: base, with: "BASE")) }.sorted { $0.renderedString < $1.renderedString }) }
            return .string(v.renderedString.replacingOccurrences(of: base, with: "BASE"))
        }
        for (i, r) in ours.enumerated() where i < theirs.count {
            let want = theirs[i]
            XCTAssertEqual(want["changed"] == .bool(true), r.changed, "task \(i) changed")
            XCTAssertEqual(want["failed"] == .bool(true), r.failed, "task \(i) failed: \(r.message ?? "")")
            if r.failed { XCTAssertEqual(want["msg"]?.renderedString, r.message, "task \(i) msg"); continue }
            for k in ["dest_state", "dest", "arcroot", "archived", "missing", "expanded_paths", "expanded_exclude_paths"] {
                XCTAssertEqual(norm(want[k], "BASE"), norm(r.data[k], b), "task \(i) \(k)")
            }
        }
        for f in ["out.tar.gz", "t.zip", "one.log.gz", "one.xz", "x.tar", "inc.tar.bz2", "check.tgz", "pat.tar", "rm.tar.gz"] {
            XCTAssertEqual(try members(a + "/" + f), try members(b + "/" + f), f)
        }
        XCTAssertEqual(FileManager.default.fileExists(atPath: a + "/rm"), FileManager.default.fileExists(atPath: b + "/rm"))
        XCTAssertTrue(ModuleRegistry.lookup("community.general.archive") == ArchiveModule.self)
    }
}
