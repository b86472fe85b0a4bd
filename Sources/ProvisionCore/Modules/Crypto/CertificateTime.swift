import Foundation

/// The collection's time options (`selfsigned_not_after: +3650d`): a relative time
/// (`+32w1d2h`, `-1d`, `+0s`), an ASN.1 time (`20240101000000Z`, also with `+hhmm`), `always`
/// (1970) or `forever` (9999), as the `YYYYMMDDHHMMSSZ` text OpenSSL and the returned values use.
enum CertificateTime {
    static func resolve(_ spec: String, option: String, now: Date = Date()) throws -> String {
        let s = spec.trimmingCharacters(in: .whitespaces)
        if s == "always" { return "19700101000000Z" }
        if s == "forever" { return "99991231235959Z" }
        if s.range(of: #"^[0-9]{14}Z$"#, options: .regularExpression) != nil { return s }
        if let sign = s.first, sign == "+" || sign == "-" {
            var seconds = 0, number = "", sawUnit = false
            for c in s.dropFirst() {
                if c.isNumber { number.append(c); continue }
                let unit: Int
                switch c {
                case "w": unit = 7 * 86400
                case "d": unit = 86400
                case "h": unit = 3600
                case "m": unit = 60
                case "s": unit = 1
                default: throw ModuleError("The time spec \"\(spec)\" for \(option) is invalid")
                }
                guard let n = Int(number) else { throw ModuleError("The time spec \"\(spec)\" for \(option) is invalid") }
                seconds += n * unit
                number = ""
                sawUnit = true
            }
            guard sawUnit, number.isEmpty else { throw ModuleError("The time spec \"\(spec)\" for \(option) is invalid") }
            return format(now.addingTimeInterval(TimeInterval(sign == "+" ? seconds : -seconds)))
        }
        throw ModuleError("The time spec \"\(spec)\" for \(option) is invalid")
    }

    static func format(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMddHHmmss'Z'"
        return f.string(from: date)
    }
}
