import Crypto
import Foundation
import SwiftASN1
import X509

/// The pure part of `docker_daemon tls: true`: makes the CA, server and client certificates
/// with swift-certificates, and tells why an existing certificate must be replaced.
///
/// Keys are ECDSA P-256 (dockerd, the docker CLI and curl all accept them), written as PKCS#8
/// PEM. Private keys leave this type only as `Secret`, so they cannot reach a message by
/// string interpolation.
public enum DockerCertificates {
    /// How long a new CA lasts. It is never replaced automatically (that would orphan every
    /// client certificate), so it is long.
    public static let caLifetime: TimeInterval = 10 * 365 * 86_400
    /// How long a new server or client certificate lasts; they are replaced automatically once
    /// they come within `renewalMargin` of their end.
    public static let leafLifetime: TimeInterval = 2 * 365 * 86_400
    public static let renewalMargin: TimeInterval = 30 * 86_400
    /// Certificates start an hour in the past so a node whose clock lags a little accepts them.
    static let backdate: TimeInterval = 3600

    /// A CA: its certificate and the key that signs with it.
    public struct Authority {
        public var certificate: Certificate
        public var key: Certificate.PrivateKey

        public init(certificate: Certificate, key: Certificate.PrivateKey) {
            self.certificate = certificate
            self.key = key
        }

        /// Reads `ca.pem` and `ca-key.pem`; throws when they are unreadable or do not belong together.
        public init(certificatePEM: String, keyPEM: Secret) throws {
            let cert = try Certificate(pemEncoded: certificatePEM)
            let key = try Certificate.PrivateKey(pemEncoded: keyPEM.reveal())
            guard key.publicKey == cert.publicKey else {
                throw ModuleError("the CA key does not belong to the CA certificate")
            }
            self.init(certificate: cert, key: key)
        }

        public var certificatePEM: String {
            get throws { try certificate.serializeAsPEM().pemString }
        }
    }

    /// A certificate with its private key, both as PEM.
    public struct Issued {
        public var certificatePEM: String
        public var keyPEM: Secret
    }

    /// A self-signed CA that may sign leaf certificates only (path length 0).
    public static func makeAuthority(now: Date = Date()) throws -> Authority {
        try makeAuthority(key: Certificate.PrivateKey(P256.Signing.PrivateKey()), now: now)
    }

    /// A CA certificate for a key that already exists: finishes a CA whose creation stopped
    /// after its key was written, without replacing the key.
    public static func makeAuthority(reusing keyPEM: Secret, now: Date = Date()) throws -> Authority {
        try makeAuthority(key: Certificate.PrivateKey(pemEncoded: keyPEM.reveal()), now: now)
    }

