extension OpenSSLKeyScript {
    /// Shell functions for certificate signing requests (after `common`):
    /// - `work_dir`: `$work`, a private scratch directory under `$TMPDIR` (gone at exit).
    /// - `make_request OUT`: `openssl req -new` with `$key` (decrypted on a pipe, never on
    ///   disk), `$subj`, the `-addext` values in `$exts` (one a line) and `-$digest` (none for
    ///   Edwards keys, which sign without one).
    /// - `csr_needed FILE`: the CSR in FILE must be made anew (the collection's checks).
    /// - `csr_canon FILE`: the subject (sorted unless `$ordered` is 1) and each requested
    ///   extension with its criticality and its values sorted, one a line: two CSRs with the
    ///   same canonical text ask for the same thing, as the collection compares them.
    static let request = #"""
    work_dir() {
      [ -n "$work" ] && return 0
      work=$(umask 077; mktemp -d "${TMPDIR:-/tmp}/.provision-csr.XXXXXX") || die "cannot create a temporary directory"
    }
    make_request() {
      key_describe "$key"
      printf '[req]\ndistinguished_name = dn\nprompt = no\nutf8 = yes\nstring_mask = utf8only\n[dn]\n' > "$work/req.cnf"
      set -- -new -config "$work/req.cnf" -key /dev/stdin -subj "$subj" -out "$1"
      case $d_type in Ed25519|Ed448) ;; *) set -- "$@" "-$digest" ;; esac
      while IFS= read -r _x; do [ -z "$_x" ] || set -- "$@" -addext "$_x"; done <<EOF
    $exts
    EOF
      _o=$(key_plain "$key" | openssl req "$@" 2>&1) || die "openssl req could not make the request: $(printf '%s' "$_o" | head -n 3)"
    }
    # True when the CSR in FILE must be made anew for $key and the options: it is missing or
    # unreadable, carries another public key, does not verify, or asks for something else.
    csr_needed() {
      [ -e "$1" ] || return 0
      openssl req -in "$1" -noout >/dev/null 2>&1 || return 0
      key_public "$key" || die "cannot read the public key of $key"
      [ "$(openssl req -in "$1" -noout -pubkey 2>/dev/null)" = "$pubpem" ] || return 0
      openssl req -in "$1" -noout -verify >/dev/null 2>&1 || return 0
      make_request "$work/new.csr"
      [ "$(csr_canon "$1")" != "$(csr_canon "$work/new.csr")" ]
    }
    csr_canon() {
      if [ "$ordered" = 1 ]; then
        openssl req -in "$1" -noout -subject -nameopt multiline 2>/dev/null | sed -e 1d -e 's/^ *//'
      else
        openssl req -in "$1" -noout -subject -nameopt multiline 2>/dev/null | sed -e 1d -e 's/^ *//' | sort
      fi
      echo --
      openssl req -in "$1" -noout -text 2>/dev/null | awk '
        /Requested Extensions:/ { on = 1; next }
        on && !/^                / { on = 0 }
        on && /^                [^ ]/ { if (h != "") print h "|" v; h = $0; sub(/^ +/, "", h); v = ""; next }
        on && /^                    / { s = $0; sub(/^ +/, "", s); v = (v == "" ? s : v ", " s); next }
        END { if (h != "") print h "|" v }' | while IFS= read -r _l; do
          printf '%s|%s\n' "${_l%%|*}" "$(printf '%s\n' "${_l#*|}" | tr ',' '\n' | sed 's/^ *//' | sort | tr '\n' ',')"
        done | sort
    }
    """#
}
