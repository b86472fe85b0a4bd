# shellcheck shell=bash
# A Docker engine on the controller for scripts that need one (the lab, CI, the demo), on
# machines without systemd: reuse a running engine, else start a private dockerd by hand.
#
#   . scripts/lib/docker-host.sh                  # brings scripts/lib/common.sh with it
#   docker_host_up STATE_DIR      # exports DOCKER_HOST; starts dockerd only if none answers
#   docker_host_down STATE_DIR    # stops the dockerd that docker_host_up started, nothing else
#
# A private dockerd keeps everything under STATE_DIR (data root, exec root, socket, pidfile,
# log), so it never touches /var/lib/docker or another engine. It runs with --bridge=none: the
# default docker0 bridge would clash with any other engine on the machine, and the lab creates
# its own network anyway. The data root is kept across down/up, so built images stay cached.

# shellcheck source=scripts/lib/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Paths of the private engine under a state dir.
_dh_paths() {
  DH_DIR="$1/docker"
  DH_SOCK="$DH_DIR/docker.sock"
  DH_PID="$DH_DIR/dockerd.pid"
  DH_LOG="$DH_DIR/dockerd.log"
  DH_MARK="$DH_DIR/started-by-lab"
  # A unix socket path is limited to 108 bytes; a deep checkout would exceed it.
  if [ ${#DH_SOCK} -gt 100 ]; then
    DH_SOCK="/run/provision-docker-$(printf '%s' "$1" | sha256sum | cut -c1-12).sock"
  fi
}

_dh_answers() { DOCKER_HOST="$1" docker info >/dev/null 2>&1; }

# docker_host_up STATE_DIR — sets and exports DOCKER_HOST to a working engine.
docker_host_up() {
  local state="$1"
  ensure_commands docker:docker.io dockerd:docker.io iptables:iptables
  _dh_paths "$state"
  # 1. The caller's engine, if it chose one and it answers.
  if [ -n "${DOCKER_HOST:-}" ] && _dh_answers "$DOCKER_HOST"; then
    export DOCKER_HOST; return 0
  fi
  # 2. Ours, from an earlier run.
  if [ -S "$DH_SOCK" ] && _dh_answers "unix://$DH_SOCK"; then
    export DOCKER_HOST="unix://$DH_SOCK"; return 0
  fi
  # 3. The machine's own engine.
  if [ -S /var/run/docker.sock ] && _dh_answers unix:///var/run/docker.sock; then
    export DOCKER_HOST=unix:///var/run/docker.sock; return 0
  fi
  # 4. Start one.
  need_root "starting dockerd"
  mkdir -p "$DH_DIR/data" "$DH_DIR/exec"
  if [ -f "$DH_PID" ] && kill -0 "$(cat "$DH_PID")" 2>/dev/null; then
    die "dockerd $(cat "$DH_PID") from $DH_DIR runs but does not answer on $DH_SOCK; see $DH_LOG, stop it with: kill $(cat "$DH_PID")"
  fi
  rm -f "$DH_SOCK" "$DH_PID"
  # Containers on the lab network reach Debian's mirror through the host: NAT needs forwarding.
  sysctl -qw net.ipv4.ip_forward=1 >/dev/null 2>&1 || true
  say "starting dockerd (state in $DH_DIR, log $DH_LOG)"
  # setsid: the engine outlives this script and is not killed by the caller's Ctrl-C.
  # Descriptors above 2 are closed first: a long-lived engine must not keep the caller's
  # files open (e.g. a `flock` lock around `scripts/lab up`, which would then never free).
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid dockerd \
      --data-root "$DH_DIR/data" --exec-root "$DH_DIR/exec" \
      -H "unix://$DH_SOCK" --pidfile "$DH_PID" --bridge=none \
      >>"$DH_LOG" 2>&1 </dev/null
  ) &
  touch "$DH_MARK"
  if ! wait_until 60 _dh_answers "unix://$DH_SOCK"; then
    tail -n 20 "$DH_LOG" >&2
    die "dockerd did not answer on $DH_SOCK within 60 s (log above, full log $DH_LOG)"
  fi
  export DOCKER_HOST="unix://$DH_SOCK"
}

# docker_host_down STATE_DIR — stops our dockerd if docker_host_up started it; leaves any
# other engine alone.
docker_host_down() {
  _dh_paths "$1"
  [ -f "$DH_MARK" ] || return 0
  if [ -f "$DH_PID" ]; then
    local pid; pid="$(cat "$DH_PID")"
    if kill -0 "$pid" 2>/dev/null; then
      say "stopping dockerd $pid"
      kill "$pid"
      wait_until 30 sh -c "! kill -0 $pid" || { say "dockerd $pid still running after 30 s; sending KILL"; kill -9 "$pid" 2>/dev/null || true; }
    fi
  fi
  rm -f "$DH_MARK"
}
