import XCTest
@testable import ProvisionCore

final class ExpressionParsingTests: XCTestCase {
    func testSyntaxErrorsInExpressionsNameTheProblemAndOffset() {
        let cases: [(String, String, Int)] = [
            ("a ==", "unexpected end of expression", 4),
            ("a and", "unexpected end of expression", 5),
            ("not", "unexpected end of expression", 3),
            ("a b", "unexpected 'b'", 2),
            ("a[", "unexpected end of expression", 2),
            ("(a", "expected ')'", 2),
            ("a)", "unexpected ')'", 1),
            ("'abc", "unterminated string", 0),
            ("x | ", "expected a name", 4),
            ("x | nosuchfilter", "no filter named 'nosuchfilter'", 4),
            ("x is nosuchtest", "no test named 'nosuchtest'", 5),
            ("x is", "expected a name", 4),
            ("f(a=1, 2)", "positional argument after a keyword or '*' argument", 7),
            ("a if b else", "unexpected end of expression", 11),
            ("1 +* 2", "unexpected '*'", 3),
            ("a . 1x", "unexpected 'x'", 5),
            ("a $ b", "unexpected character '$'", 2),
            ("", "empty expression", 0),
        ]
        for (text, message, offset) in cases {
            guard let e = TemplateFixtures.error({ try TemplateExpression(text) }) else { continue }
            // A name provision lacks is its own kind: the loader only warns (Ansible fails at render).
            XCTAssertEqual(e.kind, text.contains("nosuch") ? .unknownName : .syntax, text)
            XCTAssertTrue(e.message.contains(message), "\(text): \(e.message)")
            XCTAssertEqual(e.offset, offset, "\(text): \(e)")
            XCTAssertEqual(e.source, text)
        }
    }

    func testSyntaxErrorsInTemplates() {
        let cases: [(String, String)] = [
            ("{{ x", "expected '}}'"),
            ("{{ }}", "empty expression"),
            ("{{ x | }}", "expected a name"),
            ("{{ 'abc }}", "unterminated string"),
            ("{% if x %}yes", "missing '{% endif %}'"),
            ("{% endif %}", "no open block"),
            ("{% else %}", "no open block"),
            ("{% for x %}{% endfor %}", "expected 'in'"),
            ("{% for x in xs %}", "missing '{% endfor %}'"),
            ("{% macro m() %}x", "missing '{% endmacro %}'"),
            ("{% set x %}1", "missing '{% endset %}'"),
            ("{% filter nosuch %}x{% endfilter %}", "no filter named 'nosuch'"),
            ("{% call m() %}x", "missing '{% endcall %}'"),
            ("{% do x %}", "unknown tag 'do'"),
            ("{% %}", "expected a tag name"),
            ("{# unclosed", "unterminated comment"),
            ("{% raw %}x", "without '{% endraw %}'"),
            ("{% if x %}a{% endfor %}", "no open block"),
            ("{% set loop = 1 %}", "cannot assign to 'loop'"),
        ]
        for (text, message) in cases {
            guard let e = TemplateFixtures.error({ try Template(text) }) else { continue }
            // A name provision lacks is its own kind: the loader only warns (Ansible fails at render).
            XCTAssertEqual(e.kind, text.contains("nosuch") ? .unknownName : .syntax, text)
            XCTAssertTrue(e.message.contains(message), "\(text): \(e.message)")
            XCTAssertEqual(e.source, text)
            XCTAssertNotNil(e.offset, text)
        }
    }

