#!/bin/sh
# A stand-in systemctl for tests on a machine without systemd: unit state lives in files under
# $FAKE_SYSTEMD (NAME.load, NAME.active, NAME.enabled); every call is appended to calls.
d=${FAKE_SYSTEMD:?}
echo "$*" >> "$d/calls"
get() { cat "$d/$1.$2" 2>/dev/null || echo "$3"; }
case $1 in
  daemon-reload|daemon-reexec) exit 0 ;;
  show) shift; [ "$1" = -p ] && shift 2; [ "$1" = --value ] && shift; [ "$1" = -- ] && shift
        get "$1" load not-found ;;
  is-active) u=$3; s=$(get "$u" active inactive); echo "$s"; [ "$s" = active ] ;;
  is-enabled) u=$3; s=$(get "$u" enabled disabled); echo "$s"; [ "$s" = enabled ] || [ "$s" = static ] ;;
esac
last=""; for a in "$@"; do last=$a; done
case $* in
  *start*|*restart*|*reload*) case $1 in --no-block) shift ;; esac
    [ "$(get "$last" load not-found)" = masked ] && { echo "Unit $last is masked." >&2; exit 1; }
    echo active > "$d/$last.active" ;;
  *stop*) echo inactive > "$d/$last.active" ;;
  enable*) echo enabled > "$d/$last.enabled" ;;
  disable*) echo disabled > "$d/$last.enabled" ;;
  mask*) echo masked > "$d/$last.load" ;;
  unmask*) echo loaded > "$d/$last.load" ;;
esac
exit 0
