import CLibSSH2
import Foundation
import ProvisionCore

/// Opens an authenticated session to one target: ssh_config, TCP (or a ProxyJump tunnel),
/// handshake, host-key check, authentication, each bounded by `connectTimeout`.
///
/// Every failure is a `TransportError` of kind `.unreachable`, `.hostKey` or `.authentication`.
struct SSHConnector {
    var configFile: String?
    var agentSocket: String?

    func open(_ target: ConnectionTarget) throws -> (SSHSession, ProxyJumpTunnel?) {
        // The inventory loader refuses these already; a value set while running (add_host,
        // set_fact) must not reach C strings (a NUL cuts the address) or known_hosts either.
        for (what, text) in [("address", target.address), ("user", target.user ?? "")]
        where text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw TransportError(.unreachable, host: target.name,
                                 "the \(what) \(TerminalSafe.escape(text)) contains a control character; not connecting")
        }
        let resolved = SSHConfigResolver(configFile: configFile).resolve(target)
        let timeout = target.connectTimeout
        var tunnel: ProxyJumpTunnel?
        let fd: Int32
        if let jump = resolved.proxyJump {
            let opened = try ProxyJumpTunnel.open(through: jump, to: resolved, for: target, connector: self)
            tunnel = opened
            fd = opened.localSocket
        } else {
            do {
                fd = try SocketConnector.connect(host: resolved.hostName, port: resolved.port, timeout: timeout)
            } catch let failure as SocketConnector.Failure {
                throw TransportError(.unreachable, host: target.name, failure.reason)
            }
        }
        let session = try SSHSession(host: target.name, socket: fd, keepaliveInterval: target.keepaliveInterval)
        let knownHosts = target.knownHostsFile.map(SSHConfigResolver.expandTilde)
            ?? SSHConfigResolver.home + "/.ssh/known_hosts"
        let verifier = HostKeyVerifier(policy: target.hostKeyChecking, path: knownHosts, host: target.name,
                                       lookupName: HostKey.knownHostsName(host: resolved.hostName, port: resolved.port))
        let knownHostsFile = verifier.load()
        session.preferHostKeyTypes(verifier.knownKeyTypes(in: knownHostsFile))
        let place = "\(resolved.hostName) port \(resolved.port)"
        do {
            try session.handshake(until: Date().addingTimeInterval(timeout))
        } catch is SSHSession.DeadlineExceeded {
            throw TransportError(.unreachable, host: target.name,
                                 "SSH handshake with \(place) timed out after \(SocketConnector.format(timeout)) s")
        } catch let error as LibSSH2Error {
            throw error.transportError(.unreachable, context: "SSH handshake with \(place) failed")
        }
        guard let blob = session.hostKeyBlob() else {
            throw TransportError(.hostKey, host: target.name, "\(place) sent no host key")
        }
        try verifier.verify(HostKey(blob: blob), loaded: knownHostsFile)
        var identities = resolved.identityFiles
        for path in SSHAuthenticator.defaultIdentityFiles(home: SSHConfigResolver.home) where !identities.contains(path) {
            identities.append(path)
        }
        let authenticator = SSHAuthenticator(user: resolved.user, agentSocket: agentSocket,
                                             identityFiles: identities, passphrase: target.passphrase,
                                             password: target.password)
        do {
            try authenticator.authenticate(session, until: Date().addingTimeInterval(timeout))
        } catch is SSHSession.DeadlineExceeded {
            throw TransportError(.unreachable, host: target.name,
                                 "authentication with \(place) timed out after \(SocketConnector.format(timeout)) s")
        } catch let error as LibSSH2Error {
            throw error.transportError(.unreachable, context: "authenticating with \(place)")
        }
        session.keepalivesActive = true
        return (session, tunnel)
    }
}
