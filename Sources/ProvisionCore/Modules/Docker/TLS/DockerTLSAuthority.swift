import Foundation

/// The controller-side directory of `docker_daemon tls: true` (default `~/.provision/docker-tls`):
///
/// ```
/// ca.pem  ca-key.pem (0600)              the CA, created once, never replaced
/// hosts/<inventory name>/server-cert.pem, server-key.pem (0600)
/// client/ca.pem  client/cert.pem  client/key.pem (0600)   DOCKER_CERT_PATH for the user
/// ```
///
/// Safe to use from many hosts' tasks at once and from several `provision` processes: every
/// change happens under `ControllerFile.withLock` (a process lock plus `flock`), the CA is
/// created with `link` so an existing one is never overwritten, and every file is written to
/// a temporary name and moved into place. Private keys are only ever held as `Secret`.
public struct DockerTLSAuthority {
    public static let defaultDirectory = "~/.provision/docker-tls"

    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var caCertificatePath: String { directory + "/ca.pem" }
    public var caKeyPath: String { directory + "/ca-key.pem" }
    public var clientDirectory: String { directory + "/client" }

    /// Where a host's server certificate and key are kept: `hosts/<name>` with anything but
    /// letters, digits, `.`, `-` and `_` in the name replaced by `_`.
    public func hostDirectory(_ host: String) -> String {
        let safe = String(host.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
        })
        return directory + "/hosts/" + (safe.isEmpty || safe == "." || safe == ".." ? "_" : safe)
    }

    /// The CA, server certificate and client certificate `host` needs, made or renewed as the
    /// rules say (see `DockerCertificates.replacementReason`). With `write: false` (check mode)
    /// nothing is created or changed: what would be done is listed in `actions`, and material
    /// that does not exist yet is nil.
    public func prepare(host: String, names: [String], write: Bool, now: Date = Date()) throws -> DockerTLSMaterial {
        if !write { return try plan(host: host, names: names, now: now) }
        try ControllerFile.ensureDirectory(directory)
        return try ControllerFile.withLock(in: directory) {
            var m = DockerTLSMaterial()
            let ca = try loadOrCreateAuthority(&m, now: now)
            m.caPEM = try ca.certificatePEM
            try ensureServer(host: host, names: names, ca: ca, &m, now: now)
            try ensureClient(ca: ca, &m, now: now)
            authorityWarnings(ca, &m, now: now)
            return m
        }
    }

    private func plan(host: String, names: [String], now: Date) throws -> DockerTLSMaterial {
        var m = DockerTLSMaterial()
        guard let ca = try loadAuthority() else {
            m.actions = ["would create a CA in \(directory)", "would issue a server certificate for \(host)",
                         "would write the client certificate to \(clientDirectory)"]
            return m
        }
        m.caPEM = try ca.certificatePEM
        let dir = hostDirectory(host)
        if let cert = try ControllerFile.read(dir + "/server-cert.pem"),
           let key = try ControllerFile.read(dir + "/server-key.pem").map(Secret.init),
           DockerCertificates.replacementReason(certificatePEM: cert, keyPEM: key, names: names, ca: ca, now: now) == nil {
            m.serverCertificatePEM = cert
            m.serverKey = key
        } else {
            m.actions.append("would issue a server certificate for \(host)")
        }
        if try clientReplacementReason(ca: ca, now: now) != nil {
            m.actions.append("would write the client certificate to \(clientDirectory)")
        }
        authorityWarnings(ca, &m, now: now)
        return m
    }

    /// The existing CA, nil when there is none yet. Throws for a half or broken one.
    func loadAuthority() throws -> DockerCertificates.Authority? {
        let cert = try ControllerFile.read(caCertificatePath)
        let key = try ControllerFile.read(caKeyPath).map(Secret.init)
        switch (cert, key) {
        case (nil, nil):
            return nil
        case (.some, nil):
            throw ModuleError("\(caCertificatePath) exists but \(caKeyPath) does not, so no certificate can be signed. Put the CA key back, or move \(directory) away to start a new CA (every node then gets a new certificate and the client certificate is replaced)")
        case (nil, .some):
            // Only this process can finish it, under the lock (see loadOrCreateAuthority).
            return nil
        case (.some(let c), .some(let k)):
            do {
                return try DockerCertificates.Authority(certificatePEM: c, keyPEM: k)
            } catch {
                throw ModuleError("the CA in \(directory) cannot be used (\(Self.reason(error))). Fix it, or move the directory away to start a new CA")
            }
        }
    }

    private func loadOrCreateAuthority(_ m: inout DockerTLSMaterial, now: Date) throws -> DockerCertificates.Authority {
        if let ca = try loadAuthority() { return ca }
        let ca: DockerCertificates.Authority
        if let key = try ControllerFile.read(caKeyPath).map(Secret.init) {
            // A run stopped between writing the key and the certificate: nothing was signed
            // yet, so the key gets its certificate now instead of being replaced.
            ca = try DockerCertificates.makeAuthority(reusing: key, now: now)
        } else {
            ca = try DockerCertificates.makeAuthority(now: now)
            let keyPEM = try ca.key.serializeAsPEM().pemString
            guard try ControllerFile.createOnce(Data(keyPEM.utf8), at: caKeyPath, mode: 0o600) else {
                // Someone outside the lock made one meanwhile: use theirs, never replace it.
                return try loadAuthority().orThrow(ModuleError("\(caKeyPath) appeared while the CA was being created; run again"))
            }
        }
        guard try ControllerFile.createOnce(Data(try ca.certificatePEM.utf8), at: caCertificatePath, mode: 0o644) else {
            return try loadAuthority().orThrow(ModuleError("\(caCertificatePath) appeared while the CA was being created; run again"))
        }
        m.actions.append("created a CA in \(directory)")
        return ca
    }

    private func ensureServer(host: String, names: [String], ca: DockerCertificates.Authority,
                              _ m: inout DockerTLSMaterial, now: Date) throws {
        let dir = hostDirectory(host)
        let certPath = dir + "/server-cert.pem", keyPath = dir + "/server-key.pem"
        var why = "there was none"
        if let cert = try ControllerFile.read(certPath), let key = try ControllerFile.read(keyPath).map(Secret.init) {
            guard let reason = DockerCertificates.replacementReason(certificatePEM: cert, keyPEM: key, names: names, ca: ca, now: now) else {
                m.serverCertificatePEM = cert
                m.serverKey = key
                return
            }
            why = reason
        }
        try ControllerFile.ensureDirectory(dir)
        let issued = try DockerCertificates.issueServer(commonName: host, names: names, by: ca, now: now)
        // Key first: a run stopped between the two leaves a pair that does not match, which
        // the next run replaces, never a new certificate beside an old key.
        try ControllerFile.replace(Data(issued.keyPEM.reveal().utf8), at: keyPath, mode: 0o600)
        try ControllerFile.replace(Data(issued.certificatePEM.utf8), at: certPath, mode: 0o644)
        m.serverCertificatePEM = issued.certificatePEM
        m.serverKey = issued.keyPEM
        m.actions.append("issued a server certificate for \(host) (\(why))")
    }

    /// Why the client files must be (re)written, nil when they are good.
    func clientReplacementReason(ca: DockerCertificates.Authority, now: Date) throws -> String? {
        guard let cert = try ControllerFile.read(clientDirectory + "/cert.pem"),
              let key = try ControllerFile.read(clientDirectory + "/key.pem").map(Secret.init) else { return "there was none" }
        if let reason = DockerCertificates.replacementReason(certificatePEM: cert, keyPEM: key, names: nil, ca: ca, now: now) {
            return reason
        }
        if try ControllerFile.read(clientDirectory + "/ca.pem") != (try ca.certificatePEM) { return "its ca.pem differs" }
        return nil
    }

    private func ensureClient(ca: DockerCertificates.Authority, _ m: inout DockerTLSMaterial, now: Date) throws {
        guard let why = try clientReplacementReason(ca: ca, now: now) else { return }
        try ControllerFile.ensureDirectory(clientDirectory)
        let issued = try DockerCertificates.issueClient(by: ca, now: now)
        try ControllerFile.replace(Data(try ca.certificatePEM.utf8), at: clientDirectory + "/ca.pem", mode: 0o644)
        try ControllerFile.replace(Data(issued.keyPEM.reveal().utf8), at: clientDirectory + "/key.pem", mode: 0o600)
        try ControllerFile.replace(Data(issued.certificatePEM.utf8), at: clientDirectory + "/cert.pem", mode: 0o644)
        m.actions.append("wrote the client certificate to \(clientDirectory) (\(why))")
    }

    private func authorityWarnings(_ ca: DockerCertificates.Authority, _ m: inout DockerTLSMaterial, now: Date) {
        if ca.certificate.notValidAfter < now + DockerCertificates.renewalMargin {
            m.warnings.append("the CA in \(directory) expires on \(DockerCertificates.day(ca.certificate.notValidAfter)); provision never replaces a CA by itself: move the directory away and run again to make a new one (every node and the client then get new certificates)")
        }
        if let mode = ControllerFile.mode(of: caKeyPath), mode & 0o077 != 0 {
            m.warnings.append("\(caKeyPath) is readable by others (mode \(String(mode, radix: 8))); run: chmod 600 \(caKeyPath)")
        }
    }

    static func reason(_ error: Error) -> String {
        (error as? ModuleError)?.message ?? String(describing: type(of: error))
    }
}

fileprivate extension Optional {
    func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
