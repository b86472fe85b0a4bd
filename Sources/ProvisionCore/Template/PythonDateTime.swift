import Foundation

/// The text Python's naive `datetime` gives (`str(datetime.now())`, `strftime`), which is what
/// Ansible's `now(fmt=…)` and the template module's `template_mtime` show (`PythonTime` is the
/// datetime value itself).
enum PythonDateTime {
    /// `str(datetime)` of the moment in local time (or UTC): `YYYY-MM-DD HH:MM:SS`, then
    /// `.ffffff` when the microseconds are not zero.
    static func str(_ seconds: time_t, microseconds: Int, utc: Bool = false) -> String {
        let tm = brokenDown(seconds, utc: utc)
        var s = String(format: "%04d-%02d-%02d %02d:%02d:%02d", Int(tm.tm_year) + 1900, Int(tm.tm_mon) + 1,
                       Int(tm.tm_mday), Int(tm.tm_hour), Int(tm.tm_min), Int(tm.tm_sec))
        if microseconds > 0 { s += String(format: ".%06d", microseconds) }
        return s
    }

    static func str(_ date: Date, utc: Bool = false) -> String {
        let (s, us) = split(date)
        return str(s, microseconds: us, utc: utc)
    }

    /// `datetime.strftime` of a naive datetime: `%f` is the microseconds, `%z` and `%Z` are
    /// empty (no time zone), the rest is the C library's strftime, as Python calls it.
    static func strftime(_ pattern: String, _ date: Date, utc: Bool = false) -> String {
        let (s, us) = split(date)
        var tm = brokenDown(s, utc: utc)
        return strftime(pattern, &tm, microseconds: us)
    }

    /// `datetime.strftime` of the broken-down time `tm` with `us` microseconds.
    static func strftime(_ pattern: String, _ tm: inout tm, microseconds us: Int) -> String {
        var rewritten = ""
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            guard c == "%" else { rewritten.append(c); continue }
            guard let d = chars.next() else { rewritten.append("%"); break }
            switch d {
            case "f": rewritten += String(format: "%06d", us)
            case "z", "Z": break
            default: rewritten.append("%"); rewritten.append(d)
            }
        }
        return cStrftime(rewritten, tm)
    }

    /// `time.strftime(pattern, time.localtime(seconds))`.
    static func cStrftime(_ pattern: String, _ seconds: time_t) -> String {
        cStrftime(pattern, brokenDown(seconds, utc: false))
    }

    private static func cStrftime(_ pattern: String, _ tmIn: tm) -> String {
        guard pattern.contains("%") else { return pattern }
        var tm = tmIn
        var size = 256 + pattern.utf8.count * 4
        while size < 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            let n = Foundation.strftime(&buffer, size, pattern, &tm)
            if n > 0 { return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            size *= 4
        }
        return ""
    }

    private static func split(_ date: Date) -> (time_t, Int) {
        let t = date.timeIntervalSince1970
        let whole = t.rounded(.down)
        return (time_t(whole), min(999_999, Int((t - whole) * 1_000_000)))
    }

    private static func brokenDown(_ seconds: time_t, utc: Bool) -> tm {
        var t = seconds
        var out = tm()
        if utc { gmtime_r(&t, &out) } else { localtime_r(&t, &out) }
        return out
    }
}
