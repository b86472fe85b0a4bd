import XCTest
@testable import ProvisionCore

/// Python datetimes and timedeltas within one expression (`now()`, `to_datetime`).
final class DateTimeTests: XCTestCase {
    private let vars: [String: Value] = ["a": "2024-01-01 00:00:00", "b": "2024-01-02 02:03:04"]

    func testSubtractionPrintsAsPythonTimedelta() throws {
        let cases: [(String, Value)] = [
            ("{{ (b | to_datetime) - (a | to_datetime) }}", "1 day, 2:03:04"),
            ("{{ (a | to_datetime) - (b | to_datetime) }}", "-2 days, 21:56:56"),
            ("{{ ((b | to_datetime) - (a | to_datetime)).total_seconds() }}", .double(93784)),
            ("{{ ((b | to_datetime) - (a | to_datetime)).seconds }}", 7384),
            ("{{ ((a | to_datetime) - (b | to_datetime)).days }}", -2),
            ("{{ -((b | to_datetime) - (a | to_datetime)) }}", "-2 days, 21:56:56"),
            ("{{ (a | to_datetime) - ((b | to_datetime) - (a | to_datetime)) }}", "2023-12-30 21:56:56"),
            ("{{ ((a | to_datetime) - (a | to_datetime)) | type_debug }}", "timedelta"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try TemplateFixtures.render(text, vars), expected, text)
        }
    }

    func testDatetimeAttributesMethodsAndFilters() throws {
        let cases: [(String, Value)] = [
            ("{{ a | to_datetime }}", "2024-01-01 00:00:00"),
            ("{{ (b | to_datetime).year * 100 + (b | to_datetime).hour }}", 202402),
            ("{{ (a | to_datetime).isoformat() }}", "2024-01-01T00:00:00"),
            ("{{ (a | to_datetime).ctime() }}", "Mon Jan  1 00:00:00 2024"),
            ("{{ (a | to_datetime).weekday() }}", 0),
            ("{{ (a | to_datetime).replace(year=2020) }}", "2020-01-01 00:00:00"),
            ("{{ (a | to_datetime) | to_json }}", "\"2024-01-01T00:00:00\""),
            ("{{ (a | to_datetime) | int }}", 0),
            ("{{ (a | to_datetime) < (b | to_datetime) }}", true),
            ("{{ (a | to_datetime) == a }}", false),
            ("{{ 'Jan 5 2024 3:04 PM' | to_datetime('%b %d %Y %I:%M %p') }}", "2024-01-05 15:04:00"),
            ("{{ '2024-01-01 00:00:00.5' | to_datetime('%Y-%m-%d %H:%M:%S.%f') }}", "2024-01-01 00:00:00.500000"),
            ("{{ now() | type_debug }}", "datetime"),
            ("{{ now().year > 2000 }}", true),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try TemplateFixtures.render(text, vars), expected, text)
        }
    }

    func testStrptimeFailuresAndUsesPastTheExpressionAreErrors() {
        for text in ["{{ '2024' | to_datetime }}", "{{ '2024-02-30 00:00:00' | to_datetime }}",
                     "{{ '2024-01-01 00:00:00 x' | to_datetime }}", "{{ [now()] }}", "{{ now() | length }}",
                     "{{ (a | to_datetime) < a }}", "{{ ((b | to_datetime) - (a | to_datetime)) | to_json }}"] {
            XCTAssertThrowsError(try TemplateFixtures.render(text, vars), text)
        }
        XCTAssertThrowsError(try TemplateFixtures.render("{{ '2024' | to_datetime }}", vars)) { error in
            XCTAssertTrue("\(error)".contains("time data '2024' does not match format '%Y-%m-%d %H:%M:%S'"), "\(error)")
        }
    }
}
