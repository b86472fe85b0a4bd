/// An OpenSSH key pair as `openssh_keypair` reads it on the host: the `ssh-keygen -l` line of
/// the private key and the text of the `.pub` file (each nil or empty when missing/unreadable).
struct SSHKeyState {
    var size: Int?
    var fingerprint: String?
    var type: String?
    /// TYPE, DATA and COMMENT of the `.pub` file, split as the collection splits it (the
    /// comment is what follows the second space, "" when there is none).
    var publicKeyFields: (type: String, data: String, comment: String)?

    init() {}

    init(keygenLine: String?, publicFile: String?) {
        // "4096 SHA256:abc… comment with spaces (RSA)"
        let parts = (keygenLine ?? "").split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count >= 2, let n = Int(parts[0]), let last = parts.last {
            size = n
            fingerprint = parts[1]
            type = String(last.dropFirst().dropLast()).lowercased()
        }
        if let text = publicFile, let sp = text.firstIndex(of: " ") {
            let rest = text[text.index(after: sp)...]
            let data = rest.firstIndex(of: " ").map { rest[..<$0] } ?? rest
            let comment = rest.firstIndex(of: " ").map { String(rest[rest.index(after: $0)...]) } ?? ""
            publicKeyFields = (String(text[..<sp]), String(data), comment)
        }
    }

    /// The collection's diff of a key pair: JSON of size, type, fingerprint, format (empty for
    /// the ssh-keygen backend), public_key (the data) and comment; `{}` for no key.
    var diffText: String {
        var d: [String: Value] = [:]
        if let size, let fingerprint, let type {
            d["size"] = .int(size)
            d["type"] = .string(type)
            d["fingerprint"] = .string(fingerprint)
            d["format"] = .string("")
        }
        if let p = publicKeyFields {
            d["public_key"] = .string(p.data)
            d["comment"] = .string(p.comment)
        }
        return FilterLibrary.prettyJSON(.dict(ValueDict(d)), indent: 4, level: 0) + "\n"
    }
}
