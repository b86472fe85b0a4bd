import Foundation

/// A fake `iptables`/`ip6tables` for tests: a POSIX sh script that keeps chains as files
/// (one rule per line, its words joined by spaces) under a state directory, answers `-C`,
/// `-L CHAIN` (with a `(policy X)` header), and does `-A`, `-I [N]`, `-D`, `-N`, `-X`, `-P`,
/// `-F`, recording every command line in `log`. No real netfilter is ever touched.
struct FakeNetfilter {
    let root: String
    var bin: String { root + "/bin" }
    var log: String { root + "/log" }

    init(root: String, version: String = "1.8.9") throws {
        self.root = root
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/state", withIntermediateDirectories: true)
        let script = Self.script.replacingOccurrences(of: "@ROOT@", with: root)
            .replacingOccurrences(of: "@VERSION@", with: version)
        for name in ["iptables", "ip6tables"] {
            let p = bin + "/" + name
            try script.write(toFile: p, atomically: true, encoding: .utf8)
            chmod(p, 0o755)
        }
        // The built-in chains of the filter and nat tables, empty, policy ACCEPT.
        for c in ["filter.INPUT", "filter.FORWARD", "filter.OUTPUT", "nat.PREROUTING", "nat.POSTROUTING", "nat.OUTPUT"] {
            for fam in ["4", "6"] { try "".write(toFile: "\(root)/state/\(fam).\(c)", atomically: true, encoding: .utf8) }
        }
    }

    /// The rules of a chain, one line each.
    func rules(_ chain: String, table: String = "filter", v6: Bool = false) -> [String]? {
        guard let t = try? String(contentsOfFile: "\(root)/state/\(v6 ? 6 : 4).\(table).\(chain)", encoding: .utf8) else { return nil }
        return t.split(separator: "\n").map(String.init)
    }

    /// The recorded command lines, without the `--version` probes.
    func commands() -> [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            .filter { !$0.hasSuffix("--version") }
    }

    func clearLog() { try? FileManager.default.removeItem(atPath: log) }

    static let script = #"""
    #!/bin/sh
    me=$(basename "$0"); fam=4; [ "$me" = ip6tables ] && fam=6
    printf '%s\n' "$me $*" >> '@ROOT@/log'
    [ "$1" = --version ] && { echo "$me v@VERSION@ (nf_tables)"; exit 0; }
    table=filter
    [ "$1" = -t ] && { table=$2; shift 2; }
    act=$1; chain=$2; shift 2
    f="@ROOT@/state/$fam.$table.$chain"
    n=""
    [ "$act" = -I ] && case $1 in [0-9]*) n=$1; shift ;; esac
    # The rule's words without -w SECONDS (an option, not part of the rule).
    rule=""
    while [ $# -gt 0 ]; do
      if [ "$1" = -w ]; then shift 2; continue; fi
      rule="${rule:+$rule }$1"; shift
    done
    nochain() { echo "$me: No chain/target/match by that name." >&2; exit 1; }
    case $act in
      -C) [ -f "$f" ] || nochain; grep -qxF -- "$rule" "$f" || { echo "$me: Bad rule (does a matching rule exist in that chain?)." >&2; exit 1; } ;;
      -A) [ -f "$f" ] || nochain; printf '%s\n' "$rule" >> "$f" ;;
      -I) [ -f "$f" ] || nochain
          awk -v n="${n:-1}" -v r="$rule" 'NR == n { print r; done = 1 } { print } END { if (!done) print r }' "$f" > "$f.new" && mv "$f.new" "$f" ;;
      -D) [ -f "$f" ] || nochain; grep -qxF -- "$rule" "$f" || { echo "$me: Bad rule." >&2; exit 1; }
          awk -v r="$rule" '$0 == r && !done { done = 1; next } { print }' "$f" > "$f.new" && mv "$f.new" "$f" ;;
      -L) [ -f "$f" ] || nochain
          echo "Chain $chain (policy $(cat "$f.policy" 2>/dev/null || echo ACCEPT))"; cat "$f" ;;
      -P) [ -f "$f" ] || nochain; echo "$1" > "$f.policy" ;;
      -N) [ -f "$f" ] && { echo "$me: Chain already exists." >&2; exit 1; }; : > "$f" ;;
      -X) [ -f "$f" ] || nochain; rm -f "$f" ;;
      -F) if [ -n "$chain" ]; then [ -f "$f" ] || nochain; : > "$f"
          else for g in "@ROOT@/state/$fam.$table".*; do case $g in *.policy) ;; *) : > "$g" ;; esac; done; fi ;;
      *) echo "$me: unknown action $act" >&2; exit 2 ;;
    esac
    """#
}
