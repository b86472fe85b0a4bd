import Foundation

/// Jinja's and Ansible's math and shaping filters: pow, log, root, truncate, escape, batch,
/// slice, groupby — with Python's results (math.pow and friends give floats).
extension FilterLibrary {
    static let jinjaFilters: [String: Filter] = [
        "pow": plain { call in
            guard let x = try call.value().strictNumber, let y = try call.args.required(0, "y").strictNumber else {
                throw call.fail("needs numbers")
            }
            return .double(Foundation.pow(x.double, y.double))
        },
        "log": plain { call in
            guard let x = try call.value().strictNumber else { throw call.fail("needs a number") }
            guard x.double > 0 else { throw call.fail("math domain error") }
            guard let base = try call.args.value(0, "base")?.strictNumber else { return .double(Foundation.log(x.double)) }
            if base.double == 10 { return .double(log10(x.double)) }
            return .double(Foundation.log(x.double) / Foundation.log(base.double))
        },
        "root": plain { call in
            guard let x = try call.value().strictNumber else { throw call.fail("needs a number") }
            let base = try call.args.value(0, "base")?.strictNumber?.double ?? 2
            if base == 2 { return .double(sqrt(x.double)) }
            return .double(Foundation.pow(x.double, 1.0 / base))
        },
        "truncate": plain { call in
            // Jinja: truncate(length=255, killwords=False, end='...', leeway=5).
            let s = try call.text()
            let length = try call.args.int(0, "length") ?? 255
            let killwords = try call.args.bool(1, "killwords") ?? false
            let end = try call.args.string(2, "end") ?? "..."
            let leeway = try call.args.int(3, "leeway") ?? 5
            let endCount = end.unicodeScalars.count
            guard length >= endCount else { throw call.fail("expected length >= \(endCount), got \(length)") }
            let (limit, overflow) = length.addingReportingOverflow(leeway)
            if overflow || s.unicodeScalars.count <= limit { return .string(s) }
            let head = PythonString.string(s.unicodeScalars.prefix(length - endCount))
            if killwords { return .string(head + end) }
            let cut = head.range(of: " ", options: .backwards).map { String(head[..<$0.lowerBound]) } ?? head
            return .string(cut + end)
        },
        "escape": plain { .string(htmlEscape(try $0.text())) },
        "e": plain { .string(htmlEscape(try $0.text())) },
        "batch": plain { call in
            guard let n = try call.args.int(0, "linecount"), n > 0 else { throw call.fail("needs a positive count") }
            let fill = try call.args.value(1, "fill_with")
            var out: [Value] = [], current: [Value] = []
            for item in try call.list() {
                current.append(item)
                if current.count == n { out.append(.list(current)); current = [] }
            }
            if !current.isEmpty {
                if let fill { current += Array(repeating: fill, count: n - current.count) }
                out.append(.list(current))
            }
            return .list(out)
        },
        "slice": plain { call in
            // Jinja's slice: `slices` columns, the first len % slices of them one item longer.
            guard let slices = try call.args.int(0, "slices"), slices > 0 else { throw call.fail("needs a positive count") }
            _ = try PythonString.width(slices, "slice count")
            let fill = try call.args.value(1, "fill_with")
            let items = try call.list()
            let per = items.count / slices, extra = items.count % slices
            var out: [Value] = [], offset = 0
            for i in 0..<slices {
                let start = offset + i * per
                if i < extra { offset += 1 }
                let end = offset + (i + 1) * per
                var tmp = Array(items[start..<end])
                if let fill, i >= extra { tmp.append(fill) }
                out.append(.list(tmp))
            }
            return .list(out)
        },
        "groupby": plain { call in
            // Jinja's groupby(attribute): [grouper, items] pairs sorted by the grouper.
            // Jinja 3.1: keys compare lower-cased unless case_sensitive; a group's grouper is
            // its first item's own value.
            guard let attribute = try call.args.string(0, "attribute") else { throw call.fail("needs an attribute") }
            let fallback = try call.args.value(1, "default")
            let caseSensitive = try call.args.bool(2, "case_sensitive") ?? false
            var groups: [(key: Value, grouper: Value, items: [Value])] = []
            for item in try call.list() {
                let found = attributeValue(item, attribute)
                let original = found.isUndefined && fallback != nil ? fallback ?? .null : try found.value(at: call.args.offset)
                var key = original
                if !caseSensitive, case .string(let s) = original { key = .string(s.lowercased()) }
                if let i = groups.firstIndex(where: { $0.key.templateEquals(key) }) { groups[i].items.append(item) }
                else { groups.append((key, original, [item])) }
            }
            var failed = false
            groups.sort { a, b in
                guard let r = a.key.templateCompare(b.key) else { failed = true; return false }
                return r == .orderedAscending
            }
            if failed { throw call.fail("cannot sort the groups: their keys are of different types") }
            return .list(groups.map { .tuple([$0.grouper, .list($0.items)]) })
        },
    ]

    /// markupsafe's escape: & < > " ' as entities.
    static func htmlEscape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
