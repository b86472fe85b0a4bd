# shellcheck shell=bash
# The lab's node image: Debian bookworm with systemd and sshd, no Docker, built with
# debootstrap (no base image can be pulled here) and `docker import`ed. Cached by a hash of
# its recipe: the suite, mirror, package list and the customize script.
#
#   lab_image_ensure STATE_DIR    # sets LAB_IMAGE to the image's tag, building it if missing

LAB_SUITE="${LAB_SUITE:-bookworm}"
LAB_MIRROR="${LAB_MIRROR:-http://deb.debian.org/debian}"
# What a freshly flashed Raspberry Pi OS Lite has that the modules rely on, and nothing more.
LAB_PACKAGES="systemd,systemd-sysv,dbus,openssh-server,sudo,iproute2,iputils-ping,ca-certificates,curl,gnupg,procps,less,kmod"

_lab_lib_dir() { cd "$(dirname "${BASH_SOURCE[0]}")" && pwd; }

# The recipe hash: any change to what goes into the image gives a new tag.
lab_image_recipe_hash() {
  local lib; lib="$(_lab_lib_dir)"
  {
    printf 'suite=%s\nmirror=%s\npackages=%s\n' "$LAB_SUITE" "$LAB_MIRROR" "$LAB_PACKAGES"
    cat "$lib/lab-node-customize.sh"
  } | sha256sum | cut -c1-12
}

lab_image_ensure() {
  local state="$1" hash root lib
  hash="$(lab_image_recipe_hash)"
  LAB_IMAGE="provision-lab-node:$hash"
  if docker image inspect "$LAB_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  need_root "building the node image (debootstrap)"
  ensure_commands debootstrap:debootstrap
  lib="$(_lab_lib_dir)"
  root="$state/image/rootfs-$hash"
  local t0=$SECONDS
  # A root finished by an earlier run whose import failed is reused: debootstrap is the slow part.
  if [ ! -f "$root.done" ]; then
    rm -rf "$root"; mkdir -p "$root"
    say "building node image $LAB_IMAGE with debootstrap ($LAB_SUITE from $LAB_MIRROR, one to four minutes)"
    if ! debootstrap --variant=minbase --include="$LAB_PACKAGES" "$LAB_SUITE" "$root" "$LAB_MIRROR" \
          >"$state/image/debootstrap.log" 2>&1; then
      tail -n 20 "$state/image/debootstrap.log" >&2
      die "debootstrap failed (log above, full log $state/image/debootstrap.log); is $LAB_MIRROR reachable?"
    fi
    cp "$lib/lab-node-customize.sh" "$root/tmp/customize.sh"
    chroot "$root" /bin/sh /tmp/customize.sh || die "customizing the node image failed"
    rm -f "$root/tmp/customize.sh"
    touch "$root.done"
  fi
  # Import with the settings `docker run` would otherwise need each time.
  tar -C "$root" --numeric-owner -c . | docker import \
      -c 'ENV container=docker' \
      -c 'CMD ["/lib/systemd/systemd"]' \
      -c "LABEL provision.lab.recipe=$hash" \
      - "$LAB_IMAGE" >/dev/null || die "docker import of the node image failed"
  rm -rf "$root" "$root.done"
  say "node image $LAB_IMAGE built in $((SECONDS - t0)) s"
}
