/// The one script `apt` runs: cache refresh when stale, `dpkg-query -W` to see what is already
/// installed, then `apt-get` only for what is missing (or upgradable, or to remove).
///
/// In check mode it runs `apt-get -s` (simulate) instead, so "would change" is apt's own
/// answer. Prints `@@pv cache updated`, `@@pv cache_time EPOCH`, `@@pv run install|remove|…`,
/// and apt-get's output, whose `Inst`/`Remv` lines or summary line tell what changed.
/// Package names may be fnmatch globs, expanded against `apt-cache pkgnames` as Ansible
/// expands them against its cache.
enum AptScript {
    static let body = #"""
    export DEBIAN_FRONTEND=noninteractive DEBIAN_PRIORITY=critical
    command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || die "apt-get and dpkg-query are not on this host (not a Debian-family system?)"
    set -f
    aptget() {
      apt-get -y -q -o DPkg::Lock::Timeout="$lock_timeout" $dpkg_opts "$@"
    }
    # Runs apt-get for real, or simulated in check mode; its output follows a marker line.
    apt_do() {
      _what=$1; shift
      if [ "$check" = 1 ]; then set -- -s "$@"; fi
      pv run "$_what"
      _out=$(aptget "$@" 2>&1); _rc=$?
      printf '%s\n' "$_out"
      [ $_rc = 0 ] || die "apt-get $* failed (status $_rc): $(printf '%s\n' "$_out" | grep -E '^(E|W):' | tail -n 3)"
    }
    cache_time() {
      _stamp=/var/lib/apt/periodic/update-success-stamp
      [ -e "$_stamp" ] || _stamp=/var/lib/apt/lists
      stat -c %Y "$_stamp" 2>/dev/null || echo 0
    }
    # policy_rc_d: services the packages bring are not started (101) or as the code says.
    if [ -n "$policy_rc_d" ] && [ "$check" != 1 ]; then
      if [ -e /usr/sbin/policy-rc.d ]; then mv /usr/sbin/policy-rc.d /usr/sbin/policy-rc.d.pv$$; fi
      printf '#!/bin/sh\nexit %s\n' "$policy_rc_d" > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
      trap 'rm -f /usr/sbin/policy-rc.d; [ -e /usr/sbin/policy-rc.d.pv$$ ] && mv /usr/sbin/policy-rc.d.pv$$ /usr/sbin/policy-rc.d' EXIT
    fi
    if [ "$update_cache" = 1 ]; then
      _need=1
      if [ "$cache_valid_time" -gt 0 ]; then
        [ $(( $(date +%s) - $(cache_time) )) -lt "$cache_valid_time" ] && _need=0
      fi
      if [ $_need = 1 ]; then
        # As Ansible's: "updated" means the lists' time stamp moved (always, in check mode).
        _t0=$(cache_time)
        if [ "$check" = 1 ]; then pv cache updated
        else
          _try=0
          until _out=$(apt-get -q -o DPkg::Lock::Timeout="$lock_timeout" update 2>&1) && ! printf '%s\n' "$_out" | grep -q '^E:'; do
            _try=$((_try + 1))
            [ $_try -ge "$retries" ] && die "Failed to update apt cache: $(printf '%s\n' "$_out" | grep -E '^(E|W):' | tail -n 3)"
            sleep $((_try < 4 ? _try * 2 : 12))
          done
          [ "$(cache_time)" != "$_t0" ] && pv cache updated
        fi
      fi
    fi
    pv cache_time "$(cache_time)"
    if [ "$clean" = 1 ]; then
      if [ "$check" != 1 ]; then _o=$(apt-get clean 2>&1) || die "apt-get clean failed: $_o"; fi
      pv cleaned
    fi
    # A .deb on the host, or downloaded: installed unless that version already is.
    if [ -n "$deb" ]; then
      case $deb in
        *://*)
          _d=$(mktemp -d) || die "mktemp failed"
          _f="$_d/$(basename "$deb")"
          case $_f in *.deb) ;; *) _f="$_f.deb" ;; esac
          if command -v curl >/dev/null 2>&1; then curl -fsSL -o "$_f" "$deb"; else wget -q -O "$_f" "$deb"; fi \
            || die "Failure downloading $deb"
          deb=$_f ;;
      esac
      [ -f "$deb" ] || die "Unable to install package: $deb does not exist"
      _p=$(dpkg-deb -f "$deb" Package) && _v=$(dpkg-deb -f "$deb" Version) || die "$deb is not a Debian package"
      _a=$(dpkg-deb -f "$deb" Architecture)
      _cur=$(dpkg-query -W -f='${db:Status-Abbrev} ${Version}' -- "$_p:$_a" 2>/dev/null || dpkg-query -W -f='${db:Status-Abbrev} ${Version}' -- "$_p" 2>/dev/null)
      case $_cur in
        "ii  $_v"|"hi  $_v") pv status "$_p $_cur" ;;
        *) case $deb in /*) ;; *) deb="./$deb" ;; esac
           apt_do install install $opts "$deb" ;;
      esac
    fi
    # Globs in names expand against every package apt knows, as Ansible's fnmatch does.
    specs=""
    for spec in $pkgs; do
      name=${spec%%=*}; ver=""
      case $spec in *=*) ver="=${spec#*=}" ;; esac
      case $name in
        \*) specs="$specs *" ;;
        *[\*\?\[]*)
          _m=""
          for _n in $(apt-cache pkgnames 2>/dev/null | sort); do
            case $_n in $name) _m="$_m $_n$ver" ;; esac
          done
          [ -n "$_m" ] || die "No package(s) matching '$name' available"
          specs="$specs$_m" ;;
        *) specs="$specs $spec" ;;
      esac
    done
    # Package specs: NAME, NAME=VERSION (a glob allowed), NAME:ARCH.
    todo=""; names=""
    for spec in $specs; do
      [ "$spec" = "*" ] && continue
      name=${spec%%=*}; want=""
      case $spec in *=*) want=${spec#*=} ;; esac
      st=$(dpkg-query -W -f='${db:Status-Abbrev}' -- "$name" 2>/dev/null)
      names="$names $name"
      case $state in
        present|fixed)
          case $st in
            ii*|hi*)
              if [ -n "$want" ]; then
                _iv=$(dpkg-query -W -f='${Version}' -- "$name")
                case $_iv in $want) ;; *) todo="$todo $spec" ;; esac
              fi ;;
            *) [ "$only_upgrade" = 1 ] || todo="$todo $spec" ;;
          esac ;;
        latest)
          case $st in ii*|hi*) todo="$todo $spec" ;; *) [ "$only_upgrade" = 1 ] || todo="$todo $spec" ;; esac ;;
        build-dep) todo="$todo $spec" ;;
        absent)
          case $st in
            ii*|iU*|iF*|iH*|hi*|hU*|hF*|hH*) todo="$todo $name" ;;
            rc*|hc*) [ "$purge" = 1 ] && todo="$todo $name" ;;
          esac ;;
      esac
      pv status "$name ${st:-not-installed}"
    done
    ou=""; [ "$only_upgrade" = 1 ] && ou=--only-upgrade
    fb=""; [ "$state" = fixed ] && fb=--fix-broken
    ar=""; [ "$autoremove" = 1 ] && ar=--auto-remove
    if [ -n "$todo" ]; then
      case $state in
        present|latest|fixed) apt_do install install $ou $fb $ar $opts $todo ;;
        build-dep) apt_do build-dep build-dep $ou $opts $todo ;;
        absent)
          _pg=""; [ "$purge" = 1 ] && _pg=--purge
          apt_do remove remove $_pg $ar $todo ;;
      esac
    elif [ "$state" = fixed ] && [ -z "$specs" ]; then
      apt_do install install --fix-broken $opts
    fi
    # Packages asked for by name become manually installed, as Ansible marks them.
    if [ "$check" != 1 ] && [ -n "$names" ] && { [ "$state" = present ] || [ "$state" = latest ]; } && command -v apt-mark >/dev/null 2>&1; then
      _auto=$(apt-mark showauto $names 2>/dev/null)
      [ -n "$_auto" ] && apt-mark manual $_auto >/dev/null 2>&1
    fi
    case " $specs " in *" * "*) [ "$state" = latest ] && upgrade=yes ;; esac
    if [ -n "$upgrade" ]; then
      case $upgrade in
        dist|full) apt_do upgrade dist-upgrade $opts ;;
        *) apt_do upgrade upgrade --with-new-pkgs $opts ;;
      esac
    fi
    if [ -z "$specs" ]; then
      if [ "$autoclean" = 1 ]; then apt_do autoclean autoclean; fi
      if [ "$autoremove" = 1 ]; then
        if [ "$purge" = 1 ]; then apt_do autoremove autoremove --purge; else apt_do autoremove autoremove; fi
      fi
    fi
    exit 0
    """#
}
