import Foundation

/// `tls: true`: the controller's certificates for this host, compared with what the node has,
/// and the node's files staged beside their final names for the apply script to move in.
extension DockerDaemonModule {
    /// One file of `/etc/docker/tls` that the node lacks or has with other content.
    struct TLSFile {
        var path: String
        var content: Data
        var mode: Int
        /// Where it is uploaded first; the apply script moves it to `path` (and back on rollback).
        var stagedPath: String { path + ".provision-new" }
    }

    /// What the node needs for TLS, and the controller-side changes made (or, in check mode,
    /// that would be made) to get it.
    struct TLSInstall {
        var material: DockerTLSMaterial
        /// Files to put on the node; empty when it already has them all.
        var files: [TLSFile]
        /// In check mode without a CA yet the content is unknown but the node will change.
        var pending: Bool
        var diffs: [FileDiff]
        var needsInstall: Bool { pending || !files.isEmpty }
    }

    /// The address provision reaches the host at: `ansible_host`, else its inventory name.
    static func sshAddress(_ context: HostContext) -> String {
        ClusterHost.address(name: context.host, vars: context.vars)
    }

    func prepareTLS(_ context: HostContext, probe: KeyValueReport) throws -> TLSInstall {
        let hostname = probe["hostname"].flatMap { $0.isEmpty ? nil : $0 }
        let names = DockerDaemonPlan.certificateNames(sshAddress: Self.sshAddress(context), inventoryName: context.host,
                                                      hostname: hostname, hosts: hosts, extra: tlsSAN)
        let authority = DockerTLSAuthority(directory: context.controllerPath(tlsDirectory))
        let material: DockerTLSMaterial
        do {
            material = try authority.prepare(host: context.host, names: names, write: !context.checkMode)
        } catch let e as ModuleError {
            throw e
        } catch {
            // A library error: its type says enough, and its text is kept out of messages.
            throw ModuleError("cannot make the TLS certificates in \(authority.directory): \(DockerTLSAuthority.reason(error))")
        }
        var install = TLSInstall(material: material, files: [], pending: false, diffs: [])

        let nodeCA = probe["tls_ca_b64"].flatMap(Self.decode)
        let nodeCert = probe["tls_cert_b64"].flatMap(Self.decode)
        let nodeKey = probe["tls_key"]   // "SHA256 MODE:UID": the key itself never leaves the node
        for (path, node, want) in [(DockerDaemonPlan.tlsCAPath, nodeCA, material.caPEM),
                                   (DockerDaemonPlan.tlsCertPath, nodeCert, material.serverCertificatePEM)] {
            guard node != want || want == nil else { continue }
            if let want { install.files.append(TLSFile(path: path, content: Data(want.utf8), mode: 0o644)) }
            else { install.pending = true }
            install.diffs.append(FileDiff(path: path, before: node.map(DockerCertificates.summary) ?? "",
                                          after: want.map(DockerCertificates.summary) ?? "(a certificate not made yet)\n"))
        }
        let keyText = material.serverKey?.reveal()
        let wantedKey = keyText.map { DockerCertificates.fingerprint($0) + " 600:0" }
        if nodeKey == nil || wantedKey == nil || nodeKey != wantedKey {
            if let keyText { install.files.append(TLSFile(path: DockerDaemonPlan.tlsKeyPath, content: Data(keyText.utf8), mode: 0o600)) }
            else { install.pending = true }
            // Never the key's text: only that it changes.
            install.diffs.append(FileDiff(path: DockerDaemonPlan.tlsKeyPath,
                                          before: nodeKey == nil ? "" : "(private key, not shown)\n",
                                          after: "(private key, not shown, mode 0600 root)\n"))
        }
        return install
    }

    /// Uploads the changed files next to their final names. The key travels as the upload's
    /// stdin (the transport's atomic write), never on a command line.
    func stageTLS(_ install: TLSInstall, probe: KeyValueReport, in context: HostContext) throws {
        guard !install.files.isEmpty else { return }
        if probe["tls_dir"] != "1" {
            let mk = try context.run("mkdir -p \(Shell.quote(DockerDaemonPlan.tlsDirectory)) && chmod 755 \(Shell.quote(DockerDaemonPlan.tlsDirectory))", timeout: 60)
            guard mk.succeeded else {
                throw ModuleError("cannot create \(DockerDaemonPlan.tlsDirectory): \(SwarmInfo.excerpt(mk.stderrText))")
            }
        }
        for f in install.files {
            do {
                try context.transport.upload(f.content, to: f.stagedPath, mode: f.mode, become: context.become)
            } catch let e as TransportError {
                // The transport's message names the path and the remote error, not the content.
                if e.isUnreachable { throw e }
                throw ModuleError("cannot write \(f.stagedPath): \(e.message)")
            }
        }
    }

    /// The user's one-line way in, for the message and `docker_host`.
    static func clientCommand(certPath: String, dockerHost: String) -> String {
        "DOCKER_CERT_PATH=\(Shell.quote(certPath)) DOCKER_TLS_VERIFY=1 docker -H \(dockerHost) info"
    }

    /// `tcp://ADDRESS:PORT` for the first TCP listener, with the host's SSH address for a
    /// wildcard one. nil when dockerd has no TCP listener.
    func dockerHost(_ context: HostContext) -> String? {
        guard let tcp = hosts.first(where: { $0.hasPrefix("tcp://") }),
              let port = tcp.split(separator: ":").last else { return nil }
        let bound = tcp.dropFirst("tcp://".count).dropLast(port.count + 1)
        let wildcard = bound.isEmpty || bound == "0.0.0.0" || bound == "[::]"
        let address = wildcard ? Self.sshAddress(context) : String(bound)
        let shown = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        return "tcp://\(shown):\(port)"
    }

    /// Probe lines for TLS: the node's hostname (a certificate name), its CA and server
    /// certificate (public), and only a hash, mode and owner of its server key.
    static let tlsProbeScript = """
    echo "hostname=$(hostname 2>/dev/null || cat /etc/hostname 2>/dev/null)"
    t=\(DockerDaemonPlan.tlsDirectory)
    [ -d "$t" ] && echo tls_dir=1
    [ -f "$t/ca.pem" ] && echo "tls_ca_b64=$(base64 -w0 < "$t/ca.pem")"
    [ -f "$t/server-cert.pem" ] && echo "tls_cert_b64=$(base64 -w0 < "$t/server-cert.pem")"
    [ -f "$t/server-key.pem" ] && echo "tls_key=$(sha256sum < "$t/server-key.pem" | cut -d' ' -f1) $(stat -c '%a:%u' "$t/server-key.pem")"

    """
}
