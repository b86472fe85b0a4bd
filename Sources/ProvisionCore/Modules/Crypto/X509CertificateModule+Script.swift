extension X509CertificateModule {
    /// The host side: read the passphrases (stdin, one a line), check the existing certificate,
    /// issue a new one with `openssl ca` when needed (keys decrypted on a pipe only).
    static let body = #"""
    [ -d "$path" ] && die "$path is a directory. Please specify a path to a file."
    absent_exit
    command -v openssl >/dev/null 2>&1 || die "openssl is not on this host: install it (package openssl)"
    pass= capass=
    [ "$has_pass" != 1 ] || IFS= read -r pass || [ -n "$pass" ]
    [ "$has_capass" != 1 ] || IFS= read -r capass || [ -n "$capass" ]
    expand() { case $1 in "~") printf '%s' "$HOME" ;; "~/"*) printf '%s' "$HOME/${1#"~/"}" ;; *) printf '%s' "$1" ;; esac; }
    work_dir
    if [ "$has_csr_content" = 1 ]; then csr=$work/req.csr; printf '%s\n' "$csr_content" > "$csr"
    else csr=$(expand "$csr_path"); [ -e "$csr" ] || die "The certificate signing request file $csr does not exist"; fi
    openssl req -in "$csr" -noout 2>/dev/null || die "Error while loading the certificate signing request $csr"
    key=
    if [ -n "$privatekey_path" ]; then
      key=$(expand "$privatekey_path")
      [ -e "$key" ] || die "The private key file $key does not exist"
      _e=$(key_load_error "$key"); [ -z "$_e" ] || die "$_e"
    fi
    # The CA key is read with its own passphrase.
    ca_plain() {
      _hp=$has_pass _p=$pass; has_pass=$has_capass pass=$capass
      key_plain "$cakey"; _r=$?
      has_pass=$_hp pass=$_p
      return $_r
    }
    if [ "$provider" = ownca ]; then
      if [ "$has_ca_content" = 1 ]; then cacert=$work/ca.crt; printf '%s\n' "$ca_content" > "$cacert"
      else cacert=$(expand "$ca_path"); [ -e "$cacert" ] || die "The CA certificate file $cacert does not exist"; fi
      cakey=$(expand "$ca_key")
      [ -e "$cakey" ] || die "The CA private key file $cakey does not exist"
      ca_plain >/dev/null || die "Wrong passphrase provided for the CA private key $cakey"
    fi
    name_of() { openssl "$1" -in "$2" -noout "-$3" -nameopt multiline 2>/dev/null | sed 1d; }
    # The certificate's extensions in csr_canon's form, the key identifiers left out.
    cert_exts() {
      openssl x509 -in "$1" -noout -text 2>/dev/null | awk '
        /X509v3 extensions:/ { on = 1; next }
        on && !/^            / { on = 0 }
        on && /^            [^ ]/ { if (h != "") print h "|" v; h = $0; sub(/^ +/, "", h); v = ""; next }
        on && /^                / { s = $0; sub(/^ +/, "", s); v = (v == "" ? s : v ", " s); next }
        END { if (h != "") print h "|" v }' | grep -v -e '^X509v3 Subject Key Identifier' -e '^X509v3 Authority Key Identifier' \
        | while IFS= read -r _l; do
          printf '%s|%s\n' "${_l%%|*}" "$(printf '%s\n' "${_l#*|}" | tr ',' '\n' | sed 's/^ *//' | sort | tr '\n' ',')"
        done | sort
    }
    csr_exts() { csr_canon "$1" | sed '1,/^--$/d' | grep -v -e '^X509v3 Subject Key Identifier' -e '^X509v3 Authority Key Identifier'; }
    # notBefore/notAfter as YYYYMMDDHHMMSSZ from openssl's "Jan  2 03:04:05 2026 GMT" (1.1.1 and 3.x).
    date_of() {
      openssl x509 -in "$1" -noout "-$2" 2>/dev/null | sed 's/^[^=]*=//' | awk '{
        m = index("JanFebMarAprMayJunJulAugSepOctNovDec", $1); split($3, t, ":")
        printf "%04d%02d%02d%s%s%sZ\n", $4, (m + 2) / 3, $2, t[1], t[2], t[3] }'
    }
    need=0
    if [ "$force" = 1 ] || [ ! -e "$path" ]; then need=1
    elif ! openssl x509 -in "$path" -noout >/dev/null 2>&1; then need=1
    else
      certpub=$(openssl x509 -in "$path" -noout -pubkey 2>/dev/null)
      if [ -n "$key" ]; then key_public "$key" && [ "$certpub" = "$pubpem" ] || need=1; fi
      openssl req -in "$csr" -noout -verify >/dev/null 2>&1 || need=1
      [ "$(openssl req -in "$csr" -noout -pubkey 2>/dev/null)" = "$certpub" ] || need=1
      [ "$(name_of x509 "$path" subject)" = "$(name_of req "$csr" subject)" ] || need=1
      [ "$(cert_exts "$path")" = "$(csr_exts "$csr")" ] || need=1
      if [ "$ski" != never_create ]; then
        openssl x509 -in "$path" -noout -text 2>/dev/null | grep -q 'X509v3 Subject Key Identifier' || need=1
      fi
      if [ "$provider" = ownca ]; then
        [ "$(name_of x509 "$path" issuer)" = "$(name_of x509 "$cacert" subject)" ] || need=1
      else
        [ "$(name_of x509 "$path" issuer)" = "$(name_of x509 "$path" subject)" ] || need=1
      fi
      if [ "$ignore_timestamps" != 1 ]; then
        [ "$(date_of "$path" startdate)" = "$not_before" ] && [ "$(date_of "$path" enddate)" = "$not_after" ] || need=1
      fi
    fi
    if [ "$need" = 1 ]; then
      pv changed
      if [ "$check" != 1 ]; then
        : > "$work/index.txt"
        printf '%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n' | sed 's/^./1/')" > "$work/serial"
        printf '[ca]\ndefault_ca = pv\n[pv]\ndatabase = %s/index.txt\nnew_certs_dir = %s\nserial = %s/serial\npolicy = pol\ncopy_extensions = copyall\nunique_subject = no\n[pol]\n' \
          "$work" "$work" "$work" > "$work/ca.cnf"
        printf '[ext]\n' > "$work/ext.cnf"
        has_ski=0; csr_canon "$csr" | grep -q '^X509v3 Subject Key Identifier' && has_ski=1
        case $ski in
          always_create) echo 'subjectKeyIdentifier=hash' >> "$work/ext.cnf" ;;
          create_if_not_provided) [ "$has_ski" = 1 ] || echo 'subjectKeyIdentifier=hash' >> "$work/ext.cnf" ;;
        esac
        [ "$aki" != 1 ] || echo 'authorityKeyIdentifier=keyid' >> "$work/ext.cnf"
        set -- -batch -config "$work/ca.cnf" -in "$csr" -out "$work/new.crt" -notext -preserveDN -utf8 \
          -startdate "$not_before" -enddate "$not_after" -keyfile /dev/stdin -extfile "$work/ext.cnf" -extensions ext
        # Edwards keys sign without a digest.
        if [ "$provider" = ownca ]; then _t=$(ca_plain | openssl pkey -noout -text 2>/dev/null | head -n 1)
        else _t=$(key_plain "$key" | openssl pkey -noout -text 2>/dev/null | head -n 1); fi
        case $_t in ED25519*|ED448*) ;; *) set -- "$@" -md "$digest" ;; esac
        if [ "$provider" = ownca ]; then
          _o=$(ca_plain | openssl ca "$@" -cert "$cacert" 2>&1) || die "openssl ca could not issue the certificate: $(printf '%s' "$_o" | tail -n 3)"
        else
          _o=$(key_plain "$key" | openssl ca "$@" -selfsign 2>&1) || die "openssl ca could not issue the certificate: $(printf '%s' "$_o" | tail -n 3)"
        fi
        new_tmp
        cp -- "$work/new.crt" "$tmp/out" && chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp/out" || die "cannot write $tmp/out"
        backup_once
        place "$tmp/out" "$path"
      fi
    fi
    if [ -e "$path" ]; then pv_attrs "$path"; elif [ "$check" = 1 ]; then pv changed; fi
    if [ "$check" != 1 ] || [ "$need" = 0 ]; then
      pv not_before "$(date_of "$path" startdate)"
      pv not_after "$(date_of "$path" enddate)"
      pv serial "$(openssl x509 -in "$path" -noout -serial 2>/dev/null | sed 's/^serial=//')"
    fi
    if [ "$return_content" = 1 ] && [ -e "$path" ]; then pv has_content; pv content; cat -- "$path"; fi
    exit 0
    """#
}
