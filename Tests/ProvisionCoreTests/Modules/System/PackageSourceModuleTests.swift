import Foundation
import XCTest
@testable import ProvisionCore

/// apt_key, deb822_repository and pip: their argument checks and the parsers and renderers
/// that decide their results (key listings, requirement specifiers, the `.sources` text).
final class PackageSourceModuleTests: XCTestCase {
    func testAptKeyIDs() {
        XCTAssertEqual(AptKeyID.parse("0x9fed2bcbdcd29cdf762678cbaed4b06f473041fa"),
                       .init(short: "473041FA", fingerprint: "AED4B06F473041FA", keyID: "9FED2BCBDCD29CDF762678CBAED4B06F473041FA"))
        XCTAssertEqual(AptKeyID.parse("473041fa")?.fingerprint, "473041FA")
        XCTAssertNil(AptKeyID.parse("12345"))
        XCTAssertNil(AptKeyID.parse("0123456789AB"))
        XCTAssertNil(AptKeyID.parse("XYZXYZXY"))
        let listing = """
            /etc/apt/trusted.gpg
            --------------------
            pub   rsa4096/AED4B06F473041FA 2012-04-27 [SC] [expires: 2030-04-25]
                  9FED2BCBDCD29CDF762678CBAED4B06F473041FA
            uid                 [ unknown] Debian Archive Automatic Signing Key
            sub   rsa4096/1111222233334444 2012-04-27 [E]
            pub   rsa2048/5555666677778888 2010-01-01 [SC] [expired: 2011-01-01]
            """
        XCTAssertEqual(AptKeyID.listed(in: listing), ["AED4B06F473041FA", "1111222233334444"])
        XCTAssertEqual(AptKeyID.listed(in: listing, short: true), ["473041FA", "33334444"])
        let colons = "pub:-:3072:1:0123456789ABCDEF:1700000000:::-:::scESC::::::23::0:\nfpr:::::::::AAAA0123456789ABCDEF:\n"
        XCTAssertEqual(AptKeyID.listed(in: colons), ["0123456789ABCDEF"])
    }

    func testAptKeyArguments() throws {
        XCTAssertThrowsError(try ModuleRegistry.make(AptKeyModule.self, arguments: ["id": "nothex!!"]))
        XCTAssertThrowsError(try ModuleRegistry.make(AptKeyModule.self, arguments: ["url": "http://x/k", "file": "/k"]))
        XCTAssertThrowsError(try ModuleRegistry.make(AptKeyModule.self, arguments: ["keyserver": "keyserver.ubuntu.com"]))
        XCTAssertThrowsError(try ModuleRegistry.make(AptKeyModule.self, arguments: ["state": "absent"]))
        XCTAssertNoThrow(try ModuleRegistry.make(AptKeyModule.self, arguments: ["id": "473041FA", "state": "absent"]))
        XCTAssertNoThrow(try ModuleRegistry.make(AptKeyModule.self, arguments: ["file": "/tmp/k.asc", "keyring": "/etc/apt/trusted.gpg.d/x.gpg"]))
    }

    func testPipRequirements() {
        let r = PipRequirement("Foo_Bar[b,a] <2.0 , >=1.0")
        XCTAssertEqual(r.text, "Foo_Bar[a,b]<2.0,>=1.0")
        XCTAssertEqual(r.canonicalName, "foo-bar")
        XCTAssertTrue(r.isSatisfied(by: "1.5"))
        XCTAssertFalse(r.isSatisfied(by: "2.0"))
        XCTAssertFalse(r.isSatisfied(by: "0.9"))
        XCTAssertEqual(PipRequirement("six", version: "1.16.0").text, "six==1.16.0")
        XCTAssertEqual(PipRequirement("six", version: ">=1.10").text, "six>=1.10")
        XCTAssertTrue(PipRequirement("six==1.*").isSatisfied(by: "1.16.0"))
        XCTAssertFalse(PipRequirement("six==1.*").isSatisfied(by: "2.0"))
        XCTAssertTrue(PipRequirement("six~=1.4").isSatisfied(by: "1.16"))
        XCTAssertFalse(PipRequirement("six~=1.4").isSatisfied(by: "2.0"))
        XCTAssertTrue(PipRequirement("six==1.0").isSatisfied(by: "1.0.0"))
        XCTAssertNil(PipRequirement("/srv/pkgs/mypkg").name)
        XCTAssertNil(PipRequirement("git+https://example.org/x.git").name)
        XCTAssertFalse(PipRequirement("./dir").isSatisfied(by: "1.0"))
        XCTAssertEqual(PipRequirement.recoverNames(["django>1.11.1", "<1.11.3", "ipaddress", "simpleproject>1.1.0", "<2.0.0"]),
                       ["django>1.11.1,<1.11.3", "ipaddress", "simpleproject>1.1.0,<2.0.0"])
        XCTAssertEqual(PipRequirement.recoverNames(["pkg[a", "b]>=1"]), ["pkg[a,b]>=1"])
    }

