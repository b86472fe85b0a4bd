/// Shell functions every module script may use (POSIX `sh`, GNU or busybox `stat`).
///
/// Scripts run with `LC_ALL=C`, so the tool output they and the parsers read (apt's summary,
/// `stat`, `sort`) is the same on every host whatever its locale.
/// - `pv KEY VALUE…`: prints a status line.
/// - `die MESSAGE…`: prints `@@pv failed MESSAGE` (on one line) and exits 1.
/// - `pv_attrs PATH`: brings PATH's owner, group and mode to `$want_owner`, `$want_group`,
///   `$want_mode` (each empty: leave alone), printing `@@pv attr owner|group|mode OLD NEW PATH` for each one
///   that differs; with `check=1` it only reports. A numeric `$want_mode` must be normalised
///   octal without leading zeros (`644`, `2755`), as `stat -c %a` prints it; a symbolic one
///   (`u+x,g-w`) is applied to a scratch file first to learn the resulting mode.
///   `recurse=1` applies to everything under PATH (directories).
enum ScriptPrelude {
    static let text = #"""
    LC_ALL=C; export LC_ALL
    : "${check:=0}" "${want_owner:=}" "${want_group:=}" "${want_mode:=}" "${recurse:=0}"
    pv() { printf '@@pv %s\n' "$*"; }
    die() { printf '@@pv failed %s\n' "$(printf '%s' "$*" | tr '\n' ' ')"; exit 1; }
    pv_mode_target() {
      case $want_mode in
        [0-7]*) printf '%s\n' "$want_mode" ;;
        *)
          if [ -d "$1" ]; then _t=$(mktemp -d) || return 1; else _t=$(mktemp) || return 1; fi
          chmod "$2" "$_t" && chmod "$want_mode" "$_t" 2>/dev/null && stat -c %a "$_t"
          _rc=$?; rm -rf "$_t"; return $_rc ;;
      esac
    }
    pv_attrs_one() {
      _p=$1
      if [ -n "$want_owner" ]; then
        if [ "$(stat -c %U "$_p")" != "$want_owner" ] && [ "$(stat -c %u "$_p")" != "$want_owner" ]; then
          pv attr owner "$(stat -c %U "$_p")" "$want_owner" "$_p"
          [ "$check" = 1 ] || chown -h -- "$want_owner" "$_p" || die "chown $want_owner $_p failed"
        fi
      fi
      if [ -n "$want_group" ]; then
        if [ "$(stat -c %G "$_p")" != "$want_group" ] && [ "$(stat -c %g "$_p")" != "$want_group" ]; then
          pv attr group "$(stat -c %G "$_p")" "$want_group" "$_p"
          [ "$check" = 1 ] || chgrp -h -- "$want_group" "$_p" || die "chgrp $want_group $_p failed"
        fi
      fi
      if [ -n "$want_mode" ] && [ ! -L "$_p" ]; then
        _cur=$(stat -c %a "$_p")
        _want=$(pv_mode_target "$_p" "$_cur") || die "invalid mode '$want_mode'"
        if [ "$_cur" != "$_want" ]; then
          pv attr mode "$_cur" "$_want" "$_p"
          if [ "$check" != 1 ]; then
            chmod -- "$want_mode" "$_p" || die "chmod $want_mode $_p failed"
            # GNU chmod keeps a directory's setuid/setgid bits under a numeric mode: clear
            # them when the mode asked for does not have them, so the result is exact.
            if [ -d "$_p" ] && [ "$(stat -c %a "$_p")" != "$_want" ]; then
              chmod -- ug-s "$_p" && chmod -- "$want_mode" "$_p" || die "chmod $want_mode $_p failed"
            fi
          fi
        fi
      fi
    }
    pv_attrs() {
      if [ "$recurse" = 1 ] && [ -d "$1" ] && [ ! -L "$1" ]; then
        find "$1" > "${TMPDIR:-/tmp}/.pv_list.$$" || die "cannot list $1"
        while IFS= read -r _f; do pv_attrs_one "$_f"; done < "${TMPDIR:-/tmp}/.pv_list.$$"
        rm -f "${TMPDIR:-/tmp}/.pv_list.$$"
      else
        pv_attrs_one "$1"
      fi
    }
    """#
}
