# shellcheck shell=bash
# Node containers of the lab: create, configure, wait for, remove, and describe them.
# Sourced by scripts/lab, which sets LAB_DIR, LAB_NET, LAB_SUBNET_PREFIX, LAB_KEY,
# LAB_KNOWN_HOSTS, LAB_BECOME_PASSWORD_FILE, LAB_INVENTORY, LAB_IMAGE, LAB_NAME_PREFIX (node
# names are PREFIX1..PREFIXn, so two labs can share one engine) and LAB_PYTHON_NODES.
#
# What a node is lives in its container labels (role, sudo mode, IP), so `replace` and the
# inventory are rebuilt from what runs, not from a second copy that could drift.

lab_role_for() { [ "$1" = 1 ] && echo manager || echo worker; }

# The last node of a lab of two or more asks for a sudo password, so playbooks exercise
# become with a password; the others sudo without one, as on Raspberry Pi OS.
lab_sudo_for() { if [ "$1" = "$2" ] && [ "$2" -ge 2 ]; then echo password; else echo nopasswd; fi; }

lab_ip_for() { echo "$LAB_SUBNET_PREFIX.$((10 + $1))"; }

# This lab's nodes on this engine (PREFIX followed by a number), in numeric order. Another
# lab with another prefix may share the engine: its nodes are not ours.
lab_node_names() {
  docker ps -a --filter label=provision.lab.node --format '{{.Names}}' \
    | grep -E "^${LAB_NAME_PREFIX}[0-9]+\$" | sort -V || true
}

# Whether node NUMBER gets python3 (LAB_PYTHON_NODES: numbers, comma- or space-separated), so
# Ansible can run on it as a reference twin; the other nodes stay without Python.
lab_python_for() {
  case ",$(printf '%s' "${LAB_PYTHON_NODES:-}" | tr ' ' ','),"  in *",$1,"*) echo yes ;; *) echo no ;; esac
}

lab_node_exists() { docker inspect -f '{{index .Config.Labels "provision.lab.node"}}' "$1" >/dev/null 2>&1; }

lab_label() { docker inspect -f "{{index .Config.Labels \"provision.lab.$2\"}}" "$1"; }

lab_key_ensure() {
  [ -f "$LAB_KEY" ] && return 0
  ssh-keygen -q -t ed25519 -N '' -C provision-lab -f "$LAB_KEY"
}

lab_network_ensure() {
  if docker network inspect "$LAB_NET" >/dev/null 2>&1; then
    local subnet
    subnet="$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' "$LAB_NET")"
    [ "$subnet" = "$LAB_SUBNET_PREFIX.0/24" ] \
      || die "network $LAB_NET exists with subnet $subnet, not $LAB_SUBNET_PREFIX.0/24; run scripts/lab down"
    return 0
  fi
  docker network create --driver bridge --subnet "$LAB_SUBNET_PREFIX.0/24" \
    --label provision.lab=1 "$LAB_NET" >/dev/null
}

# lab_node_create NAME ROLE SUDO IP [PYTHON] — a fresh node from the image: systemd as PID 1,
# sshd, user pi with the lab key; no Docker; python3 only when PYTHON is yes.
lab_node_create() {
  local name="$1" role="$2" sudo="$3" ip="$4" python="${5:-no}"
  if docker inspect "$name" >/dev/null 2>&1; then
    die "a container named $name exists and is not a lab node; remove or rename it first"
  fi
  # --privileged fails in this kind of sandbox (no CAP_SYS_RESOURCE); these flags are what
  # systemd and a nested dockerd need. /var/lib/docker is a volume so the node's own
  # dockerd gets a real filesystem (overlay2) rather than overlay-on-overlay; `docker rm -v`
  # drops it with the node, as re-imaging a Pi wipes its disk.
  docker run -d --name "$name" --hostname "$name" --network "$LAB_NET" --ip "$ip" \
    --cap-add ALL --cap-drop SYS_RESOURCE --stop-signal SIGRTMIN+3 \
    --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroupns host \
    --tmpfs /run --tmpfs /run/lock -v /var/lib/docker -v /var/lib/containerd \
    --label provision.lab=1 --label "provision.lab.node=$name" --label "provision.lab.role=$role" \
    --label "provision.lab.sudo=$sudo" --label "provision.lab.ip=$ip" --label "provision.lab.python=$python" \
    "$LAB_IMAGE" /lib/systemd/systemd >/dev/null
  lab_node_configure "$name" "$sudo"
  [ "$python" = yes ] && lab_node_python "$name"
  return 0
}

# python3 (and python3-apt, which Ansible's apt modules import) from Debian's mirror inside the
# node: only the Ansible twin of a differential test gets it.
lab_node_python() {
  say "installing python3 on $1 (for Ansible)"
  # Three tries: a mirror caught mid-sync answers with a briefly inconsistent InRelease.
  local try
  for try in 1 2 3; do
    docker exec -e DEBIAN_FRONTEND=noninteractive "$1" sh -c \
      'apt-get -q update >/dev/null && apt-get -y -q install --no-install-recommends python3-minimal python3-apt >/dev/null' \
      && return 0
    sleep $((try * 5))
  done
  die "installing python3 on $1 failed; is Debian's mirror reachable from the node?"
}

