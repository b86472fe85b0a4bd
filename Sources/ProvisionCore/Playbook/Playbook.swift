/// A loaded playbook: its plays in order, every task already checked (keys, module, arguments,
/// variables), so running it contacts no host before the whole file is known to be valid.
public struct Playbook: Sendable {
    /// The playbook file, as given.
    public var path: String
    public var plays: [Play]

    public init(path: String, plays: [Play]) {
        self.path = path
        self.plays = plays
    }

    /// The directory relative controller paths (`copy: src=`, `vars_files`) are resolved in.
    public var directory: String {
        let dir = (path as NSString).deletingLastPathComponent
        return dir.isEmpty ? "." : dir
    }
}

import Foundation
