import Foundation

/// `openssl_csr` (community.crypto.openssl_csr): a certificate signing request made on the host
/// with `openssl req` from a private key there (or given as content, on stdin).
///
/// Idempotence as the collection's: the CSR is kept when it parses, carries the key's public
/// key, its signature verifies, and its subject and requested extensions are the ones asked
/// for, compared as sets (entries in another order are the same CSR, unless `subject_ordered`).
/// The comparison is made by `openssl` on both the existing CSR and a candidate made with the
/// same options, in the same canonical text form.
public struct OpenSSLCSRModule: Module {
    public static let name = "openssl_csr"
    public static let collection = "community.crypto"
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("force", .bool, default: false),
        .init("backup", .bool, default: false),
        .init("return_content", .bool, default: false),
        .init("digest", default: "sha256"),
        .init("privatekey_path"), .init("privatekey_content"), .init("privatekey_passphrase"),
        .init("version", .int, default: 1),
        .init("subject", .dict), .init("subject_ordered", .list),
        .init("country_name", aliases: ["C", "countryName"]),
        .init("state_or_province_name", aliases: ["ST", "stateOrProvinceName"]),
        .init("locality_name", aliases: ["L", "localityName"]),
        .init("organization_name", aliases: ["O", "organizationName"]),
        .init("organizational_unit_name", aliases: ["OU", "organizationalUnitName"]),
        .init("common_name", aliases: ["CN", "commonName"]),
        .init("email_address", aliases: ["E", "emailAddress"]),
        .init("subject_alt_name", .list, aliases: ["subjectAltName"]),
        .init("subject_alt_name_critical", .bool, aliases: ["subjectAltName_critical"], default: false),
        .init("use_common_name_for_san", .bool, aliases: ["useCommonNameForSAN"], default: true),
        .init("key_usage", .list, aliases: ["keyUsage"]),
        .init("key_usage_critical", .bool, aliases: ["keyUsage_critical"], default: false),
        .init("extended_key_usage", .list, aliases: ["extKeyUsage", "extendedKeyUsage"]),
        .init("extended_key_usage_critical", .bool, aliases: ["extKeyUsage_critical", "extendedKeyUsage_critical"], default: false),
        .init("basic_constraints", .list, aliases: ["basicConstraints"]),
        .init("basic_constraints_critical", .bool, aliases: ["basicConstraints_critical"], default: false),
        .init("ocsp_must_staple", .bool, aliases: ["ocspMustStaple"], default: false),
        .init("ocsp_must_staple_critical", .bool, aliases: ["ocspMustStaple_critical"], default: false),
        .init("name_constraints_permitted", .list), .init("name_constraints_excluded", .list),
        .init("name_constraints_critical", .bool, default: false),
        .init("select_crypto_backend", choices: ["auto", "cryptography"], default: "auto"),
        .init("create_subject_key_identifier", .bool, default: false),
        .init("subject_key_identifier"), .init("authority_key_identifier"),
        .init("authority_cert_issuer", .list), .init("authority_cert_serial_number", .int),
        .init("crl_distribution_points", .list),
    ] + FileAttributes.fields, mutuallyExclusive: [["privatekey_path", "privatekey_content"]])

    public var path: String
    public var present: Bool
    public var force: Bool
    public var backup: Bool
    public var returnContent: Bool
    public var digest: String
    public var privateKeyPath: String?
    var privateKeyContent: String?
    var passphrase: String?
    var request: CSRRequest
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        force = try args.bool("force") ?? false
        backup = try args.bool("backup") ?? false
        returnContent = try args.bool("return_content") ?? false
        digest = try args.string("digest") ?? "sha256"
        privateKeyPath = try args.string("privatekey_path")
        privateKeyContent = try args.string("privatekey_content")
        passphrase = try args.string("privatekey_passphrase")
        attributes = try FileAttributes(args)
        guard (try args.int("version") ?? 1) == 1 else { throw ModuleError("value of version must be one of: 1") }
        guard digest.range(of: "^[A-Za-z0-9-]+$", options: .regularExpression) != nil else {
            throw ModuleError("Unsupported digest \"\(digest)\"")
        }
        if present && privateKeyPath == nil && privateKeyContent == nil {
            throw ModuleError("state is present but any of the following are missing: privatekey_path, privatekey_content")
        }
        request = try CSRRequest(args)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = CryptoScriptSupport.script(OpenSSLKeyScript.common + "\n" + OpenSSLKeyScript.request + "\n" + Self.body)
        s.set("present", present)
        s.set("path", path)
        s.set("force", force)
        s.set("backup", backup)
        s.set("return_content", returnContent)
        s.set("digest", digest.lowercased())
        s.set("subj", request.subjectArgument)
        s.set("exts", request.extensions.joined(separator: "\n"))
        s.set("ordered", request.ordered)
        s.set("privatekey_path", privateKeyPath ?? "")
        s.set("has_content", privateKeyContent != nil)
        s.set("has_pass", passphrase != nil)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let out = try s.run(in: context, stdin: OpenSSLPublicKeyModule.stdin(passphrase: passphrase, content: privateKeyContent))
        if let f = out.failure { return .failed(f) }
        var data = request.returned
        data["privatekey"] = privateKeyPath.map { .string($0) } ?? .null
        data["filename"] = .string(out.first("path") ?? path)
        if let b = out.first("backup_file") { data["backup_file"] = .string(b) }
        if returnContent && present { data["csr"] = out.has("has_content") ? .string(out.text) : .null }
        return ModuleResult(changed: out.has("changed") || out.has("attr"), data: data)
    }

    static let body = #"""
    [ -d "$path" ] && die "$path is a directory. Please specify a path to a file."
    absent_exit
    key_open "[Errno 2] No such file or directory: '@KEY@'"
    work_dir
    need=0
    if [ "$force" = 1 ] || csr_needed "$path"; then need=1; fi
    if [ "$need" = 1 ]; then
      pv changed
      if [ "$check" != 1 ]; then
        [ -s "$work/new.csr" ] || make_request "$work/new.csr"
        new_tmp
        cp -- "$work/new.csr" "$tmp/out" && chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp/out" || die "cannot write $tmp/out"
        backup_once
        place "$tmp/out" "$path"
      fi
    fi
    if [ -e "$path" ]; then pv_attrs "$path"; elif [ "$check" = 1 ]; then pv changed; fi
    if [ "$return_content" = 1 ] && [ -e "$path" ]; then pv has_content; pv content; cat -- "$path"; fi
    exit 0
    """#
}
