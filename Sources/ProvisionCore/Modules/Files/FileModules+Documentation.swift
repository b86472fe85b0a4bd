/// `provision doc` pages of the file modules.
extension SlurpModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Read a file on the host, base64-encoded.",
        arguments: ["src": "The file on the host to read."],
        returns: [("content", "The file's bytes, base64-encoded (decode with b64decode)."),
                  ("encoding", "Always 'base64'."), ("source", "The path read.")],
        example: "- slurp:\n    src: /etc/hostname\n  register: hn\n- debug:\n    msg: \"{{ hn.content | b64decode }}\"")
}

extension FetchModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Copy a file from the host to the controller (dest/HOSTNAME/SRC, or dest with flat).",
        arguments: ["src": "The file on the host (not a directory).",
                    "dest": "A controller directory (or file, with flat); relative to the playbook's directory.",
                    "flat": "Put the file at dest itself (dest ending in / receives the file's name).",
                    "fail_on_missing": "Fail when src does not exist or is a directory.",
                    "validate_checksum": "Fail when the copy's SHA-1 differs from the host's."],
        returns: [("dest", "Where the file was put on the controller."), ("checksum", "SHA-1 of the file."),
                  ("remote_checksum", "SHA-1 on the host (when transferred)."), ("md5sum", "MD5 of the copy."),
                  ("file", "src, when nothing was transferred.")],
        example: "- fetch:\n    src: /etc/ssh/ssh_host_ed25519_key.pub\n    dest: keys/")
}

extension FindModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "List files on the host by name, type, age, size and content.",
        arguments: ["paths": "Directories to search.",
                    "patterns": "Shell patterns (or Python regexes with use_regex) on the base name; any may match.",
                    "excludes": "Patterns of base names to leave out.",
                    "contains": "A Python regex a line must match from its start (the whole file with read_whole_file); file_type=file only.",
                    "file_type": "Which kind of entry to return.",
                    "age": "Older than this (s, m, h, d, w); negative: younger.", "size": "At least this size (b, k, m, g, t); negative: at most.",
                    "recurse": "Descend into subdirectories.", "depth": "How deep to descend with recurse.",
                    "hidden": "Include names starting with a dot.", "follow": "Follow symbolic links to directories.",
                    "get_checksum": "Add the SHA-1 of regular files."],
        returns: [("files", "One stat-like dict per match (path, mode, size, uid, gid, pw_name, gr_name, mtime, isdir, isreg, islnk, …)."),
                  ("matched", "How many matched."), ("examined", "How many entries were looked at."),
                  ("skipped_paths", "Paths that could not be searched, with the reason.")],
        example: "- find:\n    paths: /var/log\n    patterns: '*.gz'\n    age: 4w\n    recurse: true\n  register: old")
}

extension TempfileModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Create a temporary file or directory on the host.",
        returns: [("path", "The path created.")],
        example: "- tempfile:\n    state: directory\n    suffix: build\n  register: tmp")
}

extension IniFileModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Set, add or remove options and sections of an INI file (community.general.ini_file).",
        arguments: ["section": "The section; none: the options before the first section.",
                    "option": "The option; none with state=absent removes the whole section.",
                    "value": "The option's value.", "values": "Several values for a repeated option.",
                    "exclusive": "Remove other occurrences of the option (present) or all of them (absent).",
                    "no_extra_spaces": "Write option=value without spaces.",
                    "allow_no_value": "Allow an option without a value.", "create": "Create a missing file."],
        returns: [("path", "The file."), ("msg", "What was done (OK, option added, option changed, section removed, …)."),
                  ("backup_file", "The backup, when one was made.")],
        example: "- community.general.ini_file:\n    path: /etc/app.ini\n    section: db\n    option: host\n    value: db1\n    mode: '0600'")
}

extension AssembleModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Assemble a file from a directory of fragments.",
        returns: [("dest", "The assembled file."), ("checksum", "SHA-1 of its content."), ("md5sum", "MD5 of its content."),
                  ("backup_file", "The backup, when one was made.")],
        example: "- assemble:\n    src: /etc/someapp/fragments\n    dest: /etc/someapp/someapp.conf\n    delimiter: '### fragment'")
}

extension UnarchiveModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Unpack a tar (gz, bz2, xz) or zip archive from the controller or the host into a directory.",
        arguments: ["src": "The archive: on the controller (looked up in files/), or on the host with remote_src.",
                    "dest": "An existing directory on the host.", "remote_src": "src is already on the host.",
                    "creates": "Do nothing when this path exists.", "list_files": "Return the archive's members in files.",
                    "exclude": "Members to leave out.", "include": "Only these members.",
                    "extra_opts": "More options for tar or unzip.", "keep_newer": "Do not replace files newer than the archive's."],
        returns: [("dest", "The directory."), ("handler", "TgzArchive, TarArchive or ZipArchive."),
                  ("files", "The members, with list_files."), ("state", "directory.")],
        example: "- unarchive:\n    src: app.tar.gz\n    dest: /opt/app\n    creates: /opt/app/bin/app")
}

extension SynchronizeModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "rsync between the controller and the host over the host's SSH login (ansible.posix.synchronize).",
        arguments: ["src": "Controller path (push; files/ lookup, a trailing / copies the contents) or host path (pull).",
                    "dest": "Host path (push) or controller path (pull).", "mode": "push or pull.",
                    "delete": "Delete files in dest that src lacks.", "checksum": "Compare by checksum, not time and size.",
                    "rsync_opts": "More rsync options.", "rsync_path": "The rsync to run on the host (default 'sudo -n rsync' with become)."],
        returns: [("cmd", "The rsync command line."), ("msg", "rsync's itemized output."), ("rc", "rsync's exit status.")],
        example: "- synchronize:\n    src: site/\n    dest: /var/www/site/\n    delete: true")
}
