import Crypto
import Foundation
import SwiftASN1
import X509
import XCTest
@testable import ProvisionCore

/// The certificates `docker_daemon tls: true` makes, parsed back with swift-certificates and
/// checked with its RFC 5280 verifier, plus the rules that decide when one is replaced.
final class DockerCertificatesTests: XCTestCase {
    let names = ["172.30.213.11", "node1", "node1.lan", "127.0.0.1", "localhost"]

    func testAuthorityIsACAThatSignsOnlyLeaves() throws {
        let ca = try DockerCertificates.makeAuthority()
        let cert = try Certificate(pemEncoded: try ca.certificatePEM)
        XCTAssertEqual(cert.subject, cert.issuer)
        XCTAssertEqual(try cert.extensions.basicConstraints, .isCertificateAuthority(maxPathLength: 0))
        let usage = try XCTUnwrap(try cert.extensions.keyUsage)
        XCTAssertTrue(usage.keyCertSign)
        XCTAssertTrue(cert.publicKey.isValidSignature(cert.signature, for: cert), "self-signed")
        XCTAssertGreaterThan(cert.notValidAfter, Date() + 9 * 365 * 86_400)
        XCTAssertNotNil(try cert.extensions.subjectKeyIdentifier)
    }

    func testServerCertificateChainsToTheCAWithItsNamesAndUsages() async throws {
        let ca = try DockerCertificates.makeAuthority()
        let issued = try DockerCertificates.issueServer(commonName: "node1", names: names, by: ca)
        let cert = try Certificate(pemEncoded: issued.certificatePEM)
        XCTAssertEqual(cert.issuer, ca.certificate.subject)
        XCTAssertEqual(try cert.extensions.basicConstraints, .notCertificateAuthority)
        let eku = try XCTUnwrap(try cert.extensions.extendedKeyUsage)
        XCTAssertTrue(eku.contains(.serverAuth) && eku.contains(.clientAuth), "\(eku)")
        XCTAssertTrue(try XCTUnwrap(try cert.extensions.keyUsage).digitalSignature)
        let sans = try XCTUnwrap(try cert.extensions.subjectAlternativeNames)
        XCTAssertEqual(DockerCertificates.describe(Array(sans)),
                       "IP:172.30.213.11, DNS:node1, DNS:node1.lan, IP:127.0.0.1, DNS:localhost")
        // The key in the PEM is the certificate's.
        let key = try Certificate.PrivateKey(pemEncoded: issued.keyPEM.reveal())
        XCTAssertEqual(key.publicKey, cert.publicKey)

        // RFC 5280 path building and the server-identity check, as a TLS client would do them.
        for (name, ip) in [("node1", nil), ("localhost", nil), (nil, "127.0.0.1"), (nil, "172.30.213.11")] as [(String?, String?)] {
            var verifier = Verifier(rootCertificates: CertificateStore([ca.certificate])) {
                RFC5280Policy(validationTime: Date())
                ServerIdentityPolicy(serverHostname: name, serverIP: ip)
            }
            let result = await verifier.validate(leaf: cert, intermediates: CertificateStore())
            guard case .validCertificate(let chain) = result else { return XCTFail("\(name ?? ip ?? ""): \(result)") }
            XCTAssertEqual(Array(chain).count, 2)
        }
        var wrongName = Verifier(rootCertificates: CertificateStore([ca.certificate])) {
            RFC5280Policy(validationTime: Date())
            ServerIdentityPolicy(serverHostname: "node2", serverIP: nil)
        }
        if case .validCertificate = await wrongName.validate(leaf: cert, intermediates: CertificateStore()) {
            XCTFail("a name not in the SANs was accepted")
        }
        let otherCA = try DockerCertificates.makeAuthority()
        var otherRoot = Verifier(rootCertificates: CertificateStore([otherCA.certificate])) { RFC5280Policy(validationTime: Date()) }
        if case .validCertificate = await otherRoot.validate(leaf: cert, intermediates: CertificateStore()) {
            XCTFail("chained to a CA that did not sign it")
        }
    }

    func testClientCertificateIsForClientsOnly() throws {
        let ca = try DockerCertificates.makeAuthority()
        let issued = try DockerCertificates.issueClient(by: ca)
        let cert = try Certificate(pemEncoded: issued.certificatePEM)
        XCTAssertEqual(Array(try XCTUnwrap(try cert.extensions.extendedKeyUsage)), [.clientAuth])
        XCTAssertTrue(ca.certificate.publicKey.isValidSignature(cert.signature, for: cert))
        XCTAssertNil(try cert.extensions.subjectAlternativeNames)
    }

    func testReplacementRules() throws {
        let ca = try DockerCertificates.makeAuthority()
        let now = Date()
        let issued = try DockerCertificates.issueServer(commonName: "node1", names: names, by: ca, now: now)
        func reason(_ cert: String = issued.certificatePEM, _ key: Secret = issued.keyPEM, names: [String]? = nil,
                    ca: DockerCertificates.Authority = ca, at: Date = now) -> String? {
            DockerCertificates.replacementReason(certificatePEM: cert, keyPEM: key, names: names ?? self.names, ca: ca, now: at)
        }
        XCTAssertNil(reason())
        // Same names in another order and case: still good.
        XCTAssertNil(reason(names: names.reversed().map { $0.uppercased() }))
        XCTAssertEqual(reason(names: names + ["10.0.0.9"])?.contains("names differ"), true)
        XCTAssertEqual(reason(names: Array(names.dropFirst()))?.contains("names differ"), true)
        // Within 30 days of its end: replaced; 31 days before: kept.
        let end = now + DockerCertificates.leafLifetime
        XCTAssertEqual(reason(at: end - 29 * 86_400)?.contains("expires"), true)
        XCTAssertNil(reason(at: end - 31 * 86_400))
        XCTAssertEqual(reason(ca: try DockerCertificates.makeAuthority())?.contains("not signed by the current CA"), true)
        let other = try DockerCertificates.issueServer(commonName: "node1", names: names, by: ca, now: now)
        XCTAssertEqual(reason(issued.certificatePEM, other.keyPEM)?.contains("key does not belong"), true)
        XCTAssertEqual(reason("garbage")?.contains("unreadable"), true)
    }

    func testSANsParseAddressesAndNames() {
        let sans = DockerCertificates.subjectAlternativeNames(["10.0.0.1", "fe80::1", "Node1", "node1", " ", "10.0.0.1"])
        XCTAssertEqual(DockerCertificates.describe(sans), "IP:10.0.0.1, IP:fe80::1, DNS:node1")
        XCTAssertEqual(IPAddressBytes.parse("192.168.1.52"), [192, 168, 1, 52])
        XCTAssertNil(IPAddressBytes.parse("192.168.1"))
        XCTAssertEqual(IPAddressBytes.parse("::1")?.count, 16)
    }

    func testASummaryNeverHoldsKeyMaterial() throws {
        let ca = try DockerCertificates.makeAuthority()
        let issued = try DockerCertificates.issueServer(commonName: "node1", names: names, by: ca)
        let summary = DockerCertificates.summary(certificatePEM: issued.certificatePEM)
        XCTAssertTrue(summary.contains("DNS:node1") && summary.contains("valid until"), summary)
        XCTAssertFalse(summary.contains("PRIVATE"))
        XCTAssertEqual("\(issued.keyPEM)", "********")
    }
}