# The per-node part of the image: the lab key, the sudo rule, and (for `password` nodes) pi's
# password, which goes in on stdin and is never on a command line.
lab_node_configure() {
  local name="$1" sudo="$2"
  docker exec -i "$name" sh -c 'install -d -m 700 -o pi -g pi /home/pi/.ssh &&
    cat > /home/pi/.ssh/authorized_keys && chown pi:pi /home/pi/.ssh/authorized_keys &&
    chmod 600 /home/pi/.ssh/authorized_keys' <"$LAB_KEY.pub"
  if [ "$sudo" = password ]; then
    if [ ! -s "$LAB_BECOME_PASSWORD_FILE" ]; then
      (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=\n' >"$LAB_BECOME_PASSWORD_FILE")
    fi
    { printf 'pi:'; cat "$LAB_BECOME_PASSWORD_FILE"; printf '\n'; } | docker exec -i "$name" chpasswd
    docker exec "$name" sh -c 'echo "pi ALL=(ALL:ALL) ALL" > /etc/sudoers.d/lab-pi && chmod 440 /etc/sudoers.d/lab-pi'
  else
    docker exec "$name" sh -c 'echo "pi ALL=(ALL:ALL) NOPASSWD: ALL" > /etc/sudoers.d/lab-pi && chmod 440 /etc/sudoers.d/lab-pi'
  fi
}

# Waits until the node's host keys exist (made on first boot), so known_hosts can be written.
lab_node_ready() {
  wait_until 60 docker exec "$1" test -s /etc/ssh/ssh_host_ed25519_key.pub \
    || die "$1 made no SSH host key within 60 s; see: docker logs $1"
}

lab_node_remove() {
  say "removing $1"
  docker rm -f -v "$1" >/dev/null
}

# known_hosts for every node, read from the nodes' own key files (not from the network), so
# the lab inventory can run with strict host key checking.
lab_write_known_hosts() {
  local name ip tmp="$LAB_KNOWN_HOSTS.tmp.$$"
  : >"$tmp"
  for name in $(lab_node_names); do
    [ "$(docker inspect -f '{{.State.Running}}' "$name")" = true ] || continue
    ip="$(lab_label "$name" ip)"
    docker exec "$name" sh -c 'cat /etc/ssh/ssh_host_*_key.pub' | awk -v h="$ip" '{print h, $1, $2}' >>"$tmp"
  done
  mv "$tmp" "$LAB_KNOWN_HOSTS"
}

# lab_ssh NAME COMMAND... — plain OpenSSH to a node with the lab key and known_hosts.
lab_ssh() {
  local name="$1"; shift
  ssh -i "$LAB_KEY" -o BatchMode=yes -o IdentitiesOnly=yes -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$LAB_KNOWN_HOSTS" -o LogLevel=ERROR -o ConnectTimeout=3 \
    "pi@$(lab_label "$name" ip)" "$@"
}

lab_wait_ssh() {
  wait_until 60 lab_ssh "$1" true \
    || die "sshd on $1 ($(lab_label "$1" ip)) did not answer within 60 s; see: docker exec $1 journalctl -u ssh"
}

lab_write_inventory() {
  local name tmp="$LAB_INVENTORY.tmp.$$" managers="" workers="" entry
  mkdir -p "$(dirname "$LAB_INVENTORY")"
  for name in $(lab_node_names); do
    entry="        $name:
          ansible_host: $(lab_label "$name" ip)"
    if [ "$(lab_label "$name" python)" = yes ]; then
      entry="$entry
          ansible_python_interpreter: /usr/bin/python3"
    fi
    if [ "$(lab_label "$name" sudo)" = password ]; then
      entry="$entry
          # sudo on this node asks for pi's password; the file is 0600 and lab-generated.
          become_password_file: $LAB_BECOME_PASSWORD_FILE"
    fi
    if [ "$(lab_label "$name" role)" = manager ]; then managers="$managers
$entry"; else workers="$workers
$entry"; fi
  done
  {
    echo "# Generated by scripts/lab; rewritten by every 'up' and 'replace'. Do not edit."
    echo "all:"
    echo "  vars:"
    echo "    ansible_user: pi"
    echo "    ansible_ssh_private_key_file: $LAB_KEY"
    echo "    # The lab's own known_hosts, holding each node's real key: nothing touches ~/.ssh."
    echo "    known_hosts_file: $LAB_KNOWN_HOSTS"
    echo "    host_key_checking: accept-new"
    echo "    ansible_ssh_common_args: -o UserKnownHostsFile=$LAB_KNOWN_HOSTS -o StrictHostKeyChecking=accept-new"
    echo "    ansible_become: true"
    echo "    docker_users: [pi]"
    echo "    overlay_network: clipper_network"
    echo "  children:"
    echo "    managers:"
    if [ -n "$managers" ]; then echo "      hosts:$managers"; else echo "      hosts: {}"; fi
    echo "    workers:"
    if [ -n "$workers" ]; then echo "      hosts:$workers"; else echo "      hosts: {}"; fi
  } >"$tmp"
  mv "$tmp" "$LAB_INVENTORY"
}
