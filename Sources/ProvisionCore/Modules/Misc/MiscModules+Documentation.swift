/// `provision doc` pages of the system, network and misc modules.
extension GetentModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Read a getent database (passwd, group, hosts, services, …) into the fact getent_DATABASE.",
        arguments: ["key": "One entry to look up.", "split": "Field separator (':' for passwd, shadow, group, gshadow; else whitespace).",
                    "fail_key": "Fail when key is not found."],
        returns: [("ansible_facts.getent_DATABASE", "Each entry's first field → the other fields.")],
        example: "- getent:\n    database: passwd\n    key: root\n- debug:\n    msg: \"{{ getent_passwd.root[4] }}\"")
}

extension ScriptModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Upload a controller script (from files/) and run it on the host.",
        returns: [("rc", "Exit status."), ("stdout", "Output."), ("stderr", "Error output."), ("stdout_lines", "Output lines.")],
        example: "- script: files/setup.sh --fast\n  args:\n    creates: /etc/setup-done")
}

extension AsyncStatusModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Report on a job started with async (its result file ~/.ansible_async/JID on the host).",
        returns: [("finished", "1 when the job has ended, else 0."), ("started", "1 while the job has started."),
                  ("ansible_job_id", "The job id."), ("results_file", "The job's result file."),
                  ("erased", "The file removed (mode=cleanup)."), ("rc, stdout, …", "The job's own result once finished.")],
        example: "- async_status:\n    jid: \"{{ job.ansible_job_id }}\"\n  register: st\n  until: st.finished\n  retries: 30")
}

extension KnownHostsModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Add or remove a host key in a known_hosts file on the host.",
        arguments: ["name": "The host name as in the key line.", "key": "The known_hosts line (host, type, key).",
                    "path": "The known_hosts file.", "hash_host": "Write the host name hashed."],
        returns: [("name", "The host."), ("path", "The file.")],
        example: "- known_hosts:\n    name: git.example.org\n    key: \"git.example.org ssh-ed25519 AAAAC3…\"")
}

extension URIModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Make an HTTP request from the host (with its curl).",
        arguments: ["url": "The URL.", "method": "HTTP method.", "body": "Request body (a mapping for json/form-urlencoded).",
                    "body_format": "How body is encoded.", "status_code": "Statuses that count as success.",
                    "return_content": "Return the body in content.", "dest": "Save the body to this file on the host.",
                    "headers": "Request headers.", "url_username": "Basic/digest user.", "url_password": "Its password.",
                    "force_basic_auth": "Send basic auth without waiting for a challenge.",
                    "follow_redirects": "safe: GET/HEAD only; all; none.", "timeout": "Seconds for the connection and idle reads.",
                    "validate_certs": "Check the server's TLS certificate."],
        returns: [("status", "HTTP status (-1 when no response)."), ("url", "The final URL."), ("redirected", "Whether it moved."),
                  ("json", "The parsed body of a JSON response."), ("content", "The body, with return_content."),
                  ("content_type, …", "Every response header, lowercase with '_'."), ("elapsed", "Seconds taken."),
                  ("path", "The file written, with dest.")],
        example: "- uri:\n    url: http://127.0.0.1:8080/health\n    return_content: true\n  register: health\n  until: health.status == 200\n  retries: 10")
}

extension WaitForConnectionModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Wait until the host can be reached and run a command again.",
        returns: [("elapsed", "Seconds waited.")],
        example: "- wait_for_connection:\n    delay: 5\n    timeout: 300")
}

extension GitModule: DocumentedModule {
    public static let documentation = ModuleDocumentation(
        summary: "Clone a git repository onto the host and keep it at a version (the host's git).",
        arguments: ["repo": "The repository URL or path.", "dest": "Where the working tree goes.",
                    "version": "Branch, tag, commit or HEAD.", "force": "Discard local modifications.",
                    "depth": "Shallow clone of this many commits.", "update": "Move an existing clone to version.",
                    "clone": "Create the clone when missing.", "key_file": "SSH key for ssh remotes.",
                    "accept_hostkey": "Accept an unknown SSH host key."],
        returns: [("before", "Commit before (null when there was no clone)."), ("after", "Commit after."),
                  ("remote_url_changed", "The remote's URL was changed to repo.")],
        example: "- git:\n    repo: https://example.org/app.git\n    dest: /opt/app\n    version: v1.2")
}
