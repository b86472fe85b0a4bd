import Foundation

/// Puts new content at a remote path, atomically, after a `RemoteFileProbe` looked at it.
///
/// The plain case is one upload straight to the path (the transport writes a temporary file
/// beside it and renames). When the task asks for more — `validate`, `backup`, owner/group,
/// a symbolic mode, or the replaced file belonged to someone else — the content goes to a
/// temporary name in the same directory and one script validates it, backs up the old file,
/// restores the old owner, moves the new file into place and sets the attributes.
struct RemoteFileWriter {
    var state: RemoteFileProbe.State
    var attributes: FileAttributes
    var backup = false
    /// A command with `%s` for the file to check (`visudo -cf %s`), run before the move.
    var validate: String?
    /// Create missing parent directories (lineinfile/blockinfile `create`, copy to `dir/`).
    var createParents = false

    struct Outcome {
        var backupFile: String?
        var attributeChanges: [String]
    }

    func write(_ data: Data, in context: HostContext) throws -> Outcome {
        let path = state.path
        if state.parentMissing {
            guard createParents else {
                throw ModuleError("destination directory \((path as NSString).deletingLastPathComponent) does not exist")
            }
            var mk = ModuleScript(#"mkdir -p -- "$(dirname -- "$dest")" || die "cannot create the directory of $dest""#)
            mk.set("dest", path)
            try mk.run(in: context).check("cannot create the directory of \(path)")
        }
        // A replaced file keeps its mode unless the task sets one; a new one gets 0644.
        let uploadMode = attributes.numericMode ?? state.modeValue ?? 0o644
        let restoreOwner = state.exists && state.uid != nil && state.gid != nil
            && "\(state.uid ?? ""):\(state.gid ?? "")" != state.me
        let needsScript = validate != nil || (backup && state.exists) || attributes.owner != nil
            || attributes.group != nil || (attributes.mode != nil && attributes.numericMode == nil) || restoreOwner
        if !needsScript {
            try upload(data, to: path, mode: uploadMode, context)
            return Outcome(backupFile: nil, attributeChanges: [])
        }
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir.isEmpty ? "." : dir) + "/.provision-" + UUID().uuidString.prefix(8).lowercased()
            + "-" + (path as NSString).lastPathComponent
        try upload(data, to: tmp, mode: uploadMode, context)
        var script = ModuleScript(Self.finalizeBody)
        script.set("tmp", tmp)
        script.set("dest", path)
        script.set("backup", backup && state.exists)
        script.set("restore", restoreOwner ? "\(state.uid ?? ""):\(state.gid ?? "")" : "")
        script.set("validate", validate.map { $0.replacingOccurrences(of: "%s", with: Shell.quote(tmp)) } ?? "")
        attributes.apply(to: &script)
        let out = try script.run(in: context)
        try out.check("cannot write \(path)")
        return Outcome(backupFile: out.first("backup"), attributeChanges: FileAttributes.changed(in: out))
    }

    private func upload(_ data: Data, to path: String, mode: Int, _ context: HostContext) throws {
        do {
            try context.transport.upload(data, to: path, mode: mode, become: context.become)
        } catch let e as TransportError {
            throw e.isUnreachable ? e : ModuleError("cannot write \(path): \(e.message)")
        }
    }

    /// Timestamped backup beside the file, named as Ansible names them (`FILE.PID.DATE@TIME~`).
    static let finalizeBody = #"""
    trap 'rm -f -- "$tmp"' EXIT
    if [ -n "$validate" ]; then
      if ! _out=$(sh -c "$validate" 2>&1); then die "failed to validate: $_out"; fi
    fi
    if [ "$backup" = 1 ] && [ -e "$dest" ]; then
      _b="$dest.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
      cp -p -- "$dest" "$_b" || die "cannot back up $dest"
      pv backup "$_b"
    fi
    if [ -n "$restore" ]; then chown -- "$restore" "$tmp" 2>/dev/null || true; fi
    mv -f -- "$tmp" "$dest" || die "cannot move the new file to $dest"
    trap - EXIT
    pv_attrs "$dest"
    """#
}
