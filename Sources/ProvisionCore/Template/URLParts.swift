/// A URL split as Python's `urllib.parse.urlsplit` splits it, for the `urlsplit` filter.
struct URLParts {
    var dict = ValueDict()

    init(_ url: String, call: FilterCall) throws {
        var rest = Substring(url)
        var scheme = ""
        if let colon = rest.firstIndex(of: ":") {
            let candidate = rest[..<colon]
            if let first = candidate.first, first.isASCII, first.isLetter,
               candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
                scheme = candidate.lowercased()
                rest = rest[rest.index(after: colon)...]
            }
        }
        var netloc = ""
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex { "/?#".contains($0) } ?? rest.endIndex
            netloc = String(rest[..<end])
            rest = rest[end...]
        }
        var fragment = "", query = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let q = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: q)...])
            rest = rest[..<q]
        }
        var username: Value = .null, password: Value = .null
        var hostPort = Substring(netloc)
        if let at = netloc.lastIndex(of: "@") {
            let userinfo = netloc[..<at]
            hostPort = netloc[netloc.index(after: at)...]
            if let c = userinfo.firstIndex(of: ":") {
                username = .string(String(userinfo[..<c]))
                password = .string(String(userinfo[userinfo.index(after: c)...]))
            } else {
                username = .string(String(userinfo))
            }
        }
        var host = hostPort, portText: Substring?
        if hostPort.hasPrefix("["), let close = hostPort.firstIndex(of: "]") {
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() }
        } else if let c = hostPort.firstIndex(of: ":") {
            host = hostPort[..<c]
            portText = hostPort[hostPort.index(after: c)...]
        }
        var port: Value = .null
        if let portText, !portText.isEmpty {
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(portText), (0...65535).contains(p) else {
                throw call.fail("Port could not be cast to integer value as '\(portText)'")
            }
            port = .int(p)
        }
        dict["fragment"] = .string(fragment)
        dict["hostname"] = host.isEmpty ? .null : .string(host.lowercased())
        dict["netloc"] = .string(netloc)
        dict["password"] = password
        dict["path"] = .string(String(rest))
        dict["port"] = port
        dict["query"] = .string(query)
        dict["scheme"] = .string(scheme)
        dict["username"] = username
    }
}
