# shellcheck shell=bash
# Small helpers shared by scripts/lab, .ci/run and scripts/demo. Source it; it defines
# functions only and changes no shell option of the caller.

# say MESSAGE... — progress on stderr, so stdout stays for data (status tables, IPs).
say() { printf '%s\n' "$*" >&2; }

# die MESSAGE... — the reason and what to do, then exit 1.
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# need_root WHY — scripts that install packages or start daemons must run as root.
need_root() {
  [ "$(id -u)" = 0 ] || die "$1 needs root (it installs packages and starts dockerd); run it with sudo"
}

# ensure_commands CMD:PKG... — installs with apt-get every PKG whose CMD is missing, so the
# scripts work on a fresh Debian/Ubuntu machine (CI) as well as on a prepared one.
ensure_commands() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get here; install them by hand"
  need_root "installing ${missing[*]}"
  say "installing ${missing[*]} with apt-get"
  # The package lists may be absent on a fresh machine; one update is cheap next to the install.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || die "apt-get update failed; check the machine's apt sources"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# wait_until SECONDS COMMAND... — retries COMMAND every half second; false when time runs out.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}
