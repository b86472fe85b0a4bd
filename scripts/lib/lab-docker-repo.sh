#!/usr/bin/env bash
# lab-docker-repo.sh ROOT CODENAME ARCH
#
# Builds, under ROOT/linux, an apt repository with the layout of Docker's own
# (https://download.docker.com/linux): debian/gpg, debian/dists/CODENAME/{Release,InRelease,
# Release.gpg}, debian/dists/CODENAME/stable/binary-ARCH/Packages(.gz) and the .debs under
# debian/dists/CODENAME/pool/stable/ARCH/. Release is signed with a throwaway GPG key made
# here, whose public key is served as debian/gpg. Used by DockerOfficialRepoLabTests, which
# serves ROOT over HTTP to the lab nodes, because download.docker.com cannot be reached here.
#
# The packages carry Docker's names but are STAND-INS, not Docker's builds:
#   docker-ce             Debian's docker.io for this machine's release, repackaged under
#                         Docker's name (docker.io Conflicts with docker-ce, so a thin package
#                         depending on docker.io cannot be installed); its dependencies
#                         (containerd, runc, …) come from the Debian mirror the nodes use.
#   docker-ce-cli         empty (docker.io's docker-ce above holds the CLI), Depends: docker-ce
#   containerd.io         empty, Depends: containerd (Debian's)
#   docker-buildx-plugin, docker-compose-plugin   empty
# docker.io is fetched with `apt-get download` on this machine, so this machine's apt must
# serve the same Debian release as the nodes (the test checks).
set -euo pipefail
root="$1" codename="$2" arch="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$root/linux/debian"
pool="dists/$codename/pool/stable/$arch"
mkdir -p "$repo/$pool" "$repo/dists/$codename/stable/binary-$arch"

# The throwaway signing key, in a keyring of its own that dies with $work.
export GNUPGHOME="$work/gnupg"
install -d -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'provision lab Docker stand-in <lab@provision.invalid>' ed25519 sign never
gpg --batch --armor --export >"$repo/gpg"

# docker-ce: Debian's docker.io under Docker's name.
( cd "$work" && { apt-get download "docker.io:$arch" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "docker.io:$arch" >/dev/null 2>&1; }; } ) \
  || { echo "lab-docker-repo: apt-get download docker.io:$arch failed on this machine" >&2; exit 1; }
dpkg-deb -R "$work"/docker.io_*.deb "$work/docker-ce"
upstream="$(sed -n 's/^Version: //p' "$work/docker-ce/DEBIAN/control")"
version="5:${upstream}~provisionlab1"
sed -i -e 's/^Package: docker.io$/Package: docker-ce/' -e "s/^Version: .*/Version: $version/" \
  -e '/^Conflicts:/d' -e '/^Source:/d' -e '/^Built-Using:/d' \
  -e 's/^Description: .*/Description: Docker Engine (provision lab stand-in: Debian docker.io repackaged)/' \
  "$work/docker-ce/DEBIAN/control"
dpkg-deb --build -Znone "$work/docker-ce" "$repo/$pool/docker-ce_${upstream}~provisionlab1_$arch.deb" >/dev/null

# thin NAME DEPENDS : an empty package with Docker's name.
thin() {
  local d="$work/$1"
  mkdir -p "$d/DEBIAN"
  {
    echo "Package: $1"
    echo "Version: $version"
    echo "Architecture: $arch"
    echo "Maintainer: provision lab <lab@provision.invalid>"
    [ -n "$2" ] && echo "Depends: $2"
    echo "Description: $1 (provision lab stand-in, empty)"
  } >"$d/DEBIAN/control"
  dpkg-deb --build "$d" "$repo/$pool/$1_${upstream}~provisionlab1_$arch.deb" >/dev/null
}
thin docker-ce-cli docker-ce
thin containerd.io containerd
thin docker-buildx-plugin ''
thin docker-compose-plugin ''

# The index and the signed Release, as Docker's repository has them.
cd "$repo"
dpkg-scanpackages --arch "$arch" "$pool" /dev/null 2>/dev/null >"dists/$codename/stable/binary-$arch/Packages"
gzip -9kf "dists/$codename/stable/binary-$arch/Packages"
cd "dists/$codename"
{
  echo "Origin: Docker"
  echo "Label: Docker CE"
  echo "Suite: $codename"
  echo "Codename: $codename"
  echo "Architectures: $arch"
  echo "Components: stable"
  echo "Description: provision lab stand-in for Docker's repository"
  echo "Date: $(LC_ALL=C date -Ru)"
  echo "SHA256:"
  for f in "stable/binary-$arch/Packages" "stable/binary-$arch/Packages.gz"; do
    printf ' %s %s %s\n' "$(sha256sum "$f" | cut -d' ' -f1)" "$(stat -c %s "$f")" "$f"
  done
} >Release
gpg --batch --yes --quiet --clearsign -o InRelease Release
gpg --batch --yes --quiet --armor --detach-sign -o Release.gpg Release
echo "version=$version"
