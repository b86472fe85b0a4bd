/// The one POSIX `sh` script that gathers a host's facts in a single round trip.
///
/// It prints sections, each opened by a line `@@ NAME`, and never fails as a whole: a missing
/// tool leaves its section empty and the parser falls back (e.g. `ip` missing: no address).
/// Nothing in it sends network traffic: `ip route get` is a routing-table lookup. `hostname -f`
/// asks the resolver, which can hang on a Pi with broken DNS, so it gets 3 seconds.
public enum FactScript {
    /// Ansible's default `fact_path`.
    public static let defaultFactPath = "/etc/ansible/facts.d"

    /// The script with local facts read from Ansible's default `fact_path`.
    public static var text: String { text(factPath: nil) }

    /// The whole script; `factPath` is where `*.fact` files are read (`ansible_local`).
    public static func text(factPath: String?) -> String {
        [ "FACT_PATH=" + Shell.quote(factPath ?? defaultFactPath), baseText, systemText, localText ].joined(separator: "\n")
            + "\ns end\nexit 0\n"
    }

    static let baseText: String = """
    s() { printf '\\n@@ %s\\n' "$1"; }
    s uname; uname -s; uname -r; uname -m; uname -v
    s os-release; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null
    s debian_version; cat /etc/debian_version 2>/dev/null
    s hostname; hostname 2>/dev/null || uname -n
    if command -v timeout >/dev/null 2>&1; then timeout 3 hostname -f 2>/dev/null; else hostname -f 2>/dev/null; fi || true
    s route; ip -4 route get 1.1.1.1 2>/dev/null
    s route_default; ip -4 route show default 2>/dev/null
    s addr; ip -4 -o addr show 2>/dev/null
    s meminfo; grep -E '^(MemTotal|MemFree|MemAvailable|SwapTotal|SwapFree|Buffers|Cached|SwapCached):' /proc/meminfo 2>/dev/null
    s cpu; nproc 2>/dev/null; grep -c '^processor' /proc/cpuinfo 2>/dev/null
    s cpuinfo; grep -E '^(model name|Hardware|Revision|Model)[[:space:]]*:' /proc/cpuinfo 2>/dev/null | sort -u
    s cpus; grep -E '^(processor|model name|Processor|vendor_id|cpu|Vendor|physical id|core id|cpu cores|siblings)[[:space:]]*:' /proc/cpuinfo 2>/dev/null
    s nodename; uname -n
    s link; ip -o link show 2>/dev/null
    s datetime; date '+%Y-%m-%d|%d|%H|%M|%m|%S|%Y|%A|%w|%W|%Z|%z|%s|%H:%M:%S|%N|%Y%m%dT%H%M%S'; date -u '+%Y-%m-%dT%H:%M:%S|%N'
    date -d "$(date +%Y)-01-01 12:00" '+%Z %z' 2>/dev/null; date -d "$(date +%Y)-07-01 12:00" '+%Z %z' 2>/dev/null
    s lsb_release; lsb_release -a 2>/dev/null
    s lsb_file; cat /etc/lsb-release 2>/dev/null
    s passwd; getent passwd "$(id -un)" 2>/dev/null
    s env; env 2>/dev/null | grep -E '^[A-Za-z_][A-Za-z0-9_]*='
    s pid1; cat /proc/1/comm 2>/dev/null; [ -d /run/systemd/system ] && echo '/run/systemd/system'
    s model; { cat /proc/device-tree/model 2>/dev/null || cat /sys/firmware/devicetree/base/model 2>/dev/null; } | tr -d '\\000'
    s dpkg_arch; dpkg --print-architecture 2>/dev/null
    s cgroup
    if [ -f /sys/fs/cgroup/cgroup.controllers ]; then echo v2; cat /sys/fs/cgroup/cgroup.controllers
    else echo v1; grep '^memory' /proc/cgroups 2>/dev/null; fi
    s boot; for f in /boot/firmware/cmdline.txt /boot/cmdline.txt; do if [ -f "$f" ]; then echo "$f"; break; fi; done
    s user; id -un 2>/dev/null; id -u; id -g; printf '%s\\n' "$HOME"
    s python; p=$(command -v python3 2>/dev/null) && { echo "$p"; "$p" -V 2>&1; }
    s tools; for t in apt-get dpkg systemctl curl wget nc bash sudo docker; do command -v "$t" >/dev/null 2>&1 && echo "$t"; done
    s date; date -u +%s

    """
}
