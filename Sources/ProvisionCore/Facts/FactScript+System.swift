/// The parts of `FactScript` that read what Ansible's `setup` reads besides the basics: ids,
/// kernel command line, DMI, DNS, SSH host keys, capabilities, SELinux/AppArmor, virtualization
/// sources, network interfaces, block devices, mounts, LVM and local facts.
///
/// Everything here reads /proc and /sys with shell builtins (`read`, globs, `cd -P` for links)
/// so that the script forks a bounded number of processes whatever the host has: one `ip`,
/// one `stat -f` for every mount, one `capsh`, at most a few per local fact file. Each
/// section prints `key=value` lines (blank lines are dropped by the parser). Tools are looked
/// up in the sbin directories too, as Ansible's `get_bin_path` does (after `env` has printed
/// the login's own PATH).
extension FactScript {
    static let systemText: String = #"""
    PATH=$PATH:/sbin:/usr/sbin:/usr/local/sbin
    r() { v=; { read -r v < "$1"; } 2>/dev/null; [ -n "$v" ] && printf '%s=%s\n' "$2" "$v"; }
    s ids; echo "euid=$(id -u)"; echo "egid=$(id -g)"; echo "ruid=$(id -ru)"; echo "rgid=$(id -rg)"
    s proc_cmdline; r /proc/cmdline cmdline
    s misc; r /proc/loadavg loadavg; r /proc/uptime uptime; r /proc/sys/crypto/fips_enabled fips
    r /var/lib/dbus/machine-id machine_id || r /etc/machine-id machine_id
    [ -e /sys/kernel/security/apparmor ] && echo apparmor=enabled
    if [ -r /sys/fs/selinux/enforce ]; then echo selinux=enabled; r /sys/fs/selinux/enforce selinux_enforce
    r /sys/fs/selinux/policyvers selinux_policyvers
    grep -E '^SELINUX(TYPE)?=' /etc/selinux/config 2>/dev/null; fi
    echo "env_chroot=${debian_chroot:-}"
    echo "root=$(stat -c '%d %i' / 2>/dev/null)"; echo "proc_root=$(stat -c '%d %i' /proc/1/root/. 2>/dev/null)"
    echo "root_fs=$(stat -f -c %T / 2>/dev/null)"
    echo "elf_class=$(od -An -tx1 -j4 -N1 /bin/sh 2>/dev/null | tr -d ' ')"
    grep -m1 '^nqn\.' /etc/nvme/hostnqn 2>/dev/null | sed 's/^/hostnqn=/'
    grep -m1 '^InitiatorName=' /etc/iscsi/initiatorname.iscsi 2>/dev/null | sed 's/^InitiatorName=/iscsi_iqn=/'
    for f in /sys/class/fc_host/*/port_name; do r "$f" fc_wwn; done
    s dmi; d=/sys/devices/virtual/dmi/id
    if [ -e "$d/product_name" ]; then echo present=1
    for n in bios_date bios_vendor bios_version board_asset_tag board_name board_serial board_vendor board_version chassis_asset_tag chassis_serial chassis_type chassis_vendor chassis_version product_family product_name product_serial product_uuid product_version sys_vendor; do r "$d/$n" "$n"; done; fi
    s dns; cat /etc/resolv.conf 2>/dev/null
    s ssh_keys; for dir in /etc/ssh /etc/openssh /etc; do for a in dsa rsa ecdsa ed25519; do r "$dir/ssh_host_${a}_key.pub" "$a"; done; done
    s capsh; if command -v capsh >/dev/null 2>&1; then echo found=1; capsh --print 2>/dev/null | grep '^Current:' && echo rc=0; fi
    s virt; grep -E '/docker(/|-[0-9a-f]+\.scope)|/lxc/|/machine\.slice/machine-lxc|/system\.slice/containerd\.service' /proc/1/cgroup 2>/dev/null | sed 's/^/cgroup=/'
    tr '\000' '\n' 2>/dev/null < /proc/1/environ | grep '^container=' | sed 's/^/environ_/'
    for p in /proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm /rhev; do [ -e "$p" ] && echo "exists=$p"; done
    r /run/systemd/container systemd_container
    grep -q control_d /proc/xen/capabilities 2>/dev/null && echo xen_host=1
    grep -m1 -E '^VxID:' /proc/self/status 2>/dev/null | sed 's/^/status=/'
    grep -E '^(model name.*QEMU Virtual CPU|vendor_id.*User Mode Linux|model name.*UML|machine.*CHRP IBM pSeries .emulated by qemu.|vendor_id.*PowerVM Lx86|vendor_id.*IBM/S390)' /proc/cpuinfo 2>/dev/null | sed 's/^/cpuinfo=/'
    [ -r /proc/modules ] && grep -E '^(kvm|vboxdrv|virtio) ' /proc/modules 2>/dev/null | sed 's/ .*//; s/^/module=/'
    s net_addr; ip -o addr show 2>/dev/null
    s route6; ip -6 route get 2404:6800:400a:800::1012 2>/dev/null
    s route6_default; ip -6 route show default 2>/dev/null
    s net; eth=$(command -v ethtool 2>/dev/null); for n in $(ls -U /sys/class/net 2>/dev/null || ls /sys/class/net 2>/dev/null); do p=/sys/class/net/$n; [ -d "$p" ] || continue; echo "if=$n"
    for a in address mtu operstate type speed flags; do r "$p/$a" "$a"; done
    [ -e "$p/device/driver/module" ] && m=$(cd -P "$p/device/driver/module" 2>/dev/null && pwd) && echo "module=${m##*/}"
    [ -e "$p/device" ] && m=$(cd -P "$p/device" 2>/dev/null && pwd) && echo "pciid=${m##*/}"
    if [ -e "$p/bridge" ]; then echo bridge=1; r "$p/bridge/bridge_id" bridge_id; r "$p/bridge/stp_state" stp_state
    for b in "$p"/brif/*; do [ -e "$b" ] && echo "brif=${b##*/}"; done; fi
    if [ -e "$p/bonding" ]; then echo bonding=1; for a in slaves mode miimon lacp_rate primary all_slaves_active; do r "$p/bonding/$a" "bond_$a"; done; fi
    [ -e "$p/bonding_slave" ] && r "$p/bonding_slave/perm_hwaddr" perm_macaddress
    if [ -n "$eth" ]; then o=$(ethtool -k "$n" 2>/dev/null) && { echo ethtool_k=1; printf '%s\n' "$o" | while IFS= read -r l; do echo "k=$l"; done; }
    o=$(ethtool -T "$n" 2>/dev/null) && { echo ethtool_t=1; printf '%s\n' "$o" | while IFS= read -r l; do echo "t=$l"; done; }; fi
    done
    s block; for p in /sys/block/*; do [ -e "$p" ] || continue; b=${p##*/}; echo "dev=$b"
    for a in device/vendor device/model device/sas_address device/sas_device_handle device/serial removable queue/discard_granularity queue/rotational queue/scheduler size queue/logical_block_size queue/hw_sector_size; do r "$p/$a" "$a"; done
    for h in "$p"/holders/dm-*; do [ -e "$h" ] || continue; v=; { read -r v < "$h/dm/name"; } 2>/dev/null; echo "holder=${v:-${h##*/}}"; done
    for s in "$p"/slaves/*; do [ -e "$s" ] && echo "slave=${s##*/}"; done
    for q in "$p"/"$b"*; do [ -d "$q" ] || continue; echo "part=${q##*/}"; r "$q/start" pstart; r "$q/size" psize
    for h in "$q"/holders/dm-*; do [ -e "$h" ] || continue; v=; { read -r v < "$h/dm/name"; } 2>/dev/null; echo "pholder=${v:-${h##*/}}"; done; done
    done
    for k in id uuid label; do [ -d "/dev/disk/by-$k" ] && ls -l "/dev/disk/by-$k" 2>/dev/null | sed "s/^/link_$k=/"; done
    s mounts; m=$(cat /etc/mtab 2>/dev/null || cat /proc/mounts 2>/dev/null); printf '%s\n' "$m"
    s findmnt; findmnt --list --noheadings --notruncate 2>/dev/null | awk '$2 ~ /\]$/ {print $1}'
    s lsblk; lsblk --list --noheadings --paths --output NAME,UUID --exclude 2 2>/dev/null
    s statfs; set --; while IFS= read -r p; do [ -n "$p" ] && set -- "$@" "$p"; done <<EOF
    $(printf '%s\n' "$m" | awk '($1 ~ /^[\/\\]/ || $1 ~ /:\//) && $3 != "none" {p=$2; gsub(/\\040/, " ", p); gsub(/\\011/, "\t", p); print p}')
    EOF
    t=; command -v timeout >/dev/null 2>&1 && t="timeout 10"
    [ $# -gt 0 ] && $t stat -f -c '%S %s %b %f %a %c %d %n' "$@" 2>/dev/null
    s lvm; if [ "$(id -u)" = 0 ] && command -v vgs >/dev/null 2>&1; then o='--noheadings --nosuffix --units g --separator ,'
    vgs $o 2>/dev/null | sed 's/^ */vg=/'; lvs $o 2>/dev/null | sed 's/^ */lv=/'; pvs $o 2>/dev/null | sed 's/^ */pv=/'; fi
    """#
}