    func testOperatorPrecedenceFollowsJinja() throws {
        let cases: [(String, Value)] = [
            ("1 + 2 * 3", 7),
            ("(1 + 2) * 3", 9),
            ("2 ** 3 ** 2", 64),
            ("2 ** 10", 1024),
            ("1 ** 1000000000", 1),
            ("(-2) ** 3", -8),
            ("2 ** 62", 4_611_686_018_427_387_904),
            ("2 ** -1", .double(0.5)),
            ("-2 ** 2", 4),
            ("10 - 2 - 3", 5),
            ("7 / 2", .double(3.5)),
            ("10 // 3", 3),
            ("-7 // 2", -4),
            ("-7 % 3", 2),
            ("7.5 // 2", .double(3)),
            ("'v' ~ (1 + 2)", "v3"),
            ("'a' ~ 'b' ~ 1", "ab1"),
            ("count | string ~ 'x'", "3x"),
            ("-count | abs", 3),
            ("not true and false", false),
            ("not (true and false)", true),
            ("true or false and false", true),
            ("(true or false) and false", false),
            ("1 < 2 < 3", true),
            ("3 > 2 > 2", false),
            ("'a' in 'abc' and 1 not in [2]", true),
            ("not 'z' in 'abc'", true),
            ("not packages | length > 5", true),
            ("packages | length is number", true),
            ("1 if false else 2", 2),
            ("'x' if count > 2 else 'y'", "x"),
            ("count > 2 and 'big' or 'small'", "big"),
            ("count > 5 and 'big' or 'small'", "small"),
            ("nothing or 'fallback'", "fallback"),
            ("'a' if true else 'b' if true else 'c'", "a"),
            ("1 == 1.0", true),
            // Python: a numeric string is not a number ('8080' == 8080 is false, as in Ansible).
            ("'1.10' == 1.1", false),
            ("'8080' == 8080", false),
            ("1 in ['1', '2']", false),
            ("'42' * 2", "4242"),
            ("version == '1.10'", true),
            ("'10' < '9'", true),
            ("'a' + 'b'", "ab"),
            ("[1] + [2]", [1, 2]),
            ("'ab' * 2", "abab"),
            ("true == 1", true),
            ("[1, 2] == [1, 2.0]", true),
            ("{'a': 1} == {'a': 1}", true),
            ("count != 3", false),
            ("2 >= 2 and 1 <= 0", false),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try TemplateFixtures.eval(text), expected, text)
        }
        // Python refuses to order or add a string and a number; so does provision.
        for text in ["'1.10' > 1", "version < 2", "count + '2'"] {
            XCTAssertThrowsError(try TemplateFixtures.eval(text), text)
        }
        // Python's integers have no bound; a result past 64 bits is refused, never a float.
        for text in ["2 ** 64", "9223372036854775807 + 1", "-9223372036854775807 - 2", "4611686018427387904 * 2"] {
            XCTAssertThrowsError(try TemplateFixtures.eval(text), text)
        }
    }

    func testLiteralsAndAccess() throws {
        let cases: [(String, Value)] = [
            ("'it\\'s'", "it's"),
            ("\"dq\"", "dq"),
            ("'a' 'b'", "ab"),
            ("'tab\\there'", "tab\there"),
            ("'\\d+'", "\\d+"),
            ("42", 42),
            ("1_000", 1000),
            ("1.5e2", .double(150)),
            ("True", true),
            ("false", false),
            ("None", nil),
            ("none", nil),
            ("[]", []),
            ("[1, 'a', [true]]", [1, "a", [true]]),
            ("(1, 2)", .tuple([1, 2])),
            ("{'a': 1, 'b': [2]}", ["a": 1, "b": [2]]),
            ("{}", [:]),
            ("groups['managers'][0]", "pi1"),
            ("groups.managers.1", "pi2"),
            ("packages[-1]", "curl"),
            ("packages[1:]", ["curl"]),
            ("packages[::-1]", ["curl", "git"]),
            ("'hello'[1:3]", "el"),
            ("'hello'[-1]", "o"),
            ("ansible_facts['architecture']", "armv7l"),
            ("config.b.c", 2),
            ("users[1].name", "bob"),
            ("range(3) | list", [0, 1, 2]),
            ("range(1, 10, 3)", [1, 4, 7]),
            ("range(3, 0, -1)", [3, 2, 1]),
            ("dict(a=1)", ["a": 1]),
            ("'a,b'.split(',')", ["a", "b"]),
            ("' x '.strip()", "x"),
            ("'xxhixx'.strip('x')", "hi"),
            ("'Hello'.startswith('He')", true),
            ("'Hello'.endswith(('x', 'lo'))", true),
            ("'abc'.upper()", "ABC"),
            ("'ABC'.lower()", "abc"),
            ("'a-b-c'.replace('-', '_')", "a_b_c"),
            ("'a b'.split()", ["a", "b"]),
            ("','.join(packages)", "git,curl"),
            ("config.keys() | list", ["a", "b"]),
            ("config.get('zz', 5)", 5),
            ("config.get('a')", 1),
            ("config.items() | first", .tuple(["a", 1])),
            ("result.stdout.splitlines()", ["ok", "line2"]),
            ("packages.index('curl')", 1),
            ("'abcabc'.find('c')", 2),
            ("'123'.isdigit()", true),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try TemplateFixtures.eval(text), expected, text)
        }
    }

    func testLookupEnvReadsTheControllerEnvironment() throws {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
        XCTAssertEqual(try TemplateFixtures.eval("lookup('env', 'HOME')"), .string(home))
        XCTAssertEqual(try TemplateFixtures.eval("lookup('env', 'PROVISION_SURELY_UNSET_VAR')"), "")
        let e = TemplateFixtures.error { try TemplateFixtures.eval("lookup('nosuchplugin', 'x')") }
        XCTAssertTrue(e?.message.contains("lookup plugin 'nosuchplugin' is not supported") ?? false)
    }

    func testTypeErrorsAreReported() {
        let cases: [(String, String)] = [
            ("'a' < 1", "'<' not supported between 'str' and 'int'"),
            ("{} + 1", "unsupported operand types for +: 'dict' and 'int'"),
            ("1 in 5", "not iterable"),
            ("1 // 0", "division or modulo by zero"),
            ("1 / 0", "division by zero"),
            ("'x'.nosuch()", "has no method 'nosuch'"),
            ("nosuch(1)", "'nosuch' is not a function"),
            ("packages.index('zzz')", "is not in list"),
        ]
        for (text, message) in cases {
            guard let e = TemplateFixtures.error({ try TemplateFixtures.eval(text) }) else { continue }
            XCTAssertTrue(e.message.contains(message), "\(text): \(e.message)")
            XCTAssertEqual(e.source, text)
        }
    }
}
