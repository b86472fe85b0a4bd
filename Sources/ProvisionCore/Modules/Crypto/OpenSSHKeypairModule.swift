import Foundation

/// `openssh_keypair` (community.crypto.openssh_keypair): an OpenSSH key pair at `path` and
/// `path.pub`, made and inspected on the host by its own `ssh-keygen`, as the collection's
/// `opensshbin` backend does (the key never leaves the host, nothing but `ssh-keygen` is needed).
///
/// Idempotence is the collection's: an existing key is read with `ssh-keygen -l` (size, type,
/// fingerprint) and `ssh-keygen -y` (readable without a passphrase, its public half); it is
/// regenerated per `regenerate`/`force`; a `.pub` that is missing or does not match (or has
/// another comment than `comment`) is rewritten without regenerating the key.
///
/// `passphrase` is refused: under Ansible it selects the Python `cryptography` backend, and
/// `ssh-keygen` only takes a new passphrase on its command line, where every user of the host
/// could read it in the process list.
public struct OpenSSHKeypairModule: Module {
    public static let name = "openssh_keypair"
    public static let collection = "community.crypto"
    static let types = ["rsa", "dsa", "rsa1", "ecdsa", "ed25519"]
    static let regenerateChoices = ["never", "fail", "partial_idempotence", "full_idempotence", "always"]
    public static let argumentSpec = ArgumentSpec([
        .init("path", required: true),
        .init("state", choices: ["present", "absent"], default: "present"),
        .init("type", choices: types, default: "rsa"),
        .init("size", .int),
        .init("comment"),
        .init("force", .bool, default: false),
        .init("regenerate", choices: regenerateChoices, default: "partial_idempotence"),
        .init("passphrase"),
        .init("private_key_format", choices: ["auto", "pkcs1", "pkcs8", "ssh"], default: "auto"),
        .init("backend", choices: ["auto", "cryptography", "opensshbin"], default: "auto"),
    ] + FileAttributes.fields)

