import XCTest
@testable import ProvisionCore

/// Ansible's lineinfile semantics, case by case. Every expected text and changed flag below was
/// checked once against ansible-core 2.14.18's own lineinfile module run on the same input.
final class LineInFileEditTests: XCTestCase {
    struct Case {
        var name: String
        var before: String
        var edit: LineInFileEdit
        var absent = false
        var after: String
        var changed: Bool
    }

    func re(_ p: String) -> PythonRegex { try! PythonRegex(p) }

    func testTable() throws {
        let conf = "a=1\n#b=2\nb=3\nc=4\nb=5\n"
        let cases: [Case] = [
            Case(name: "appends a missing line at EOF", before: "x\n", edit: .init(line: "y"), after: "x\ny\n", changed: true),
            Case(name: "line already there: no change", before: "x\ny\nz\n", edit: .init(line: "y"), after: "x\ny\nz\n", changed: false),
            Case(name: "regexp replaces the LAST match", before: conf, edit: .init(line: "b=9", regexp: re("^b=")),
                 after: "a=1\n#b=2\nb=3\nc=4\nb=9\n", changed: true),
            Case(name: "firstmatch replaces the first", before: conf, edit: .init(line: "b=9", regexp: re("^b="), firstMatch: true),
                 after: "a=1\n#b=2\nb=9\nc=4\nb=5\n", changed: true),
            Case(name: "replacement equal to the line: no change", before: conf, edit: .init(line: "b=5", regexp: re("^b=")),
                 after: conf, changed: false),
            Case(name: "no regexp match: insertafter the LAST anchor match", before: "[s]\nk=1\n[s]\nk=2\n",
                 edit: .init(line: "new=1", regexp: re("^new="), insertAfter: #"^\[s\]"#),
                 after: "[s]\nk=1\n[s]\nnew=1\nk=2\n", changed: true),
            Case(name: "insertafter with firstmatch uses the first anchor", before: "[s]\nk=1\n[s]\nk=2\n",
                 edit: .init(line: "new=1", regexp: re("^new="), insertAfter: #"^\[s\]"#, firstMatch: true),
                 after: "[s]\nnew=1\nk=1\n[s]\nk=2\n", changed: true),
            Case(name: "insertbefore the LAST anchor match", before: "a\nend\nb\nend\n",
                 edit: .init(line: "x", insertBefore: "^end"), after: "a\nend\nb\nx\nend\n", changed: true),
            Case(name: "insertbefore BOF", before: "a\nb\n", edit: .init(line: "#!/bin/sh", insertBefore: "BOF"),
                 after: "#!/bin/sh\na\nb\n", changed: true),
            Case(name: "anchor matching nothing appends at EOF", before: "a\nb\n", edit: .init(line: "x", insertAfter: "^nomatch"),
                 after: "a\nb\nx\n", changed: true),
            Case(name: "regexp unmatched but the exact line exists: no change", before: "a\nx=1\n",
                 edit: .init(line: "x=1", regexp: re("^y=")), after: "a\nx=1\n", changed: false),
            Case(name: "insertafter when the next line already is the line: no change", before: "[s]\nnew=1\nk\n",
                 edit: .init(line: "new=1", insertAfter: #"^\[s\]"#), after: "[s]\nnew=1\nk\n", changed: false),
            Case(name: "missing final newline is added before appending", before: "a\nb", edit: .init(line: "c"),
                 after: "a\nb\nc\n", changed: true),
            Case(name: "empty file", before: "", edit: .init(line: "only"), after: "only\n", changed: true),
            Case(name: "backrefs without a match changes nothing", before: "a\n",
                 edit: .init(line: #"\1=2"#, regexp: re("^(zz)="), backrefs: true), after: "a\n", changed: false),
            Case(name: "backrefs expand groups", before: "host=old\n",
                 edit: .init(line: #"\g<1>new # was \2"#, regexp: re("^(host=)(.*)$"), backrefs: true),
                 after: "host=new # was old\n", changed: true),
            Case(name: "Python named groups are understood", before: "port = 22\n",
                 edit: .init(line: #"\g<k> = 2222"#, regexp: re(#"^(?P<k>port)\s*="#), backrefs: true),
                 after: "port = 2222\n", changed: true),
            Case(name: "search_string replaces the last line containing it", before: "a foo\nb foo\n",
                 edit: .init(line: "z", searchString: "foo"), after: "a foo\nz\n", changed: true),
            Case(name: "absent removes every regexp match", before: conf, edit: .init(regexp: re("^#?b=")), absent: true,
                 after: "a=1\nc=4\n", changed: true),
            Case(name: "absent by exact line", before: "a\nb\na\n", edit: .init(line: "a"), absent: true,
                 after: "b\n", changed: true),
            Case(name: "absent with nothing to remove", before: "a\n", edit: .init(line: "q"), absent: true,
                 after: "a\n", changed: false),
            Case(name: "an exact CRLF line is rewritten with LF, as Ansible does", before: "a\r\nb\r\n", edit: .init(line: "b"),
                 after: "a\r\nb\n", changed: true),
        ]
        for c in cases {
            let lines = LineInFileEdit.lines(c.before)
            let r = c.absent ? c.edit.absent(lines) : try c.edit.present(lines)
            XCTAssertEqual(r.lines.joined(), c.after, c.name)
            XCTAssertEqual(r.changed, c.changed, c.name)
        }
    }

    func testLinesKeepTerminators() {
        XCTAssertEqual(LineInFileEdit.lines("a\nb"), ["a\n", "b"])
        XCTAssertEqual(LineInFileEdit.lines(""), [])
        XCTAssertEqual(LineInFileEdit.lines("a\r\n"), ["a\r\n"])
    }

    func testInvalidRegexIsAModuleError() {
        XCTAssertThrowsError(try PythonRegex("(unclosed")) { e in
            XCTAssertTrue("\(e)".contains("(unclosed"))
        }
    }
}
