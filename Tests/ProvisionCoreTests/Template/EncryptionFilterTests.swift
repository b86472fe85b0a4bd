import XCTest
@testable import ProvisionCore

/// bcrypt against the published vectors (OpenBSD's and crypt_blowfish's, checked against
/// libxcrypt here), `password_hash` with passlib's rules, and Ansible Vault texts made by
/// ansible-core 2.14.
final class EncryptionFilterTests: XCTestCase {
    private func bcrypt(_ password: [UInt8], _ setting: String) -> String {
        let parts = setting.split(separator: "$")
        let ident = String(parts[0]), cost = Int(parts[1]) ?? 0, salt = String(parts[2])
        return "$\(ident)$\(parts[1])$\(salt)" + BCrypt.checksum(password, ident: ident, cost: cost, salt: salt)
    }

    func testBCryptKnownVectors() {
        let cases: [([UInt8], String)] = [
            (Array("U*U".utf8), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
            (Array("U*U*".utf8), "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"),
            (Array("U*U*U".utf8), "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"),
            ([], "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"),
            (Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored".utf8),
             "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"),
            ([0xA3], "$2a$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"),
            ([0xA3], "$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"),
            // The `$2a$` countermeasure: these bytes expand alike with and without the sign bug.
            ([0xFF, 0xFF, 0xA3], "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nqd1wy.pTMdcvrRWxyiGL2eMz.2a85."),
            ([0xFF, 0xFF, 0xA3], "$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"),
            ([0xFF, 0xFF, 0xA3], "$2y$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e"),
            ([0xFF, 0xA3, 0x33, 0x34, 0x35], "$2a$05$/OK.fbVrR/bpIqNJ5ianF.nRht2l/HRhr6zmCp9vYUvvsqynflf9e"),
        ]
        for (password, expected) in cases {
            let setting = String(expected.prefix(29))
            XCTAssertEqual(bcrypt(password, setting), expected, "\(password)")
        }
    }

    func testPasswordHashBCrypt() throws {
        XCTAssertEqual(try TemplateFixtures.eval("'secret' | password_hash('bcrypt', salt='abcdefghijklmnopqrstuv', rounds=4)"),
                       "$2b$04$abcdefghijklmnopqrstuu2r9OfJnfCsdneAXAGHnS4UpFFP8WIrW")
        XCTAssertEqual(try TemplateFixtures.eval("'secret' | password_hash('blowfish', salt='abcdefghijklmnopqrstuv', rounds=5, ident='2y')"),
                       "$2y$05$abcdefghijklmnopqrstuuOQiyCxlgf/oeuTqixKmWdcYUh4Hjl0a")
        // passlib's `$2$`: the password repeated to 72 bytes under `$2a$`.
        XCTAssertEqual(try TemplateFixtures.eval("'secret' | password_hash('bcrypt', salt='abcdefghijklmnopqrstuv', rounds=4, ident='2')"),
                       "$2$04$abcdefghijklmnopqrstuum8SamnsZEN6jLb0pYQWUTXZXnUsY722")
        let random = try TemplateFixtures.eval("'secret' | password_hash('bcrypt', rounds=4)").stringValue ?? ""
        XCTAssertTrue(random.hasPrefix("$2b$04$") && random.count == 60, random)
        for bad in ["salt='abcdefghijklmnopqrstu'", "salt='abcdefghijklmnopqrstu!'", "salt='abcdefghijklmnopqrstuvw'",
                    "salt='abcdefghijklmnopqrstuv', rounds=3", "salt='abcdefghijklmnopqrstuv', rounds=32",
                    "salt='abcdefghijklmnopqrstuv', ident='2x'", "salt_size=10"] {
            XCTAssertThrowsError(try TemplateFixtures.eval("'secret' | password_hash('bcrypt', \(bad))"), bad)
        }
        XCTAssertThrowsError(try TemplateFixtures.eval("v | password_hash('bcrypt', salt='abcdefghijklmnopqrstuv', rounds=4)", ["v": "a\u{0}b"]))
    }

    func testPasswordHashIgnoresIdentOutsideBCrypt() throws {
        XCTAssertEqual(try TemplateFixtures.eval("'secret' | password_hash('sha512', 'abc', rounds=1000, ident='zz')"),
                       "$6$rounds=1000$abc$MqEcPZUYRGGcOeq7PhMpfjfu/F0HrVEI0OlZBijWvO8mSG77iNUDP5MqFceKpJTBc8iITVtNyLiNTRNCxv6oh0")
        XCTAssertEqual(try TemplateFixtures.eval("'secret' | password_hash('md5', 'abc', ident='zz')"), "$1$abc$iCQ2D3nhptRYi27fDYv2s1")
        XCTAssertThrowsError(try TemplateFixtures.eval("'secret' | password_hash('md5', 'abc', rounds=1000)"))
        XCTAssertThrowsError(try TemplateFixtures.eval("'secret' | password_hash('sha512', 'abc', salt_size=20)"))
    }

    /// Made by ansible-core 2.14's `vault` filter.
    private let ansibleVault: String = ["$ANSIBLE_VAULT;1.2;AES256;filter_default",
                                        "3631363236330a313531346238346566313437313262663031353530656133363937656465306230",
                                        "373530656262356232303339373365656262313737393764356131663466300a3161326663313864",
                                        "613063383265343865363763353764613834623365613234", ""].joined(separator: "\n")

    func testVaultIsAnsiblesByteForByte() throws {
        XCTAssertEqual(try TemplateFixtures.eval("'x' | vault('pw', salt='abc')"), .string(ansibleVault))
        XCTAssertEqual(try TemplateFixtures.eval("v | unvault('pw')", ["v": .string(ansibleVault)]), "x")
        let empty: String = ["$ANSIBLE_VAULT;1.1;AES256",
                             "37330a37646164396164633163333863313764623762386333363165353466326662313163666664",
                             "3639333436363137326530393730353633333539623039613530370a626663623364383237313266",
                             "6461326630326631313565363138336133316639", ""].joined(separator: "\n")
        XCTAssertEqual(try TemplateFixtures.eval("'' | vault('', salt='s', vaultid='')"), .string(empty))
    }

    func testVaultRoundTripsAndFailures() throws {
        XCTAssertEqual(try TemplateFixtures.eval("'héllo\nworld' | vault('pw') | unvault('pw')"), "héllo\nworld")
        XCTAssertEqual(try TemplateFixtures.eval("'not a vault' | unvault('pw')"), "not a vault")
        XCTAssertThrowsError(try TemplateFixtures.eval("v | unvault('wrong')", ["v": .string(ansibleVault)]))
        XCTAssertThrowsError(try TemplateFixtures.eval("'x' | vault('pw', salt='')"))
        XCTAssertThrowsError(try TemplateFixtures.eval("5 | vault('pw')"))
        XCTAssertThrowsError(try TemplateFixtures.eval("'x' | vault(5)"))
        XCTAssertThrowsError(try TemplateFixtures.eval("v | vault('pw')", ["v": .string(ansibleVault)]))
        XCTAssertThrowsError(try TemplateFixtures.eval("'x' | vault('pw', wrap_object=True)"))
    }
}
