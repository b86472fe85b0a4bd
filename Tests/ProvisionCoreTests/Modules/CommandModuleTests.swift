import Foundation
import XCTest
@testable import ProvisionCore

final class CommandModuleTests: ModuleTestCase {
    func testCommandRunsWithoutAShellButExpandsVariablesLikeAnsible() throws {
        // ansible-core 2.14 prints "a  b /root /root/x ${NOPE}x *" for the same line as root.
        let env = ["PV_SPACED": "x  y;z", "HOME": "/root"]
        let r = try run("command", ["_raw_params": "echo 'a  b' $HOME ~/x ${PV_NOPE}x * $PV_SPACED"], environment: env)
        XCTAssertTrue(r.changed)
        XCTAssertEqual(r.data["stdout"], "a  b /root /root/x ${PV_NOPE}x * x  y;z", "no globbing or splitting")
        XCTAssertEqual(r.data["rc"], 0)
        XCTAssertEqual(r.data["cmd"], ["echo", "a  b", "$HOME", "~/x", "${PV_NOPE}x", "*", "$PV_SPACED"])
        let literal = try run("command", ["_raw_params": "echo $HOME", "expand_argument_vars": false])
        XCTAssertEqual(literal.data["stdout"], "$HOME")
    }

    func testExpandingWordQuotesEverythingElse() {
        XCTAssertEqual(ShellWords.expandingWord("it's"), Shell.quote("it's"))
        XCTAssertEqual(ShellWords.expandingWord("$A-b"), #""${A-\$A}"-b"#)
        XCTAssertEqual(ShellWords.expandingWord("${B}c"), #""${B-\${B\}}"c"#)
        XCTAssertEqual(ShellWords.expandingWord("$1 $"), #"'$1 $'"#)
        XCTAssertEqual(ShellWords.expandingWord(""), "''")
        XCTAssertEqual(ShellWords.expandingWord("~"), "~")
        XCTAssertEqual(ShellWords.expandingWord("a~/b"), "'a~/b'", "only a leading ~ expands")
    }

    func testArgvAndFailure() throws {
        let r = try run("command", ["argv": ["sh", "-c", "echo err >&2; exit 3"]])
        XCTAssertTrue(r.failed)
        XCTAssertEqual(r.data["rc"], 3)
        XCTAssertEqual(r.data["stderr"], "err")
        XCTAssertEqual(r.data["stderr_lines"], ["err"])
    }

    func testCreatesAndRemovesWithGlobsAndChdir() throws {
        let marker = path("done.flag")
        let args: [String: Value] = ["cmd": "touch done.flag", "chdir": .string(dir), "creates": .string(path("*.flag"))]
        XCTAssertTrue(try run("command", args).changed)
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker))
        let second = try run("command", args)
        XCTAssertFalse(second.changed)
        XCTAssertTrue(second.message?.contains("exists") ?? false)

        let rm: [String: Value] = ["_raw_params": .string("rm done.flag removes=\(path("done.flag")) chdir=\(dir)")]
        XCTAssertTrue(try run("command", rm).changed)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
        XCTAssertFalse(try run("command", rm).changed)
    }

    func testCheckModeSkipsUnlessCreatesSaysItWouldNotRun() throws {
        let f = path("x")
        let r = try run("shell", ["_raw_params": .string("touch '\(f)'")], check: true)
        XCTAssertTrue(r.skipped)
        XCTAssertFalse(FileManager.default.fileExists(atPath: f))
        try write(f, "")
        let ok = try run("shell", ["cmd": .string("rm '\(f)'"), "creates": .string(f)], check: true)
        XCTAssertFalse(ok.skipped)
        XCTAssertFalse(ok.changed)
        XCTAssertFalse(CommandModule.supportsCheckMode)
        XCTAssertTrue(CopyModule.supportsCheckMode)
    }

    func testShellPipesStdinAndExecutable() throws {
        let r = try run("shell", ["_raw_params": "tr a-z A-Z | sed 's/^/> /'", "stdin": "hello"])
        XCTAssertEqual(r.data["stdout"], "> HELLO")
        let b = try run("shell", ["cmd": "echo ${BASH_VERSION:+bash}", "executable": "/bin/bash"])
        XCTAssertEqual(b.data["stdout"], "bash")
        let lines = try run("shell", ["_raw_params": "printf 'a\\nb\\n\\n'"])
        XCTAssertEqual(lines.data["stdout_lines"], ["a", "b"])
    }

    func testRawRunsTheLineAsIs() throws {
        let r = try run("raw", ["_raw_params": "echo $((1+2))"])
        XCTAssertEqual(r.data["stdout_lines"], ["3"])
        XCTAssertTrue(r.changed)
        XCTAssertTrue(try run("raw", ["_raw_params": "true"], check: true).skipped)
    }

    func testFreeFormOptionExtractionAndSplitting() throws {
        let (cmd, opts) = try ShellWords.extractOptions("ls -l 'creates=x' creates=/tmp/a chdir=/srv", keys: CommandRunner.optionKeys)
        XCTAssertEqual(cmd, "ls -l 'creates=x'")
        XCTAssertEqual(opts, ["creates": "/tmp/a", "chdir": "/srv"])
        XCTAssertEqual(try ShellWords.split(#"a "b c" 'd e' f\ g "h\"i" "j\k""#), ["a", "b c", "d e", "f g", "h\"i", "j\\k"])
        XCTAssertThrowsError(try ShellWords.split("a 'b"))
        XCTAssertEqual(ShellWords.quoteGlob("/tmp/a b/*.txt"), "'/tmp/a b/'*.txt")
    }

    func testEnvironmentReachesTheCommand() throws {
        let r = try run("shell", ["_raw_params": "echo \"$GREETING\""], environment: ["GREETING": "hi there"])
        XCTAssertEqual(r.data["stdout"], "hi there")
    }
}
