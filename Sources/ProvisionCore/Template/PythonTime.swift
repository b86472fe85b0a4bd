import Foundation

/// A Python `datetime.datetime` (naive) or `datetime.timedelta`, as `now()`, `to_datetime`
/// and their subtraction give them. Ansible (jinja2_native off) renders every template result
/// to text, so such a value lives only inside one expression: the evaluator carries it as an
/// `Operand`, never as a `Value`, and it leaves the expression as the text Python prints.
enum PythonTime: Equatable {
    case datetime(NaiveDateTime)
    case timedelta(TimeDelta)

    /// Python's type name (`type_debug`).
    var typeName: String {
        switch self {
        case .datetime: return "datetime"
        case .timedelta: return "timedelta"
        }
    }

    /// `str(value)`: what printing it in a template gives.
    var str: String {
        switch self {
        case .datetime(let d): return d.str
        case .timedelta(let t): return t.str
        }
    }

    /// Python's truthiness: a datetime is always true, a timedelta when not zero.
    var isTruthy: Bool {
        if case .timedelta(let t) = self { return t.microseconds != 0 }
        return true
    }
}

/// A naive datetime: the wall-clock reading, kept as microseconds from 1970-01-01 00:00 read
/// as if it were UTC, so field arithmetic needs no time zone. Years 1 to 9999, as Python's.
struct NaiveDateTime: Equatable, Comparable {
    let microseconds: Int64

    static let perDay: Int64 = 86_400_000_000
    /// Days from 1970-01-01 to 0001-01-01 and to 10000-01-01.
    static let range: ClosedRange<Int64> = Int64(-719_162) * perDay...(Int64(2_932_897) * perDay - 1)

    struct OutOfRange: Error {}

    init(microseconds: Int64) throws {
        guard NaiveDateTime.range.contains(microseconds) else { throw OutOfRange() }
        self.microseconds = microseconds
    }

    /// From fields that the caller has checked are in range.
    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, microsecond: Int = 0) throws {
        let days = Int64(NaiveDateTime.daysFromCivil(year, month, day))
        let secs = Int64(hour * 3600 + minute * 60 + second)
        try self.init(microseconds: days * NaiveDateTime.perDay + secs * 1_000_000 + Int64(microsecond))
    }

    /// Now, on the local clock or in UTC (`now(utc=true)`).
    static func now(utc: Bool) -> NaiveDateTime {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = tv.tv_sec
        var out = tm()
        if utc { gmtime_r(&t, &out) } else { localtime_r(&t, &out) }
        let wall = Int64(t) + Int64(out.tm_gmtoff)
        return NaiveDateTime(unchecked: wall * 1_000_000 + Int64(tv.tv_usec))
    }

    private init(unchecked: Int64) { microseconds = unchecked }

    static func < (a: NaiveDateTime, b: NaiveDateTime) -> Bool { a.microseconds < b.microseconds }

    struct Fields {
        var year, month, day, hour, minute, second, microsecond: Int
        /// Days since 1970-01-01.
        var epochDay: Int
    }

    var fields: Fields {
        let (day, rest) = floorDivide(microseconds, NaiveDateTime.perDay)
        let (y, m, d) = NaiveDateTime.civil(fromDays: Int(day))
        let secs = Int(rest / 1_000_000)
        return Fields(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60, second: secs % 60,
                      microsecond: Int(rest % 1_000_000), epochDay: Int(day))
    }

    /// Monday is 0, as Python's `weekday()`.
    var weekday: Int { ((fields.epochDay + 3) % 7 + 7) % 7 }

    var str: String { isoformat(separator: " ") }

    func isoformat(separator: String = "T") -> String {
        let f = fields
        var s = String(format: "%04d-%02d-%02d", f.year, f.month, f.day) + separator
            + String(format: "%02d:%02d:%02d", f.hour, f.minute, f.second)
        if f.microsecond != 0 { s += String(format: ".%06d", f.microsecond) }
        return s
    }

    /// `ctime()`: `Mon Jan  1 00:00:00 2024`.
    var ctime: String {
        let f = fields
        return String(format: "%@ %@ %2d %02d:%02d:%02d %04d", NaiveDateTime.dayNames[weekday], NaiveDateTime.monthNames[f.month - 1],
                      f.day, f.hour, f.minute, f.second, f.year)
    }

    static let dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The C `struct tm` of this reading, `tm_isdst` -1 as Python's `timetuple()` of a naive datetime.
    var brokenDown: tm {
        let f = fields
        var t = tm()
        t.tm_year = Int32(f.year - 1900)
        t.tm_mon = Int32(f.month - 1)
        t.tm_mday = Int32(f.day)
        t.tm_hour = Int32(f.hour)
        t.tm_min = Int32(f.minute)
        t.tm_sec = Int32(f.second)
        t.tm_wday = Int32((weekday + 1) % 7)
        t.tm_yday = Int32(f.epochDay - NaiveDateTime.daysFromCivil(f.year, 1, 1))
        t.tm_isdst = -1
        return t
    }

    /// `timestamp()`: the reading taken as local time, as Python does for a naive datetime.
    var timestamp: Double {
        var t = brokenDown
        let secs = mktime(&t)
        return Double(secs) + Double(fields.microsecond) / 1e6
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }
}

/// A Python timedelta, kept as microseconds; `days`, `seconds` and `microseconds` are Python's
/// normalised parts (only `days` negative).
struct TimeDelta: Equatable, Comparable {
    let microseconds: Int64

    static func < (a: TimeDelta, b: TimeDelta) -> Bool { a.microseconds < b.microseconds }

    /// Python's limit is |days| ≤ 999999999, past what 64 bits of microseconds hold; provision
    /// fails sooner (only `delta * n` gets there), with an error rather than another value.
    static let limit: Int64 = Int64.max / 2

    var parts: (days: Int, seconds: Int, microseconds: Int) {
        let (d, rest) = floorDivide(microseconds, NaiveDateTime.perDay)
        return (Int(d), Int(rest / 1_000_000), Int(rest % 1_000_000))
    }

    var totalSeconds: Double { Double(microseconds) / 1e6 }

    /// `str(timedelta)`: `1 day, 2:03:04`, `-1 day, 23:59:59.500000`.
    var str: String {
        let (d, s, us) = parts
        var out = String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        if d != 0 { out = "\(d) day\(abs(d) == 1 ? "" : "s"), " + out }
        if us != 0 { out += String(format: ".%06d", us) }
        return out
    }
}

/// Python's floor division and modulo of two integers (the remainder has the divisor's sign).
func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
    var q = a / b, r = a % b
    if r != 0, (r < 0) != (b < 0) { q -= 1; r += b }
    return (q, r)
}