    public var path: String
    public var present: Bool
    public var type: String
    /// The size the key must have, as the collection computes it from `type` and `size`.
    public var size: Int
    public var comment: String?
    public var regenerate: String
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        path = try args.requiredString("path")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        type = try args.choice("type", Self.types) ?? "rsa"
        comment = try args.string("comment")
        let force = try args.bool("force") ?? false
        regenerate = force ? "always" : (try args.choice("regenerate", Self.regenerateChoices) ?? "partial_idempotence")
        attributes = try FileAttributes(args)
        if let p = try args.string("passphrase"), !p.isEmpty {
            throw ModuleError("passphrase is not supported: provision runs ssh-keygen on the host, which takes a new passphrase only on its command line, visible to every user in the process list; "
                + "generate the key without one, or encrypt it afterwards by hand with 'ssh-keygen -p'")
        }
        switch try args.choice("backend", ["auto", "cryptography", "opensshbin"]) ?? "auto" {
        case "cryptography":
            throw ModuleError("backend 'cryptography' needs Python on the host; provision uses the host's ssh-keygen: use backend 'auto' or 'opensshbin'")
        default: break
        }
        if let f = try args.choice("private_key_format", ["auto", "pkcs1", "pkcs8", "ssh"]), f != "auto" {
            throw ModuleError("'auto' is the only valid option for 'private_key_format' when 'backend' is not 'cryptography'")
        }
        size = try Self.size(for: type, given: args.int("size"))
    }

    /// The collection's size rules (its messages, word for word).
    static func size(for type: String, given: Int?) throws -> Int {
        switch type {
        case "rsa", "rsa1":
            let s = given ?? 4096
            guard s >= 1024 else {
                throw ModuleError("For RSA keys, the minimum size is 1024 bits and the default is 4096 bits. Attempting to use bit lengths under 1024 will cause the module to fail.")
            }
            return s
        case "dsa":
            guard given == nil || given == 1024 else { throw ModuleError("DSA keys must be exactly 1024 bits as specified by FIPS 186-2.") }
            return 1024
        case "ecdsa":
            let s = given ?? 256
            guard [256, 384, 521].contains(s) else {
                throw ModuleError("For ECDSA keys, size determines the key length by selecting from one of three elliptic curve sizes: 256, 384 or 521 bits. Attempting to use bit lengths other than these three values for ECDSA keys will cause this module to fail.")
            }
            return s
        default:
            return 256  // ed25519: fixed, the given size is ignored
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = CryptoScriptSupport.script(Self.body)
        s.set("path", path)
        s.set("present", present)
        s.set("type", type)
        s.set("size", String(size))
        s.set("has_comment", comment != nil)
        s.set("comment", comment ?? "")
        s.set("regenerate", regenerate)
        s.set("check", context.checkMode)
        attributes.apply(to: &s)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }

        let before = SSHKeyState(keygenLine: out.first("o_l"), publicFile: out.first("o_pub"))
        let after = present ? SSHKeyState(keygenLine: out.first("n_l"), publicFile: out.first("n_pub")) : SSHKeyState()
        // As the collection: the key as it is now, or as it was when it is gone (absent).
        let fingerprint = after.fingerprint ?? before.fingerprint ?? ""
        let pub = after.publicKeyFields != nil ? after : before
        var result = ModuleResult(changed: out.has("changed") || out.has("attr"), data: [
            "size": .int(size), "type": .string(type), "filename": .string(out.first("path") ?? path),
            "fingerprint": .string(fingerprint),
            "public_key": .string(pub.publicKeyFields.map { $0.type + " " + $0.data } ?? ""),
            "comment": .string(pub.publicKeyFields?.comment ?? ""),
        ])
        if context.diffMode && result.changed {
            result.diffs = [FileDiff(path: path, before: before.diffText, after: after.diffText)]
        }
        return result
    }

    static let body = #"""
    pub=$path.pub
    keygen=0; command -v ssh-keygen >/dev/null 2>&1 && keygen=1
    [ -d "$path" ] && die "$path is a directory. Please specify a path to a file."
    [ "$present" != 1 ] || [ "$keygen" = 1 ] || die "Cannot find the OpenSSH binary in the PATH: install ssh-keygen (package openssh-client) on this host"
    # `ssh-keygen -l` of the private key ("SIZE FINGERPRINT COMMENT (TYPE)"), empty when unreadable.
    key_line() { [ -e "$path" ] && [ "$keygen" = 1 ] && ssh-keygen -l -f "$path" </dev/null 2>/dev/null | head -n 1; }
    # The .pub file as the collection reads it: stripped of spaces and newlines at both ends.
    pub_text() { [ -f "$pub" ] && [ -r "$pub" ] && sed -e '1s/^[ ]*//' "$pub" | tr '\n' '\036' | sed -e 's/[ \036]*$//' | tr '\036' '\n'; }
    # Sets k_size and k_type from a `key_line`; fails when it does not parse.
    parse_line() {
      k_size=; k_type=
      set -f; set -- $1; set +f
      [ $# -ge 2 ] || return 1
      case $1 in ''|*[!0-9]*) return 1 ;; esac
      k_size=$1; eval "_last=\${$#}"
      k_type=$(printf '%s' "$_last" | sed -e 's/^.//' -e 's/.$//' | tr 'A-Z' 'a-z')
    }
    # The public half `ssh-keygen -y` derives from the private key, without a passphrase.
    derived() { ssh-keygen -P '' -y -f "$path" </dev/null 2>/dev/null; }
    readable() {
      _err=$(ssh-keygen -P '' -y -f "$path" </dev/null 2>&1 >/dev/null); _rc=$?
      [ $_rc -ne 255 ] || return 1
      case $_err in *'is not a public key file'*|*'incorrect passphrase'*|*'load failed'*) return 1 ;; esac
    }
    # Splits "TYPE DATA COMMENT" (Python's split(' ', 2)) into f_type f_data f_comment.
    fields() {
      case $1 in *' '*) ;; *) return 1 ;; esac
      f_type=${1%% *}; _r=${1#* }; f_data=${_r%% *}
      case $_r in *' '*) f_comment=${_r#* } ;; *) f_comment= ;; esac
    }
    pub_valid() {
      _have=$(pub_text) && fields "$_have" || return 1
      _pt=$f_type _pd=$f_data _pc=$f_comment
      _want=$(derived) && fields "$_want" || return 1
      [ "$f_type" = "$_pt" ] && [ "$f_data" = "$_pd" ] || return 1
      [ "$has_comment" != 1 ] || [ "$comment" = "$_pc" ]
    }
    o_line=$(key_line)
    pv o_l "$o_line"
    pv o_pub "$(pub_text | head -n 1)"
    if [ "$present" != 1 ]; then
      if [ -e "$path" ] || [ -e "$pub" ]; then
        pv changed
        [ "$check" = 1 ] || rm -f -- "$path" "$pub" || die "cannot remove $path"
      fi
      exit 0
    fi
    have=0; parse_line "$o_line" && have=1
    o_size=$k_size o_type=$k_type
    if [ -e "$path" ]; then
      case $regenerate in never|fail|partial_idempotence)
        if [ "$have" != 1 ] || ! readable; then
          die "Unable to read the key. The key is protected with a passphrase or broken. Will not proceed. To force regeneration, call the module with \`generate\` set to \`full_idempotence\` or \`always\`, or with \`force=true\`."
        fi ;;
      esac
    fi
    valid() { [ "$have" = 1 ] && [ "$o_size" = "$size" ] && [ "$o_type" = "$type" ]; }
    gen=0
    if [ "$have" != 1 ]; then gen=1
    else
      case $regenerate in
        fail) valid || die "Key has wrong type and/or size. Will not proceed. To force regeneration, call the module with \`generate\` set to \`partial_idempotence\`, \`full_idempotence\` or \`always\`, or with \`force=true\`." ;;
        partial_idempotence|full_idempotence) valid || gen=1 ;;
        always) gen=1 ;;
      esac
    fi
    if [ "$gen" = 1 ]; then
      pv changed
      if [ "$check" != 1 ]; then
        new_tmp
        _new=$tmp/key
        _o=$(ssh-keygen -q -N '' -b "$size" -t "$type" -f "$_new" -C "$comment" </dev/null 2>&1) || die "$_o"
        place "$_new" "$path"
        place "$_new.pub" "$pub"
      fi
    elif ! pub_valid; then
      pv changed
      if [ "$check" != 1 ]; then
        _want=$(derived) && fields "$_want" || die "The public key is missing or does not match the private key. Unable to regenerate the public key."
        new_tmp
        printf '%s %s\n' "$f_type" "$f_data" > "$tmp/pub" && chmod 644 "$tmp/pub" || die "cannot write $tmp/pub"
        place "$tmp/pub" "$pub"
        if [ -n "$comment" ]; then
          [ -w "$path" ] || chmod u+rw "$path" || die "The private key at $path is not writeable preventing a comment update"
          _o=$(ssh-keygen -q -o -c -C "$comment" -f "$path" </dev/null 2>&1) || die "$_o"
        fi
      fi
    fi
    pv n_l "$(key_line)"
    pv n_pub "$(pub_text | head -n 1)"
    for _f in "$path" "$pub"; do
      if [ -e "$_f" ]; then pv_attrs "$_f"
      elif [ "$check" = 1 ]; then pv changed
      fi
    done
    exit 0
    """#
}
