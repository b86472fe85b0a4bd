import Foundation

/// Reads a play's `vars_files` for one host when some entries are templates, as Ansible's
/// variable manager does each time it computes a task's variables: entries in order, each
/// rendered with the host's variables so far (earlier entries included); of a list of
/// candidates the first file found is read.
///
/// As Ansible: a candidate that cannot be rendered (an undefined variable) skips the whole
/// entry while the host has no gathered facts, and is an error once it has; an entry none of
/// whose candidates exists is an error ("vars file … was not found"). Both errors stop the
/// whole run, as Ansible's ERROR! does.
struct VarsFilesResolver {
    /// Why a host's `vars_files` cannot be read: it ends the run.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let entries: [VarsFilesEntry]

    /// The host's `vars_files` variables, later entries winning. `scope(accumulated)` gives the
    /// host's scope with `accumulated` as its vars_files layer.
    func resolve(host: HostState, scope: ([String: Value]) -> any TemplateScope) throws -> [String: Value] {
        var out: [String: Value] = [:]
        for entry in entries {
            switch entry {
            case .loaded(let vars):
                out.merge(vars) { _, new in new }
            case .templated(let candidates, let location, let directory):
                let s = scope(out)
                var found: String?
                var undefined: String?
                for raw in candidates {
                    let rel: String
                    do {
                        rel = try Templating.renderString(raw, in: s)
                    } catch {
                        undefined = "\(error)"
                        break
                    }
                    if let path = VarsFilesEntry.searchPaths(rel, directory: directory)
                        .first(where: { FileManager.default.fileExists(atPath: $0) }) {
                        found = path
                        break
                    }
                }
                let written = candidates.count == 1 ? candidates[0] : "[" + candidates.joined(separator: ", ") + "]"
                if let undefined {
                    if host.factsGathered {
                        throw Failure(description: "\(location): an undefined variable was found when attempting to "
                                      + "template the vars_files item '\(written)': \(undefined)")
                    }
                    continue
                }
                guard let path = found else {
                    throw Failure(description: "\(location): vars file \(written) was not found on the controller "
                                  + "(looked in the playbook's vars/ and its directory)")
                }
                out.merge(try Self.read(path, location: location)) { _, new in new }
            }
        }
        return out
    }

    static func read(_ path: String, location: SourceLocation) throws -> [String: Value] {
        let value: Value
        do {
            value = try YAMLFile.load(path).map { try YAMLFile.value(of: $0, file: path) } ?? .null
        } catch {
            throw Failure(description: "\(path): \(error)")
        }
        switch value {
        case .null: return [:]
        case .dict(let d): return d.dictionary
        default:
            throw Failure(description: "\(path): a vars file must be a mapping of variable names to values (read for "
                          + "vars_files at \(location))")
        }
    }
}
