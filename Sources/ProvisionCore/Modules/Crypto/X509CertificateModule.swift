import Foundation

/// `x509_certificate` (community.crypto.x509_certificate), providers `selfsigned` and `ownca`:
/// a certificate issued on the host by `openssl ca` from a CSR there, signed by the CSR's own
/// key or by a CA certificate and key on the host (OpenSSL 1.1.1 or 3; it copies the CSR's
/// extensions). Keys and passphrases stay on the host (passphrases travel on stdin).
///
/// Kept when, as the collection checks: it parses, carries the private key's public key, the
/// CSR verifies and has the certificate's public key, subject and extensions (the subject and
/// authority key identifiers aside), it has a subject key identifier unless `never_create`, and
/// its issuer is its own subject (selfsigned) or the CA's subject (ownca); the validity dates
/// only with `ignore_timestamps: false`.
public struct X509CertificateModule: Module {
    public static let name = "x509_certificate"
    public static let collection = "community.crypto"
    static let skiChoices = ["create_if_not_provided", "always_create", "never_create"]
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("provider", choices: ["acme", "entrust", "ownca", "selfsigned"]),
        .init("force", .bool, default: false),
        .init("csr_path"), .init("csr_content"),
        .init("privatekey_path"), .init("privatekey_content"), .init("privatekey_passphrase"),
        .init("ignore_timestamps", .bool, default: true),
        .init("select_crypto_backend", choices: ["auto", "cryptography"], default: "auto"),
        .init("backup", .bool, default: false),
        .init("return_content", .bool, default: false),
        .init("selfsigned_version", .int, default: 3),
        .init("selfsigned_digest", default: "sha256"),
        .init("selfsigned_not_before", aliases: ["selfsigned_notBefore"], default: "+0s"),
        .init("selfsigned_not_after", aliases: ["selfsigned_notAfter"], default: "+3650d"),
        .init("selfsigned_create_subject_key_identifier", choices: skiChoices, default: "create_if_not_provided"),
        .init("ownca_path"), .init("ownca_content"),
        .init("ownca_privatekey_path"), .init("ownca_privatekey_content"), .init("ownca_privatekey_passphrase"),
        .init("ownca_digest", default: "sha256"),
        .init("ownca_version", .int, default: 3),
        .init("ownca_not_before", default: "+0s"),
        .init("ownca_not_after", default: "+3650d"),
        .init("ownca_create_subject_key_identifier", choices: skiChoices, default: "create_if_not_provided"),
        .init("ownca_create_authority_key_identifier", .bool, default: true),
    ] + FileAttributes.fields, mutuallyExclusive: [["csr_path", "csr_content"], ["privatekey_path", "privatekey_content"],
                                                  ["ownca_path", "ownca_content"], ["ownca_privatekey_path", "ownca_privatekey_content"]])

    public var path: String
    public var present: Bool
    public var provider: String
    public var force: Bool
    public var csrPath: String?
    public var csrContent: String?
    public var privateKeyPath: String?
    var passphrase: String?
    public var caPath: String?
    public var caContent: String?
    public var caKeyPath: String?
    var caPassphrase: String?
    public var digest: String
    public var notBefore: String
    public var notAfter: String
    public var subjectKeyIdentifier: String
    public var authorityKeyIdentifier: Bool
    public var ignoreTimestamps: Bool
    public var backup: Bool
    public var returnContent: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        provider = try args.choice("provider", ["acme", "entrust", "ownca", "selfsigned"]) ?? ""
        force = try args.bool("force") ?? false
        csrPath = try args.string("csr_path")
        csrContent = try args.string("csr_content")
        privateKeyPath = try args.string("privatekey_path")
        passphrase = try args.string("privatekey_passphrase")
        caPath = try args.string("ownca_path")
        caContent = try args.string("ownca_content")
        caKeyPath = try args.string("ownca_privatekey_path")
        caPassphrase = try args.string("ownca_privatekey_passphrase")
        ignoreTimestamps = try args.bool("ignore_timestamps") ?? true
        backup = try args.bool("backup") ?? false
        returnContent = try args.bool("return_content") ?? false
        attributes = try FileAttributes(args)
        let p = provider == "ownca" ? "ownca" : "selfsigned"
        digest = (try args.string(p + "_digest") ?? "sha256").lowercased()
        notBefore = try CertificateTime.resolve(args.string(p + "_not_before") ?? "+0s", option: p + "_not_before")
        notAfter = try CertificateTime.resolve(args.string(p + "_not_after") ?? "+3650d", option: p + "_not_after")
        subjectKeyIdentifier = try args.choice(p + "_create_subject_key_identifier", Self.skiChoices) ?? "create_if_not_provided"
        let aki = try args.bool("ownca_create_authority_key_identifier") ?? true
        authorityKeyIdentifier = provider == "ownca" && aki
        guard present else { return }
        switch provider {
        case "": throw ModuleError("state is present but all of the following are missing: provider")
        case "acme", "entrust":
            throw ModuleError("provider '\(provider)' is not supported by provision: it reaches a certificate authority over the network from the host; use selfsigned or ownca, or get the certificate with community.crypto.acme_certificate under Ansible")
        default: break
        }
        for k in ["privatekey_content", "ownca_privatekey_content"] where args.has(k) {
            throw ModuleError("\(k) is not supported by provision yet: give the key as a file on the host (\(k.replacingOccurrences(of: "_content", with: "_path")))")
        }
        guard (try args.int(p + "_version") ?? 3) == 3 else { throw ModuleError("\(p)_version other than 3 is not supported by provision") }
        guard digest.range(of: "^[a-z0-9-]+$", options: .regularExpression) != nil else { throw ModuleError("Unsupported digest \"\(digest)\"") }
        if csrPath == nil && csrContent == nil {
            throw ModuleError("provision needs csr_path or csr_content for the \(provider) provider (make one with community.crypto.openssl_csr)")
        }
        if provider == "selfsigned" && privateKeyPath == nil {
            throw ModuleError("One of privatekey_path and privatekey_content must be specified for the selfsigned provider.")
        }
        if provider == "ownca" && (caPath == nil && caContent == nil) { throw ModuleError("One of ownca_path and ownca_content must be specified for the ownca provider.") }
        if provider == "ownca" && caKeyPath == nil { throw ModuleError("One of ownca_privatekey_path and ownca_privatekey_content must be specified for the ownca provider.") }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = CryptoScriptSupport.script(OpenSSLKeyScript.common + "\n" + OpenSSLKeyScript.request + "\n" + Self.body)
        s.set("present", present)
        s.set("path", path)
        s.set("provider", provider)
        s.set("force", force)
        s.set("csr_path", csrPath ?? "")
        s.set("has_csr_content", csrContent != nil)
        s.set("csr_content", csrContent ?? "")
        s.set("privatekey_path", privateKeyPath ?? "")
        s.set("has_pass", passphrase != nil)
        s.set("ca_path", caPath ?? "")
        s.set("has_ca_content", caContent != nil)
        s.set("ca_content", caContent ?? "")
        s.set("ca_key", caKeyPath ?? "")
        s.set("has_capass", caPassphrase != nil)
        s.set("digest", digest)
        s.set("not_before", notBefore)
        s.set("not_after", notAfter)
        s.set("ski", subjectKeyIdentifier)
        s.set("aki", authorityKeyIdentifier)
        s.set("ignore_timestamps", ignoreTimestamps)
        s.set("backup", backup)
        s.set("return_content", returnContent)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let secrets = (passphrase.map { $0 + "\n" } ?? "") + (caPassphrase.map { $0 + "\n" } ?? "")
        let out = try s.run(in: context, stdin: secrets.isEmpty ? nil : Data(secrets.utf8))
        if let f = out.failure { return .failed(f) }
        var data: [String: Value] = [
            "filename": .string(out.first("path") ?? path),
            "privatekey": privateKeyPath.map { .string($0) } ?? .null,
            "csr": csrPath.map { .string($0) } ?? .null,
        ]
        if present {
            data["notBefore"] = .string(out.first("not_before") ?? notBefore)
            data["notAfter"] = .string(out.first("not_after") ?? notAfter)
            if let serial = out.first("serial") { data["serial_number"] = Self.serialValue(hex: serial) }
            // Check mode: the serial the new certificate would get, as the collection reports it.
            else { data["serial_number"] = .int(Int.random(in: 1000...Int.max)) }
        }
        if let b = out.first("backup_file") { data["backup_file"] = .string(b) }
        if returnContent && present { data["certificate"] = out.has("has_content") ? .string(out.text) : .null }
        return ModuleResult(changed: out.has("changed") || out.has("attr"), data: data)
    }

    /// A serial number in hex as the collection returns it: an integer (text past 63 bits).
    static func serialValue(hex: String) -> Value {
        if let n = Int(hex, radix: 16) { return .int(n) }
        return .string(hex)
    }
}
