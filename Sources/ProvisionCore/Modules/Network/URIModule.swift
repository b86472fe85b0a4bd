import Foundation

/// `uri`: makes an HTTP request FROM THE HOST with its `curl` and returns what Ansible's
/// returns (`status`, `url`, `redirected`, the response headers as lowercase keys, `json` for a
/// JSON response, `content` with `return_content`, `elapsed`, `msg`), failing when the status
/// is not in `status_code`.
///
/// Credentials, headers and the body reach curl on stdin (a `-K -` configuration and a body
/// file), never its argument list. Skipped in check mode, as Ansible's uri is.
public struct URIModule: Module {
    public static let name = "uri"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("url", required: true), .init("dest"), .init("url_username", aliases: ["user"]),
            .init("url_password", aliases: ["password"]), .init("body", .any),
            .init("body_format", choices: ["form-urlencoded", "json", "raw"], default: "raw"),
            .init("src"), .init("remote_src", .bool, default: false), .init("method", default: "GET"),
            .init("return_content", .bool, default: false),
            .init("follow_redirects", choices: ["all", "no", "none", "safe", "urllib2", "yes"], default: "safe"),
            .init("creates"), .init("removes"), .init("status_code", .list, default: .list([200])),
            .init("timeout", .int, default: 30), .init("headers", .dict, default: .dict([:])),
            .init("validate_certs", .bool, default: true), .init("force_basic_auth", .bool, default: false),
            .init("http_agent", default: "ansible-httpget"), .init("use_proxy", .bool, default: true),
        ] + FileAttributes.fields,
        mutuallyExclusive: [["body", "src"]]
    )
    public static let supportsCheckMode = false

    public var url: String
    public var dest: String?
    public var username: String?
    public var password: String?
    public var body: Data?
    public var src: String?
    public var remoteSrc: Bool
    public var method: String
    public var returnContent: Bool
    public var followRedirects: String
    public var creates: String?
    public var removes: String?
    public var statusCodes: [Int]
    public var timeout: Int
    public var headers: [(String, String)]
    public var validateCerts: Bool
    public var forceBasicAuth: Bool
    public var httpAgent: String
    public var useProxy: Bool
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        url = try args.requiredString("url")
        dest = try args.string("dest")
        username = try args.string("url_username")
        password = try args.string("url_password")
        src = try args.string("src")
        remoteSrc = try args.bool("remote_src") ?? false
        method = (try args.string("method") ?? "GET").uppercased()
        guard method.range(of: "^[A-Z]+$", options: .regularExpression) != nil else {
            throw ModuleError("Parameter 'method' needs to be a single word in uppercase, like GET or POST.")
        }
        returnContent = try args.bool("return_content") ?? false
        followRedirects = try args.choice("follow_redirects", ["all", "no", "none", "safe", "urllib2", "yes"]) ?? "safe"
        creates = try args.string("creates")
        removes = try args.string("removes")
        statusCodes = try (args.stringList("status_code") ?? ["200"]).map { s in
            guard let n = Int(s) else { throw ModuleError("'status_code' must be a list of integers (got '\(s)')") }
            return n
        }
        timeout = try args.int("timeout") ?? 30
        validateCerts = try args.bool("validate_certs") ?? true
        forceBasicAuth = try args.bool("force_basic_auth") ?? false
        httpAgent = try args.string("http_agent") ?? "ansible-httpget"
        useProxy = try args.bool("use_proxy") ?? true
        attributes = try FileAttributes(args)
        var hdrs = (try args.dict("headers") ?? [:]).map { ($0.key, $0.value.renderedString) }.sorted { $0.0 < $1.0 }
        let format = try args.choice("body_format", ["form-urlencoded", "json", "raw"]) ?? "raw"
        let hasType = hdrs.contains { $0.0.lowercased() == "content-type" }
        if let v = args.values["body"], !v.isNull {
            switch format {
            case "json":
                if case .string(let s) = v { body = Data(s.utf8) } else { body = Data(v.jsonString.utf8) }
                if !hasType { hdrs.append(("Content-Type", "application/json")) }
            case "form-urlencoded":
                body = Data(try Self.formURLEncoded(v).utf8)
                if !hasType { hdrs.append(("Content-Type", "application/x-www-form-urlencoded")) }
            default:
                body = Data(v.renderedString.utf8)
            }
        }
        headers = hdrs
        for (k, v) in headers where k.contains(":") || k.contains("\n") || v.contains("\n") {
            throw ModuleError("header '\(k)' must not contain ':' in its name or a newline")
        }
    }

    /// Python's `urlencode` of a dict or list of pairs (a string is sent as it is).
    static func formURLEncoded(_ v: Value) throws -> String {
        func plus(_ s: String) -> String {
            var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
            allowed.insert(charactersIn: "_.-~ ")
            return (s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s).replacingOccurrences(of: " ", with: "+")
        }
        switch v {
        case .string(let s): return s
        case .dict(let d): return d.map { plus($0.key) + "=" + plus($0.value.renderedString) }.joined(separator: "&")
        case .list(let items):
            return try items.map { item -> String in
                guard case .list(let pair) = item, pair.count == 2 else {
                    throw ModuleError("failed to parse body as form_urlencoded: a list body needs [key, value] pairs")
                }
                return plus(pair[0].renderedString) + "=" + plus(pair[1].renderedString)
            }.joined(separator: "&")
        default: throw ModuleError("failed to parse body as form_urlencoded: give a mapping")
        }
    }

    /// A curl configuration line with a double-quoted value.
    static func configLine(_ key: String, _ value: String) -> String {
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\(key) = \"\(escaped)\"\n"
    }

    var follows: Bool {
        switch followRedirects {
        case "all", "yes": return true
        case "no", "none": return false
        default: return method == "GET" || method == "HEAD"
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if context.checkMode { return ModuleResult(skipped: true, message: "remote module (uri) does not support check mode") }
        var config = Self.configLine("url", url) + Self.configLine("request", method)
            + Self.configLine("user-agent", httpAgent)
        for (k, v) in headers { config += Self.configLine("header", "\(k): \(v)") }
        if let username {
            config += Self.configLine("user", username + ":" + (password ?? ""))
            config += forceBasicAuth ? "basic\n" : "anyauth\n"
        }
        if follows { config += "location\n" }
        if !validateCerts { config += "insecure\n" }
        if !useProxy { config += Self.configLine("noproxy", "*") }
        var payload = body
        if let src, !remoteSrc {
            let path = context.controllerFile(src, in: "files")
            guard let d = FileManager.default.contents(atPath: path) else { return .failed("Could not find or access '\(src)' on the controller") }
            payload = d
        }
        var s = ModuleScript(Self.body)
        s.set("cfglen", String(config.utf8.count))
        s.set("hasbody", payload != nil || (remoteSrc && src != nil))
        s.set("rsrc", remoteSrc ? (src ?? "") : "")
        s.set("timeout", String(timeout))
        s.set("dest", dest ?? "")
        s.set("fname", URL(string: url).map { $0.lastPathComponent }.flatMap { $0.isEmpty || $0 == "/" ? nil : $0 } ?? "")
        s.set("creates", creates ?? "")
        s.set("removes", removes ?? "")
        s.set("okcodes", " " + statusCodes.map(String.init).joined(separator: " ") + " ")
        attributes.apply(to: &s)
        let out = try s.run(in: context, stdin: Data(config.utf8) + (payload ?? Data()),
                            timeout: TimeInterval(timeout * 4 + 30))
        if let f = out.failure { return .failed(f) }
        if let skip = out.first("skipped") { return .ok(["stdout": .string(skip)]) }
        return result(out)
    }
}
