import Foundation

/// `openssl_publickey` (community.crypto.openssl_publickey): the public half of a private key on
/// the host, as PEM (SubjectPublicKeyInfo) or OpenSSH (`TYPE BASE64`, no comment, no newline),
/// derived there with `openssl` (and `ssh-keygen -i` for OpenSSH), rewritten only when it
/// differs from what the key gives, or with `force`.
///
/// `privatekey_content` and `privatekey_passphrase` reach the host on the script's stdin.
public struct OpenSSLPublicKeyModule: Module {
    public static let name = "openssl_publickey"
    public static let collection = "community.crypto"
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("force", .bool, default: false),
        .init("format", choices: ["OpenSSH", "PEM"], default: "PEM"),
        .init("privatekey_path"),
        .init("privatekey_content"),
        .init("privatekey_passphrase"),
        .init("backup", .bool, default: false),
        .init("select_crypto_backend", choices: ["auto", "cryptography"], default: "auto"),
        .init("return_content", .bool, default: false),
    ] + FileAttributes.fields, mutuallyExclusive: [["privatekey_path", "privatekey_content"]])

    public var path: String
    public var present: Bool
    public var force: Bool
    public var format: String
    public var privateKeyPath: String?
    var privateKeyContent: String?
    var passphrase: String?
    public var backup: Bool
    public var returnContent: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        force = try args.bool("force") ?? false
        format = try args.choice("format", ["OpenSSH", "PEM"]) ?? "PEM"
        privateKeyPath = try args.string("privatekey_path")
        privateKeyContent = try args.string("privatekey_content")
        passphrase = try args.string("privatekey_passphrase")
        backup = try args.bool("backup") ?? false
        returnContent = try args.bool("return_content") ?? false
        attributes = try FileAttributes(args)
        if present && privateKeyPath == nil && privateKeyContent == nil {
            throw ModuleError("state is present but any of the following are missing: privatekey_path, privatekey_content")
        }
    }

    /// Passphrase line, then the key's content, as `read_pass` and `key_source` read them.
    static func stdin(passphrase: String?, content: String?) -> Data? {
        guard passphrase != nil || content != nil else { return nil }
        return Data(((passphrase.map { $0 + "\n" } ?? "") + (content ?? "")).utf8)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = CryptoScriptSupport.script(OpenSSLKeyScript.common + "\n" + Self.body)
        s.set("present", present)
        s.set("path", path)
        s.set("force", force)
        s.set("format", format)
        s.set("privatekey_path", privateKeyPath ?? "")
        s.set("has_content", privateKeyContent != nil)
        s.set("has_pass", passphrase != nil)
        s.set("backup", backup)
        s.set("return_content", returnContent)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let out = try s.run(in: context, stdin: Self.stdin(passphrase: passphrase, content: privateKeyContent))
        if let f = out.failure { return .failed(f) }
        var data: [String: Value] = [
            "privatekey": privateKeyPath.map { .string($0) } ?? .null,
            "filename": .string(out.first("path") ?? path), "format": .string(format),
            "fingerprint": OpenSSLKeyScript.fingerprints(out),
        ]
        // As the collection: no fingerprint when removing, nor in check mode (it only checks then).
        if !present || context.checkMode { data["fingerprint"] = .dict([:]) }
        if let b = out.first("backup_file") { data["backup_file"] = .string(b) }
        if returnContent && present { data["publickey"] = out.has("has_content") ? .string(out.text) : .null }
        return ModuleResult(changed: out.has("changed") || out.has("attr"), data: data)
    }

    static let body = #"""
    [ -d "$path" ] && die "$path is a directory. Please specify a path to a file."
    absent_exit
    key_open "The private key @KEY@ does not exist"
    key_public "$key" || die "cannot derive the public key from $key"
    # What the file must hold, and what it holds, each in its canonical form.
    if [ "$format" = OpenSSH ]; then
      key_describe "$key"
      case $d_type in
        Ed25519)
          want=$({ printf '\000\000\000\013ssh-ed25519\000\000\000\040'
                   printf '%s\n' "$pubpem" | openssl pkey -pubin -outform DER | tail -c 32; } | openssl base64 -A) || die "cannot encode the key"
          want="ssh-ed25519 $want" ;;
        RSA|DSA|ECC)
          command -v ssh-keygen >/dev/null 2>&1 || die "ssh-keygen is not on this host: install it (package openssh-client) for format OpenSSH"
          new_tmp
          printf '%s\n' "$pubpem" > "$tmp/pub.pem"
          want=$(ssh-keygen -i -m PKCS8 -f "$tmp/pub.pem" 2>/dev/null) || die "ssh-keygen cannot convert the $d_type key" ;;
        *) die "public key of type $d_type cannot be written in OpenSSH format" ;;
      esac
      have=; [ -f "$path" ] && have=$(awk 'NR == 1 { print $1, $2 }' "$path" 2>/dev/null)
    else
      want=$pubpem
      have=; [ -f "$path" ] && have=$(openssl pkey -pubin -in "$path" 2>/dev/null)
    fi
    if [ ! -e "$path" ] || [ "$force" = 1 ] || [ "$have" != "$want" ]; then
      pv changed
      if [ "$check" != 1 ]; then
        new_tmp
        if [ "$format" = OpenSSH ]; then printf '%s' "$want"; else printf '%s\n' "$want"; fi > "$tmp/out" || die "cannot write $tmp/out"
        [ -e "$path" ] || chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp/out"
        backup_once
        place "$tmp/out" "$path"
      fi
    fi
    if [ -e "$path" ]; then pv_attrs "$path"; elif [ "$check" = 1 ]; then pv changed; fi
    key_fingerprints "$key"
    if [ "$return_content" = 1 ] && [ -e "$path" ]; then pv has_content; pv content; cat -- "$path"; fi
    exit 0
    """#
}
