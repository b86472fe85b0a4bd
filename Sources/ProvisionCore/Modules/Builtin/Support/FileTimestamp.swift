import Foundation

/// `file`'s `modification_time` / `access_time`: `preserve`, `now`, or a time written in
/// the matching `*_format` (Python's `strptime` directives, default `%Y%m%d%H%M.%S`).
///
/// A fixed time is turned into `touch -t CCYYMMDDhhmm.SS` text, which the host reads in its
/// own local time zone, as Ansible's `time.mktime` on the host does. Only the fields the
/// format names are taken; the rest default as `strptime` does (1900-01-01 00:00:00).
enum FileTimestamp: Equatable {
    case preserve
    case now
    /// `touch -t` text.
    case at(String)

    /// The value for the host script: empty (preserve), `now`, or `touch -t` text.
    var scriptValue: String {
        switch self {
        case .preserve: return ""
        case .now: return "now"
        case .at(let t): return t
        }
    }

    /// Parses an argument; nil means "not given" and takes `stateDefault`.
    static func parse(_ text: String?, format: String, name: String, stateDefault: FileTimestamp) throws -> FileTimestamp {
        guard let text else { return stateDefault }
        switch text {
        case "preserve": return .preserve
        case "now": return .now
        default:
            guard let fields = strptime(text, format) else {
                throw ModuleError("Error while obtaining timestamp for time \(text) using format \(format): '\(name)' does not match the format")
            }
            return .at(fields)
        }
    }

    /// Python-`strptime` for the numeric directives playbooks use (`%Y %y %m %d %H %M %S %j`
    /// are not all needed: `%Y %y %m %d %H %M %S` and `%%`); returns `touch -t` text.
    static func strptime(_ text: String, _ format: String) -> String? {
        var year = 1900, month = 1, day = 1, hour = 0, minute = 0, second = 0
        let t = Array(text), f = Array(format)
        var i = 0, j = 0
        func number(maxDigits: Int) -> Int? {
            var k = i
            while k < t.count, k - i < maxDigits, t[k].isASCII, t[k].isNumber { k += 1 }
            guard k > i, let n = Int(String(t[i..<k])) else { return nil }
            i = k
            return n
        }
        while j < f.count {
            if f[j] == "%", j + 1 < f.count {
                let d = f[j + 1]
                j += 2
                switch d {
                case "Y": guard let n = number(maxDigits: 4) else { return nil }; year = n
                case "y": guard let n = number(maxDigits: 2) else { return nil }; year = n < 69 ? 2000 + n : 1900 + n
                case "m": guard let n = number(maxDigits: 2), (1...12).contains(n) else { return nil }; month = n
                case "d": guard let n = number(maxDigits: 2), (1...31).contains(n) else { return nil }; day = n
                case "H": guard let n = number(maxDigits: 2), (0...23).contains(n) else { return nil }; hour = n
                case "M": guard let n = number(maxDigits: 2), (0...59).contains(n) else { return nil }; minute = n
                case "S": guard let n = number(maxDigits: 2), (0...61).contains(n) else { return nil }; second = n
                case "%": guard i < t.count, t[i] == "%" else { return nil }; i += 1
                default: return nil
                }
            } else {
                guard i < t.count, t[i] == f[j] else { return nil }
                i += 1
                j += 1
            }
        }
        guard i == t.count else { return nil }
        return String(format: "%04d%02d%02d%02d%02d.%02d", year, month, day, hour, minute, second)
    }

    /// Shell function `pv_times PATH`: brings PATH's times to `$mtime`/`$atime` (empty:
    /// preserve, `now`, or `touch -t` text), printing `@@pv did …` when they change; `now`
    /// always changes, a fixed time only when the file's differs (compared at full precision
    /// through a reference file stamped the same way).
    static let shellFunction = #"""
    pv_times() {
      [ -z "$mtime$atime" ] && return 0
      _tc=0
      if [ "$mtime" = now ] || [ "$atime" = now ]; then _tc=1; fi
      if [ "$_tc" = 0 ] || [ "$check" != 1 ]; then
        _ref=$(mktemp) || die "mktemp failed"
        if [ -n "$mtime" ] && [ "$mtime" != now ]; then
          touch -m -t "$mtime" "$_ref" || { rm -f "$_ref"; die "invalid modification_time"; }
          [ "$(stat -c %y "$_ref")" = "$(stat -L -c %y -- "$1")" ] || _tc=1
        fi
        if [ -n "$atime" ] && [ "$atime" != now ]; then
          touch -a -t "$atime" "$_ref" || { rm -f "$_ref"; die "invalid access_time"; }
          [ "$(stat -c %x "$_ref")" = "$(stat -L -c %x -- "$1")" ] || _tc=1
        fi
        rm -f "$_ref"
      fi
      [ "$_tc" = 1 ] || return 0
      pv did "set times of $1"
      [ "$check" = 1 ] && return 0
      case $mtime in "") ;; now) touch -c -m -- "$1" ;; *) touch -c -m -t "$mtime" -- "$1" ;; esac || die "cannot set the modification time of $1"
      case $atime in "") ;; now) touch -c -a -- "$1" ;; *) touch -c -a -t "$atime" -- "$1" ;; esac || die "cannot set the access time of $1"
    }
    """#
}