    func testPipVersionOrder() throws {
        let order = ["1.0.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.1", "2!0.1"]
        let parsed = try order.map { try XCTUnwrap(PipVersion($0), $0) }
        for (a, b) in zip(parsed, parsed.dropFirst()) { XCTAssertLessThan(a, b) }
        XCTAssertEqual(PipVersion("1.0"), PipVersion("1.0.0"))
        XCTAssertNil(PipVersion("latest"))
    }

    func testPipIsPresentReadsTheFreezeListing() {
        let listed = ["Foo-Bar==1.2.0", "six==1.16.0", "-e git+https://x#egg=y"]
        XCTAssertTrue(PipModule.isPresent(PipRequirement("foo_bar"), in: listed))
        XCTAssertTrue(PipModule.isPresent(PipRequirement("foo.bar>=1.1"), in: listed))
        XCTAssertFalse(PipModule.isPresent(PipRequirement("foo-bar==1.3"), in: listed))
        XCTAssertFalse(PipModule.isPresent(PipRequirement("requests"), in: listed))
    }

    func testPipArguments() throws {
        XCTAssertThrowsError(try ModuleRegistry.make(PipModule.self, arguments: [:]))
        XCTAssertThrowsError(try ModuleRegistry.make(PipModule.self, arguments: ["name": "six", "requirements": "r.txt"]))
        XCTAssertThrowsError(try ModuleRegistry.make(PipModule.self, arguments: ["name": "six", "virtualenv": "/v", "executable": "pip3"]))
        XCTAssertThrowsError(try ModuleRegistry.make(PipModule.self, arguments: ["name": "six", "version": "1", "state": "latest"]))
        XCTAssertThrowsError(try ModuleRegistry.make(PipModule.self, arguments: ["name": ["six", "attrs"], "version": "1"]))
        XCTAssertThrowsError(try ModuleRegistry.make(PipModule.self, arguments: ["name": "six==1.0", "version": "1.1"]))
        let m = try XCTUnwrap(ModuleRegistry.make(PipModule.self, arguments: [
            "name": ["six", "attrs >=21"], "state": "latest", "extra_args": "--no-index --find-links '/srv/my wheels'",
            "editable": true, "virtualenv": "venv", "chdir": "/srv/app",
        ]) as? PipModule)
        XCTAssertEqual(try m.pipArguments, ["install", "-U", "--no-index", "--find-links", "/srv/my wheels", "-e", "six", "attrs>=21"])
        XCTAssertEqual(m.virtualenv, "/srv/app/venv")
        let r = try XCTUnwrap(ModuleRegistry.make(PipModule.self, arguments: ["requirements": "/r.txt", "state": "absent"]) as? PipModule)
        XCTAssertEqual(try r.pipArguments, ["uninstall", "-y", "-r", "/r.txt"])
    }

    func testDeb822FileAsAnsibleWritesIt() throws {
        XCTAssertEqual(Deb822Source.slug("My Repo_name.v2"), "my-repo-namev2")
        XCTAssertEqual(Deb822Source.fieldName("allow_downgrade_to_insecure"), "Allow-Downgrade-To-Insecure")
        XCTAssertEqual(Deb822Source.fieldName("uris"), "URIs")
        XCTAssertTrue(Deb822Source.hasURLScheme("https://example.org/key.asc"))
        XCTAssertTrue(Deb822Source.hasURLScheme("file:///srv/key.asc"))
        XCTAssertFalse(Deb822Source.hasURLScheme("/etc/apt/keyrings/x.gpg"))
        XCTAssertFalse(Deb822Source.hasURLScheme("-----BEGIN PGP PUBLIC KEY BLOCK-----\nVersion: x\n"))
        let m = try XCTUnwrap(ModuleRegistry.make(Deb822RepositoryModule.self, arguments: [
            "name": "Example Repo", "uris": "https://example.org/debian", "suites": ["stable", "testing"],
            "components": "main,contrib", "enabled": false, "by_hash": true, "date_max_future": 10,
            "signed_by": "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n-----END PGP PUBLIC KEY BLOCK-----\n",
        ]) as? Deb822RepositoryModule)
        XCTAssertEqual(m.dest, "/etc/apt/sources.list.d/example-repo.sources")
        XCTAssertEqual(Deb822Source.render(m.fields), """
            By-Hash: yes
            Components: main contrib
            Date-Max-Future: 10
            Enabled: no
            X-Repolib-Name: Example Repo
            Signed-By:
                -----BEGIN PGP PUBLIC KEY BLOCK-----
                .
                mQINBF
                -----END PGP PUBLIC KEY BLOCK-----
            Suites: stable testing
            Types: deb
            URIs: https://example.org/debian

            """)
        XCTAssertThrowsError(try ModuleRegistry.make(Deb822RepositoryModule.self, arguments: ["name": "x", "types": "rpm"]))
        XCTAssertThrowsError(try ModuleRegistry.make(Deb822RepositoryModule.self, arguments: ["uris": "http://x"]))
    }
}
