import Foundation

/// Reads the output of `ServiceFactsModule.script` into Ansible's `services` dict. Pure.
enum ServiceFactsParser {
    static let badStates: [String] = ["not-found", "masked", "failed"]

    static func parse(_ text: String) -> [String: Value] {
        let s = FactParser.sections(text)
        var services: [String: Value] = [:]
        var status: [String: String] = [:]
        for line in s["sysv"] ?? [] {
            guard let m = line.range(of: #"^\s*\[ (\+|-) \]\s+(.+)$"#, options: .regularExpression) else { continue }
            let l = String(line[m])
            let running = l.contains("[ + ]")
            let name = l.replacingOccurrences(of: #"^\s*\[ [+-] \]\s+"#, with: "", options: .regularExpression)
            services[name] = .dict(["name": .string(name), "state": .string(running ? "running" : "stopped"), "source": "sysv"])
        }
        for line in (s["units"] ?? []) where line.contains(".service") {
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var st = "unknown"
            if let bad = badStates.first(where: { fields.contains($0) }) {
                st = bad
                fields = Array(fields.dropFirst())
            } else if fields.count > 2 {
                st = fields[2]
            }
            guard fields.count > 3 else { continue }
            let name = fields[0]
            status[name] = st
            services[name] = .dict(["name": .string(name), "state": .string(fields[3] == "running" ? "running" : "stopped"),
                                    "status": .string(st), "source": "systemd"])
        }
        var states: [String: String] = [:]
        for line in s["states"] ?? [] {
            let p = line.split(separator: " ", maxSplits: 1).map(String.init)
            states[p[0]] = p.count > 1 ? p[1] : ""
        }
        for line in (s["files"] ?? []) where line.contains(".service") {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard f.count >= 2 else { continue }
            let (name, st) = (f[0], f[1])
            if let known = status[name] {
                if !badStates.contains(known), case .dict(var d)? = services[name] {
                    d["status"] = .string(st)
                    services[name] = .dict(d)
                }
            } else {
                let active = states[name].flatMap { $0.isEmpty ? nil : $0 } ?? "unknown"
                services[name] = .dict(["name": .string(name), "state": .string(active), "status": .string(st), "source": "systemd"])
            }
        }
        return services
    }
}
