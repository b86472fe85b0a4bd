import Foundation

/// `openssl_privatekey` (community.crypto.openssl_privatekey): a PEM private key generated and
/// checked on the host with its `openssl` command, so the key never leaves the host.
///
/// Idempotence is the collection's: an existing key that reads with the given passphrase (or
/// none) and has the asked type and size (curve for ECC) is kept; `regenerate`, `force`,
/// `format` and `format_mismatch` (regenerate or convert) decide the rest, with the
/// collection's messages. Keys are written as the collection writes them: PKCS#1
/// ("traditional") for RSA, DSA and ECC unless `format: pkcs8`, PKCS#8 for the Edwards and
/// Montgomery curves; encrypted with AES-256 when `passphrase` and `cipher: auto` are given.
/// The passphrase travels on the script's stdin, never on a command line.
public struct OpenSSLPrivateKeyModule: Module {
    public static let name = "openssl_privatekey"
    public static let collection = "community.crypto"
    static let types = ["DSA", "ECC", "Ed25519", "Ed448", "RSA", "X25519", "X448"]
    static let curves = ["secp224r1", "secp256k1", "secp256r1", "secp384r1", "secp521r1", "secp192r1",
                         "brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "sect163k1", "sect163r2",
                         "sect233k1", "sect233r1", "sect283k1", "sect283r1", "sect409k1", "sect409r1",
                         "sect571k1", "sect571r1"]
    /// Curves the collection warns about when a new key is made on them.
    static let deprecatedCurves = Set(curves.filter { !["secp224r1", "secp256k1", "secp256r1", "secp384r1", "secp521r1"].contains($0) })
    static let regenerateChoices = ["never", "fail", "partial_idempotence", "full_idempotence", "always"]
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("force", .bool, default: false),
        .init("size", .int, default: 4096),
        .init("type", choices: types, default: "RSA"),
        .init("curve", choices: curves),
        .init("passphrase"),
        .init("cipher"),
        .init("format", choices: ["pkcs1", "pkcs8", "raw", "auto", "auto_ignore"], default: "auto_ignore"),
        .init("format_mismatch", choices: ["regenerate", "convert"], default: "regenerate"),
        .init("select_crypto_backend", choices: ["auto", "cryptography"], default: "auto"),
        .init("regenerate", choices: regenerateChoices, default: "full_idempotence"),
        .init("backup", .bool, default: false),
        .init("return_content", .bool, default: false),
    ] + FileAttributes.fields)

    public var path: String
    public var present: Bool
    public var type: String
    public var size: Int
    public var curve: String?
    var passphrase: String?
    public var format: String
    public var formatMismatch: String
    public var regenerate: String
    public var backup: Bool
    public var returnContent: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        type = try args.choice("type", Self.types) ?? "RSA"
        size = try args.int("size") ?? 4096
        curve = try args.choice("curve", Self.curves)
        passphrase = try args.string("passphrase")
        let cipher = try args.string("cipher")
        format = try args.choice("format", ["pkcs1", "pkcs8", "raw", "auto", "auto_ignore"]) ?? "auto_ignore"
        formatMismatch = try args.choice("format_mismatch", ["regenerate", "convert"]) ?? "regenerate"
        regenerate = (try args.bool("force") ?? false) ? "always" : (try args.choice("regenerate", Self.regenerateChoices) ?? "full_idempotence")
        backup = try args.bool("backup") ?? false
        returnContent = try args.bool("return_content") ?? false
        attributes = try FileAttributes(args)
        // The collection's default: a private key is 0600 unless a mode is given.
        if attributes.mode == nil { attributes.mode = "600" }
        if (cipher == nil) != (passphrase == nil) { throw ModuleError("parameters are required together: cipher, passphrase") }
        if let cipher, cipher != "auto" { throw ModuleError("Cryptography backend can only use \"auto\" for cipher option.") }
        if type == "ECC" && curve == nil { throw ModuleError("type is ECC but all of the following are missing: curve") }
        if format == "raw" {
            throw ModuleError("format 'raw' is not supported: provision writes keys with the host's openssl, which has no raw key output; use pkcs8")
        }
        if format == "pkcs1" && !["RSA", "DSA", "ECC"].contains(type) {
            throw ModuleError("Cryptography backend cannot serialize the private key in the required format \"pkcs1\"")
        }
    }

    /// The format a new key is written in (the collection's `_get_wanted_format`).
    var wantedFormat: String {
        if format != "auto" && format != "auto_ignore" { return format }
        return ["X25519", "X448", "Ed25519", "Ed448"].contains(type) ? "pkcs8" : "pkcs1"
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = CryptoScriptSupport.script(OpenSSLKeyScript.common + "\n" + Self.body)
        s.set("present", present)
        s.set("path", path)
        s.set("type", type)
        s.set("size", String(size))
        s.set("curve", curve ?? "")
        s.set("has_pass", passphrase != nil)
        s.set("wanted", wantedFormat)
        s.set("format", format)
        s.set("mismatch", formatMismatch)
        s.set("regenerate", regenerate)
        s.set("backup", backup)
        s.set("return_content", returnContent)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let out = try s.run(in: context, stdin: passphrase.map { Data($0.utf8) })
        if let f = out.failure { return .failed(f) }
        var data: [String: Value] = [
            "type": .string(type), "size": .int(size), "filename": .string(out.first("path") ?? path),
            "fingerprint": OpenSSLKeyScript.fingerprints(out),
        ]
        if type == "ECC" { data["curve"] = .string(curve ?? "") }
        if let b = out.first("backup_file") { data["backup_file"] = .string(b) }
        if returnContent && present { data["privatekey"] = out.has("has_content") ? .string(out.text) : .null }
        var result = ModuleResult(changed: out.has("changed") || out.has("attr"), data: data)
        if let d = Self.deprecatedCurves.first(where: { $0 == curve }), out.has("generated") {
            result.warnings.append("Elliptic curves of type \(d) should not be used for new keys!")
        }
        return result
    }

    static let body = #"""
    [ -d "$path" ] && die "$path is a directory. Please specify a path to a file."
    pass=; [ "$has_pass" != 1 ] || pass=$(cat)
    exists=0; [ -e "$path" ] && exists=1
    absent_exit
    command -v openssl >/dev/null 2>&1 || die "openssl is not on this host: install it (package openssl); provision makes private keys on the host, so they never leave it"
    umask 077
    need() { [ "$regenerate" = "partial_idempotence" ] || [ "$regenerate" = "full_idempotence" ]; }
    key_matches() {
      case $type in
        RSA|DSA) [ "$d_type" = "$type" ] && [ "$d_size" = "$size" ] ;;
        ECC) [ "$d_type" = ECC ] && [ "$d_curve" = "$curve" ] ;;
        *) [ "$d_type" = "$type" ] ;;
      esac
    }
    format_matches() { [ "$format" = auto_ignore ] || [ "$(key_format "$1")" = "$wanted" ]; }
    key_generate() {
      case $type in
        RSA) openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$size" -out "$1" ;;
        DSA) openssl genpkey -genparam -algorithm DSA -pkeyopt "dsa_paramgen_bits:$size" -out "$1.param" \
               && openssl genpkey -paramfile "$1.param" -out "$1" ;;
        ECC) _c=$curve
             case $_c in secp256r1) _c=prime256v1 ;; secp192r1) _c=prime192v1 ;; esac
             openssl genpkey -algorithm EC -pkeyopt "ec_paramgen_curve:$_c" -pkeyopt ec_param_enc:named_curve -out "$1" ;;
        Ed25519) openssl genpkey -algorithm ED25519 -out "$1" ;;
        Ed448) openssl genpkey -algorithm ED448 -out "$1" ;;
        X25519) openssl genpkey -algorithm X25519 -out "$1" ;;
        X448) openssl genpkey -algorithm X448 -out "$1" ;;
      esac 2>"$tmp/err" </dev/null || die "Cryptography backend does not support the algorithm required for $type: $(cat "$tmp/err")"
    }
    # Writes PLAIN (PEM) to OUT in the wanted format, encrypted with AES-256 under a passphrase.
    key_write() {
      _t=; [ "$wanted" = pkcs1 ] && _t=-traditional
      if [ "$has_pass" = 1 ]; then printf '%s\n' "$pass" | openssl pkey -in "$1" $_t -aes256 -passout stdin -out "$2"
      else openssl pkey -in "$1" $_t -out "$2" </dev/null; fi 2>"$tmp/err" || die "cannot write the key: $(cat "$tmp/err")"
    }
    action=keep
    if [ "$regenerate" = always ] || [ "$exists" != 1 ]; then action=generate
    elif ! key_readable "$path"; then
      [ "$regenerate" = full_idempotence ] || die "Unable to read the key. The key is protected with a another passphrase / no passphrase or broken. Will not proceed. To force regeneration, call the module with \`generate\` set to \`full_idempotence\` or \`always\`, or with \`force=true\`."
      action=generate
    else
      key_describe "$path"
      if [ "$regenerate" != never ] && ! key_matches; then
        need || die "Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with \`generate\` set to \`partial_idempotence\`, \`full_idempotence\` or \`always\`, or with \`force=true\`."
        action=generate
      elif [ "$regenerate" != never ] && [ "$mismatch" = regenerate ] && ! format_matches "$path"; then
        need || die "Key has wrong format. Will not proceed. To force regeneration, call the module with \`generate\` set to \`partial_idempotence\`, \`full_idempotence\` or \`always\`, or with \`force=true\`. To convert the key, set \`format_mismatch\` to \`convert\`."
        action=generate
      elif [ "$mismatch" = convert ] && ! format_matches "$path"; then
        action=convert
      fi
    fi
    if [ "$action" != keep ]; then
      pv changed
      [ "$action" = generate ] && pv generated
      if [ "$check" != 1 ]; then
        new_tmp
        if [ "$action" = generate ]; then key_generate "$tmp/plain"; else key_plain "$path" > "$tmp/plain" || die "cannot read $path"; fi
        key_write "$tmp/plain" "$tmp/key"
        backup_once
        place "$tmp/key" "$path"
      fi
    fi
    if [ -e "$path" ]; then pv_attrs "$path"; elif [ "$check" = 1 ]; then pv changed; fi
    [ -e "$path" ] && key_readable "$path" && key_fingerprints "$path"
    if [ "$return_content" = 1 ] && [ -e "$path" ]; then pv has_content; pv content; cat -- "$path"; fi
    exit 0
    """#
}
