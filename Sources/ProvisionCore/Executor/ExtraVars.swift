import Foundation

/// `-e` arguments: `key=value` pairs (values are strings, as in Ansible), a YAML/JSON mapping
/// written inline, or `@FILE` naming a YAML/JSON file. Later arguments win.
public enum ExtraVars {
    public static func parse(_ arguments: [String]) throws -> [String: Value] {
        var out: [String: Value] = [:]
        var problems = DiagnosticCollector()
        for (i, arg) in arguments.enumerated() {
            let trimmed = arg.trimmingCharacters(in: .whitespaces)
            let here = SourceLocation(file: "-e #\(i + 1)")
            if trimmed.hasPrefix("@") {
                let path = String(trimmed.dropFirst())
                do {
                    guard let node = try YAMLFile.load(path) else { continue }
                    guard case .dict(let d) = try YAMLFile.value(of: node, file: path) else {
                        problems.add("'\(path)' must hold a mapping of variable names to values", at: SourceLocation(file: path))
                        continue
                    }
                    out.merge(d) { _, new in new }
                } catch let e as LoadError {
                    e.diagnostics.forEach { problems.add($0) }
                }
            } else if trimmed.hasPrefix("{") {
                do {
                    guard let node = try YAMLFile.parse(trimmed, file: here.file),
                          case .dict(let d) = try YAMLFile.value(of: node, file: here.file) else {
                        problems.add("an inline -e value must be a mapping", at: here)
                        continue
                    }
                    out.merge(d) { _, new in new }
                } catch let e as LoadError {
                    e.diagnostics.forEach { problems.add($0) }
                }
            } else {
                switch PlaybookReader.keyValueArguments(trimmed) {
                case .success(let d) where !d.isEmpty: out.merge(d) { _, new in new }
                case .success: problems.add("empty -e value", at: here, hint: "use -e key=value, -e @vars.yml or -e '{\"key\": 1}'")
                case .failure(let why):
                    problems.add("-e takes key=value: \(why)", at: here, hint: "use -e key=value, -e @vars.yml or -e '{\"key\": 1}'")
                }
            }
        }
        try problems.throwIfAny()
        return out
    }
}
