/// Shell functions over PEM private keys with the host's `openssl` (1.1.1 or 3.x), shared by
/// the openssl_* modules. They read `$has_pass` and `$pass` (the passphrase, which reached the
/// script on stdin: it is handed to openssl on a pipe, never as an argument).
///
/// - `key_plain F`: the key, decrypted, as PEM on stdout (fails when it does not load).
/// - `key_readable F`: loads with exactly the passphrase given: an encrypted key without one,
///   or an unencrypted key with one, does not (as `cryptography` refuses both).
/// - `key_load_error F`: the collection's message for a key that does not load, else nothing.
/// - `key_source`, `read_pass`: the key given as content (stdin) or by path, the passphrase.
/// - `key_open MISSING`: openssl present, passphrase and key read, the key loads.
/// - `key_describe F`: sets `d_type` (RSA, DSA, ECC, Ed25519, …), `d_size`, `d_curve` (IANA name).
/// - `key_format F`: pkcs1 (traditional PEM), pkcs8, or raw (not PEM).
/// - `key_public F`: `$pubpem`, the SubjectPublicKeyInfo PEM of the key.
/// - `key_fingerprints F`: `@@pv fp ALGO HEX` for each of Python's guaranteed hashes of the
///   DER public key (the collection's `fingerprint`), where this openssl has the digest.
enum OpenSSLKeyScript {
    static let common = #"""
    key_plain() {
      if [ "$has_pass" = 1 ]; then printf '%s\n' "$pass" | openssl pkey -in "$1" -passin stdin 2>/dev/null
      else openssl pkey -in "$1" -passin pass: </dev/null 2>/dev/null; fi
    }
    key_format() {
      case $(sed -n '/^-----BEGIN/{p;q;}' "$1" 2>/dev/null) in
        '-----BEGIN PRIVATE KEY-----'|'-----BEGIN ENCRYPTED PRIVATE KEY-----') echo pkcs8 ;;
        '-----BEGIN '*' PRIVATE KEY-----') echo pkcs1 ;;
        *) echo raw ;;
      esac
    }
    key_readable() {
      [ "$(key_format "$1")" != raw ] || return 1
      _enc=0; grep -q -e '^-----BEGIN ENCRYPTED PRIVATE KEY-----' -e '^Proc-Type: 4,ENCRYPTED' "$1" && _enc=1
      [ "$_enc" = "$has_pass" ] && key_plain "$1" >/dev/null
    }
    # The collection's message when F does not load with the passphrase given; nothing when it does.
    key_load_error() {
      if [ "$(key_format "$1")" != raw ]; then
        _enc=0; grep -q -e '^-----BEGIN ENCRYPTED PRIVATE KEY-----' -e '^Proc-Type: 4,ENCRYPTED' "$1" && _enc=1
        if [ "$_enc" != "$has_pass" ]; then echo 'Wrong or empty passphrase provided for private key'; return 0; fi
      fi
      key_plain "$1" >/dev/null || echo 'Wrong passphrase provided for private key'
    }
    # Reads the key from stdin when it is given as content (after the passphrase line, if any):
    # sets `$key` to a file in a private temporary directory, or to `$privatekey_path`.
    key_source() {
      if [ "$has_content" = 1 ]; then
        keytmp=$(umask 077; mktemp -d "${TMPDIR:-/tmp}/.provision-key.XXXXXX") || die "cannot create a temporary directory"
        key=$keytmp/key
        (umask 077; cat > "$key") || die "cannot write $key"
      else
        key=$privatekey_path
        case $key in "~") key=$HOME ;; "~/"*) key=$HOME/${key#"~/"} ;; esac
      fi
    }
    # Needs openssl, reads the passphrase and the key (content or path), and fails with the
    # collection's message when the key does not load; $1: the message for a missing key file
    # (@KEY@ stands for its path).
    key_open() {
      command -v openssl >/dev/null 2>&1 || die "openssl is not on this host: install it (package openssl)"
      read_pass
      key_source
      [ "$has_content" = 1 ] || [ -e "$key" ] || die "${1%%@KEY@*}$key${1#*@KEY@}"
      _e=$(key_load_error "$key"); [ -z "$_e" ] || die "$_e"
    }
    # The passphrase, when there is one, is the first line of stdin.
    read_pass() { pass=; [ "$has_pass" != 1 ] || IFS= read -r pass || [ -n "$pass" ]; }
    key_describe() {
      _d=$(key_plain "$1" | openssl pkey -noout -text 2>/dev/null | awk '
        /^(RSA )?Private-Key: \(/ { s = $0; sub(/^[^(]*\(/, "", s); sub(/ bit.*/, "", s); size = s }
        /^modulus:/ { t = "RSA" }
        /^P:/ { if (t == "") t = "DSA" }
        /^ASN1 OID:/ { t = "ECC"; c = $3 }
        /^ED25519 Private-Key/ { t = "Ed25519" }
        /^ED448 Private-Key/ { t = "Ed448" }
        /^X25519 Private-Key/ { t = "X25519" }
        /^X448 Private-Key/ { t = "X448" }
        END {
          if (c == "prime256v1") c = "secp256r1"
          if (c == "prime192v1") c = "secp192r1"
          print (t == "" ? "-" : t), (size == "" ? "-" : size), (c == "" ? "-" : c)
        }')
      set -f; set -- $_d; set +f
      d_type=$1 d_size=$2 d_curve=$3
    }
    key_public() { pubpem=$(key_plain "$1" | openssl pkey -pubout 2>/dev/null) && [ -n "$pubpem" ]; }
    key_fingerprints() {
      key_public "$1" || return 0
      for _a in md5:md5 sha1:sha1 sha224:sha224 sha256:sha256 sha384:sha384 sha512:sha512 \
          sha3_224:sha3-224 sha3_256:sha3-256 sha3_384:sha3-384 sha3_512:sha3-512 \
          blake2b:blake2b512 blake2s:blake2s256 shake_128:shake128 shake_256:shake256; do
        _x=
        case ${_a#*:} in shake*) _x="-xoflen 32" ;; esac
        _h=$(printf '%s\n' "$pubpem" | openssl pkey -pubin -outform DER 2>/dev/null | openssl dgst -"${_a#*:}" $_x -r 2>/dev/null) || continue
        [ -n "$_h" ] && pv fp "${_a%%:*}" "${_h%% *}"
      done
    }
    """#

    /// The `fingerprint` dict from `@@pv fp ALGO HEX` lines (hex as colon-separated pairs),
    /// null when the key could not be read (as the collection's).
    static func fingerprints(_ out: ScriptOutput) -> Value {
        var d = ValueDict()
        for line in out.all("fp") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            d[parts[0]] = .string(colonPairs(parts[1]))
        }
        return d.isEmpty ? .null : .dict(d)
    }

    /// `ab:cd:…`, as the collection prints digests.
    static func colonPairs(_ hex: String) -> String {
        var out = ""
        for (i, c) in hex.enumerated() {
            if i > 0 && i % 2 == 0 { out.append(":") }
            out.append(c)
        }
        return out
    }
}