    static func makeAuthority(key: Certificate.PrivateKey, now: Date) throws -> Authority {
        let name = try DistinguishedName {
            OrganizationName("provision")
            CommonName("provision Docker CA")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: key.publicKey)
        }
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now - backdate, notValidAfter: now + caLifetime,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: key)
        return Authority(certificate: cert, key: key)
    }

    /// dockerd's certificate: serverAuth for its listener and clientAuth too, so the node can
    /// check its own daemon over TLS with the files it already has (no client key is copied
    /// to any node).
    public static func issueServer(commonName: String, names: [String], by ca: Authority, now: Date = Date()) throws -> Issued {
        try issue(commonName: commonName, names: names, usages: [.serverAuth, .clientAuth],
                  keyUsage: KeyUsage(digitalSignature: true, keyEncipherment: true), by: ca, now: now)
    }

    /// The user's certificate for the docker CLI: clientAuth only.
    public static func issueClient(commonName: String = "provision docker client", by ca: Authority, now: Date = Date()) throws -> Issued {
        try issue(commonName: commonName, names: [], usages: [.clientAuth],
                  keyUsage: KeyUsage(digitalSignature: true), by: ca, now: now)
    }

    static func issue(commonName: String, names: [String], usages: [ExtendedKeyUsage.Usage], keyUsage: KeyUsage,
                      by ca: Authority, now: Date) throws -> Issued {
        let key = Certificate.PrivateKey(P256.Signing.PrivateKey())
        let subject = try DistinguishedName {
            OrganizationName("provision")
            CommonName(commonName)
        }
        let sans = subjectAlternativeNames(names)
        let caKeyID = try ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: ca.certificate.publicKey).keyIdentifier
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(keyUsage)
            try ExtendedKeyUsage(usages)
            SubjectKeyIdentifier(hash: key.publicKey)
            AuthorityKeyIdentifier(keyIdentifier: caKeyID)
            if !sans.isEmpty { SubjectAlternativeNames(sans) }
        }
        let cert = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: now - backdate, notValidAfter: now + leafLifetime,
            issuer: ca.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: ca.key)
        return Issued(certificatePEM: try cert.serializeAsPEM().pemString,
                      keyPEM: Secret(try key.serializeAsPEM().pemString))
    }

    /// Each name as a SAN entry: an IP address when it parses as one, a DNS name otherwise.
    /// Duplicates are dropped, order kept.
    public static func subjectAlternativeNames(_ names: [String]) -> [GeneralName] {
        var seen = Set<GeneralName>()
        var out: [GeneralName] = []
        for raw in names {
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            let entry: GeneralName
            if let bytes = IPAddressBytes.parse(name) {
                entry = .ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes)))
            } else {
                entry = .dnsName(name.lowercased())
            }
            if seen.insert(entry).inserted { out.append(entry) }
        }
        return out
    }

    /// Why `certificatePEM` (with `keyPEM`) must be replaced to serve `names` under `ca`, or nil
    /// when it is still good: unreadable, key not matching, not signed by this CA, ending within
    /// `renewalMargin`, or SANs other than `names`. `names` nil skips the SAN check (clients).
    public static func replacementReason(certificatePEM: String, keyPEM: Secret, names: [String]?,
                                         ca: Authority, now: Date = Date()) -> String? {
        guard let cert = try? Certificate(pemEncoded: certificatePEM) else { return "the certificate is unreadable" }
        guard let key = try? Certificate.PrivateKey(pemEncoded: keyPEM.reveal()) else { return "the key is unreadable" }
        if key.publicKey != cert.publicKey { return "the key does not belong to the certificate" }
        if cert.issuer != ca.certificate.subject
            || !ca.certificate.publicKey.isValidSignature(cert.signature, for: cert) {
            return "it is not signed by the current CA"
        }
        if cert.notValidAfter < now + renewalMargin { return "it expires on \(day(cert.notValidAfter))" }
        if cert.notValidBefore > now + backdate { return "it is not valid before \(day(cert.notValidBefore))" }
        if let names {
            let have = Set((try? cert.extensions.subjectAlternativeNames).flatMap { $0.map(Array.init) } ?? [])
            let want = Set(subjectAlternativeNames(names))
            if have != want { return "its names differ (\(describe(have.sorted(by: order))) instead of \(describe(want.sorted(by: order))))" }
        }
        return nil
    }

    /// The SANs of a certificate as text (`DNS:node1, IP:10.0.0.1`), for messages and diffs.
    public static func describe(_ names: [GeneralName]) -> String {
        names.map { n -> String in
            switch n {
            case .dnsName(let s): return "DNS:" + s
            case .ipAddress(let o): return "IP:" + IPAddressBytes.format(Array(o.bytes))
            default: return String(describing: n)
            }
        }.joined(separator: ", ")
    }

    private static func order(_ a: GeneralName, _ b: GeneralName) -> Bool {
        describe([a]) < describe([b])
    }

    /// A readable summary of a certificate (never of a key), for `--diff`.
    public static func summary(certificatePEM: String) -> String {
        guard let cert = try? Certificate(pemEncoded: certificatePEM) else { return "(unreadable certificate)\n" }
        var lines = ["subject: \(cert.subject)", "issuer: \(cert.issuer)",
                     "valid until: \(day(cert.notValidAfter))",
                     "sha256: \(fingerprint(certificatePEM))"]
        if let sans = try? cert.extensions.subjectAlternativeNames {
            lines.insert("names: \(describe(Array(sans)))", at: 1)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// SHA-256 of the text, hex: how the node's files are compared with the controller's.
    public static func fingerprint(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func day(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: d)
    }
}
