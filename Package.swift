// swift-tools-version:5.10
import PackageDescription

// Dependencies, and why each is here (the README says the same):
// - Yams: YAML for inventories and playbooks; it is libyaml, keeps node positions (Mark) for
//   file:line:col errors, and 5.3+ rejects duplicate keys.
// - swift-argument-parser: the CLI (subcommands, shared option groups, --help, exit codes).
// - swift-crypto: SHA-256 and HMAC-SHA1 on Linux (host-key fingerprints, hashed known_hosts
//   entries, content hashes for idempotent file transfer), without hand-written crypto; its
//   _CryptoExtras (already built for swift-certificates) gives AES-CTR and PBKDF2 for the
//   `vault`/`unvault` filters (Ansible Vault's format).
// - swift-collections (OrderedCollections): mapping values keep their keys in insertion order,
//   as Python's dicts do, so templates, loops and JSON follow the YAML's order like Ansible.
// - swift-certificates (X509, with swift-asn1): `docker_daemon tls: true` makes its CA, server
//   and client certificates on the controller, in-process, instead of shelling out to openssl.
let package = Package(
    name: "provision",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "provision", targets: ["provision"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(name: "provision", dependencies: ["ProvisionCLI"]),
        // libFuzzer target for the inventory, playbook and known_hosts readers: scripts/fuzz
        // builds it with -sanitize=fuzzer; a plain build makes a replayer of saved inputs.
        .executableTarget(name: "ProvisionFuzz", dependencies: ["ProvisionCore", "ProvisionSSH"]),
        .target(
            name: "ProvisionCLI",
            dependencies: [
                "ProvisionCore", "ProvisionSSH",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "ProvisionCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "ProvisionSSH",
            dependencies: [
                "CLibSSH2", "ProvisionCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(
            name: "CLibSSH2",
            pkgConfig: "libssh2",
            providers: [.apt(["libssh2-1-dev"])]
        ),
        // Real fakes shared by the test targets: an sshd on loopback, temporary homes, keys.
        .target(
            name: "ProvisionTestSupport",
            dependencies: ["ProvisionCore"],
            path: "Tests/ProvisionTestSupport"
        ),
        .testTarget(
            name: "ProvisionCoreTests",
            dependencies: [
                "ProvisionCore", "ProvisionTestSupport",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "ProvisionSSHTests",
            dependencies: ["ProvisionSSH", "ProvisionCore", "ProvisionTestSupport"]
        ),
        .testTarget(
            name: "ProvisionLabTests",
            dependencies: ["ProvisionCore", "ProvisionSSH"]
        ),
        .testTarget(
            name: "ProvisionCLITests",
            dependencies: ["ProvisionCLI", "ProvisionCore", "ProvisionTestSupport"],
            // Playbooks the compatibility corpus runs through ansible-playbook and provision.
            exclude: ["Compat/Fixtures"]
        ),
    ]
)
