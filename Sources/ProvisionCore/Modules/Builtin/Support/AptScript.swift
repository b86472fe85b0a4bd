/// The one script `apt` runs: cache refresh when stale, `dpkg-query -W` to see what is already
/// installed, then `apt-get` only for what is missing (or upgradable, or to remove).
///
/// In check mode it runs `apt-get -s` (simulate) instead, so "would change" is apt's own
/// answer. Prints `@@pv cache updated`, `@@pv run install|remove|upgrade|autoremove`, and
/// apt-get's output, whose `Inst`/`Remv` lines or summary line tell what changed.
enum AptScript {
    static let body = #"""
    export DEBIAN_FRONTEND=noninteractive
    command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || die "apt-get and dpkg-query are not on this host (not a Debian-family system?)"
    set -f
    aptget() {
      apt-get -y -q -o DPkg::Lock::Timeout="$lock_timeout" -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold $recommends "$@"
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
    if [ "$update_cache" = 1 ]; then
      _need=1
      if [ "$cache_valid_time" -gt 0 ]; then
        _stamp=/var/lib/apt/periodic/update-success-stamp
        [ -e "$_stamp" ] || _stamp=/var/lib/apt/lists
        _mt=$(stat -c %Y "$_stamp" 2>/dev/null || echo 0)
        [ $(( $(date +%s) - _mt )) -lt "$cache_valid_time" ] && _need=0
      fi
      if [ $_need = 1 ]; then
        pv cache updated
        if [ "$check" != 1 ]; then
          _out=$(apt-get -q -o DPkg::Lock::Timeout="$lock_timeout" update 2>&1) || die "apt-get update failed: $(printf '%s\n' "$_out" | grep -E '^(E|W):' | tail -n 3)"
          mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/update-success-stamp
        fi
      fi
    fi
    # Package specs: NAME, NAME=VERSION, NAME:ARCH.
    todo=""
    for spec in $pkgs; do
      name=${spec%%=*}; want=""
      case $spec in *=*) want=${spec#*=} ;; esac
      st=$(dpkg-query -W -f='${db:Status-Abbrev}' -- "$name" 2>/dev/null)
      case $state in
        present)
          case $st in
            ii*) if [ -n "$want" ] && [ "$(dpkg-query -W -f='${Version}' -- "$name")" != "$want" ]; then todo="$todo $spec"; fi ;;
            *) todo="$todo $spec" ;;
          esac ;;
        latest) todo="$todo $spec" ;;
        absent)
          case $st in
            ii*|iU*|iF*|iH*|hi*) todo="$todo $name" ;;
            rc*) [ "$purge" = 1 ] && todo="$todo $name" ;;
          esac ;;
      esac
      pv status "$name ${st:-not-installed}"
    done
    if [ -n "$todo" ]; then
      case $state in
        present|latest) apt_do install install $todo ;;
        absent) if [ "$purge" = 1 ]; then apt_do remove remove --purge $todo; else apt_do remove remove $todo; fi ;;
      esac
    fi
    if [ -n "$upgrade" ]; then
      case $upgrade in
        dist|full) apt_do upgrade dist-upgrade ;;
        *) apt_do upgrade upgrade --with-new-pkgs ;;
      esac
    fi
    if [ "$autoremove" = 1 ]; then
      if [ "$purge" = 1 ]; then apt_do autoremove autoremove --purge; else apt_do autoremove autoremove; fi
    fi
    exit 0
    """#
}
