#!/bin/sh
# Runs inside the freshly debootstrapped root (chroot) of the lab node image. Part of the
# image recipe: changing this file changes the recipe hash, so the image is rebuilt.
set -eu

# The login user, as on Raspberry Pi OS. Its key, sudo rule and password are set per node
# when the node starts (scripts/lab), so one image serves every node.
useradd --create-home --shell /bin/bash pi
passwd --lock pi >/dev/null

# Keys only: the lab never sends a password over SSH.
cat >/etc/ssh/sshd_config.d/lab.conf <<'EOF'
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin no
EOF

# Host keys made at build time would be shared by every node; each node makes its own on
# first boot instead, so a replaced node offers a new key, as a re-imaged Pi does.
rm -f /etc/ssh/ssh_host_*
cat >/etc/systemd/system/lab-ssh-hostkeys.service <<'EOF'
[Unit]
Description=Generate this node's SSH host keys
Before=ssh.service
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
EOF
ln -s /etc/systemd/system/lab-ssh-hostkeys.service \
  /etc/systemd/system/multi-user.target.wants/lab-ssh-hostkeys.service

# Each node gets its own machine id on first boot.
: >/etc/machine-id
rm -f /var/lib/dbus/machine-id

# No consoles in a container; these units would only wait and fail.
for unit in getty@tty1.service console-getty.service serial-getty@.service \
            systemd-firstboot.service systemd-udevd.service systemd-udev-trigger.service; do
  ln -sf /dev/null "/etc/systemd/system/$unit"
done

# The same suites a Raspberry Pi OS / Debian host has, from the one mirror reachable here.
cat >/etc/apt/sources.list <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
EOF
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
