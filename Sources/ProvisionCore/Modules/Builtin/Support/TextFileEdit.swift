import Foundation

/// Runs a pure text edit against a remote file: one round trip reads it (and settles its
/// owner/group/mode), the edit is computed on the controller, and the new text is written
/// back atomically only when it differs. Used by `lineinfile` and `blockinfile`.
struct TextFileEdit {
    var path: String
    var attributes: FileAttributes
    var backup = false
    var validate: String?
    var create = false
    /// state=absent: a missing file is fine and stays missing.
    var removing = false
    /// Where the backup's path goes in the result (`backup` for lineinfile, `backup_file` for
    /// blockinfile, as Ansible names them).
    var backupKey = "backup"

    struct Edit {
        var text: String
        var changed: Bool
        var message: String
        var data: [String: Value] = [:]
    }

    func run(in context: HostContext, _ edit: (String?) throws -> Edit) throws -> ModuleResult {
        let probe = RemoteFileProbe(path: path, attributes: attributes, appendName: nil, readContent: true)
        let state = try probe.run(in: context)
        var data: [String: Value] = ["path": .string(state.path)]
        switch state.kind {
        case .directory: return .failed("path \(path) is a directory", data: data)
        case .other: return .failed("path \(path) is not a regular file", data: data)
        case .missing:
            if removing { return .ok(data, message: "file not present") }
            if !create { return .failed("destination \(path) does not exist (set create: true to create it)", data: data) }
        case .file: break
        }
        var original: String?
        if state.exists {
            guard let text = String(data: state.content ?? Data(), encoding: .utf8) else {
                return .failed("\(path) is not UTF-8 text", data: data)
            }
            original = text
        }
        let result = try edit(original)
        data.merge(result.data) { _, b in b }
        let attrs = state.attributeChanges
        let contentChanged = result.changed && (original == nil || result.text != original)
        var messages: [String] = []
        if contentChanged { messages.append(result.message) }
        if !attrs.isEmpty { messages.append(ContentDeployment.attrMessage(attrs)) }
        var diffs: [FileDiff] = []
        if contentChanged && context.diffMode {
            diffs.append(FileDiff(path: state.path, before: original ?? "", after: result.text))
        }
        if context.diffMode { diffs += state.attributeDiffs }
        if contentChanged && !context.checkMode {
            var writer = RemoteFileWriter(state: state, attributes: attributes, backup: backup, validate: validate)
            writer.createParents = true
            let outcome = try writer.write(Data(result.text.utf8), in: context)
            if let b = outcome.backupFile { data[backupKey] = .string(b) }
        }
        let changed = contentChanged || !attrs.isEmpty
        return ModuleResult(changed: changed, message: messages.isEmpty ? nil : messages.joined(separator: " and "),
                            diffs: diffs, data: data)
    }
}
