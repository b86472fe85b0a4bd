import Foundation

/// `wait_for`: waits, ON THE HOST, until a TCP port opens/closes or a path appears/disappears
/// (optionally until a file contains `search_regex`), or just sleeps `timeout` seconds.
///
/// A plain POSIX shell has no socket primitive, so the port is probed with bash's `/dev/tcp`
/// under `timeout` (bash and coreutils are essential on Debian-family systems), else with
/// `nc -z` (busybox's nc may lack -z, hence second); a host with neither fails with a clear
/// message. Never reports a change.
public struct WaitForModule: Module {
    public static let name = "wait_for"
    public static let argumentSpec = ArgumentSpec([
        .init("host", default: "127.0.0.1"), .init("port", .int), .init("path"),
        .init("state", choices: ["present", "absent", "started", "stopped"], default: "started"),
        .init("timeout", .int, default: 300), .init("delay", .int, default: 0),
        .init("sleep", .int, default: 1), .init("connect_timeout", .int, default: 5),
        .init("search_regex"), .init("msg"),
    ], mutuallyExclusive: [["port", "path"]])

    public var host: String
    public var port: Int?
    public var path: String?
    /// started/present: wait for it to be there; stopped/absent: wait for it to go.
    public var waitForPresence: Bool
    public var timeout: Int
    public var delay: Int
    public var sleep: Int
    public var connectTimeout: Int
    public var searchRegex: String?
    /// `searchRegex` as the host's `grep -E` reads it.
    var searchERE: POSIXExtendedRegex?
    public var message: String?

    public init(arguments args: ModuleArguments) throws {
        host = try args.string("host") ?? "127.0.0.1"
        port = try args.int("port")
        path = try args.string("path")
        let state = try args.choice("state", ["present", "absent", "started", "stopped"]) ?? "started"
        waitForPresence = state == "present" || state == "started"
        timeout = try args.int("timeout") ?? 300
        delay = try args.int("delay") ?? 0
        sleep = max(1, try args.int("sleep") ?? 1)
        connectTimeout = max(1, try args.int("connect_timeout") ?? 5)
        searchRegex = try args.string("search_regex")
        message = try args.string("msg")
        if let port, !(1...65535).contains(port) { throw ModuleError("'port' must be 1-65535 (got \(port))") }
        if searchRegex != nil, path == nil { throw ModuleError("'search_regex' is supported with 'path' only") }
        searchERE = try searchRegex.map { try POSIXExtendedRegex(python: $0) }
    }

    func script() -> ModuleScript {
        var s = ModuleScript(Self.body)
        s.set("host", host)
        s.set("port", port.map(String.init) ?? "")
        s.set("path", path ?? "")
        s.set("want", waitForPresence ? "present" : "absent")
        s.set("timeout", String(timeout))
        s.set("delay", String(delay))
        s.set("interval", String(sleep))
        s.set("ctimeout", String(connectTimeout))
        s.set("regex", searchERE?.pattern ?? "")
        s.set("icase", searchERE?.caseInsensitive ?? false)
        return s
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let out = try script().run(in: context, timeout: TimeInterval(timeout + delay + connectTimeout + 30))
        var data: [String: Value] = [:]
        if let e = out.first("elapsed"), let n = Int(e) { data["elapsed"] = .int(n) }
        if let port { data["port"] = .int(port) }
        if let path { data["path"] = .string(path) }
        if let f = out.failure {
            if let message, out.has("timeout") { return .failed(message, data: data) }
            return .failed(f, data: data)
        }
        return .ok(data)
    }

    static let body = #"""
    start=$(date +%s)
    [ "$delay" -gt 0 ] && sleep "$delay"
    if [ -n "$port" ]; then
      if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then
        probe() { timeout "$ctimeout" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" >/dev/null 2>&1; }
      elif command -v nc >/dev/null 2>&1; then
        probe() { nc -z -w "$ctimeout" "$host" "$port" >/dev/null 2>&1; }
      else
        die "wait_for needs nc or bash on the host to test a TCP port"
      fi
      what="$host:$port"
    elif [ -n "$path" ]; then
      if [ -n "$regex" ]; then
        if [ "$icase" = 1 ]; then gi=-i; else gi=; fi
        probe() { [ -f "$path" ] && grep -Eq $gi -- "$regex" "$path" 2>/dev/null; }
      else
        probe() { [ -e "$path" ]; }
      fi
      what=$path
    else
      sleep "$timeout"; pv elapsed "$(( $(date +%s) - start ))"; exit 0
    fi
    while :; do
      if probe; then [ "$want" = present ] && break; else [ "$want" = absent ] && break; fi
      if [ $(( $(date +%s) - start )) -ge "$timeout" ]; then
        pv timeout
        if [ "$want" = present ]; then die "timeout when waiting for $what"; else die "timeout when waiting for $what to go away"; fi
      fi
      sleep "$interval"
    done
    pv elapsed "$(( $(date +%s) - start ))"
    exit 0
    """#
}
