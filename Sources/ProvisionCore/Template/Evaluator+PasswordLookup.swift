import Foundation

/// `lookup('password', 'path k=v …')` as ansible-core 2.14's: the password stored in the file
/// (made under the playbook directory when the path is relative, even in a role), generated when the file is
/// missing (or is /dev/null) from `chars` with Python's `random.Random(seed)` when a seed is
/// given, so seeded passwords are the ones Ansible makes; `encrypt=` stores a salt (and for
/// bcrypt the ident) beside it and returns the hash (md5_crypt, sha256_crypt, sha512_crypt,
/// bcrypt), as ansible-core 2.14.18's lookup does, quirks included: the stored ident is
/// replaced by the `ident=` given (else the scheme's default) and the file rewritten.
extension Evaluator {
    private static let passwordParams: Set<String> = ["length", "encrypt", "chars", "ident", "seed"]

    /// Python's `string` module constants, the names `chars=` may use.
    private static let stringConstants: [String: String] = {
        let lower = "abcdefghijklmnopqrstuvwxyz", upper = lower.uppercased(), digits = "0123456789"
        let punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", whitespace = " \t\n\r\u{0B}\u{0C}"
        return ["ascii_letters": lower + upper, "ascii_lowercase": lower, "ascii_uppercase": upper,
                "digits": digits, "hexdigits": digits + "abcdefABCDEF", "octdigits": "01234567",
                "punctuation": punctuation, "whitespace": whitespace,
                "printable": digits + lower + upper + punctuation + whitespace]
    }()

    func passwordLookup(_ terms: [Value], _ args: CallArguments) throws -> [Value] {
        func fail(_ message: String) -> TemplateError { .evaluation("lookup('password'): " + message, at: args.offset) }
        var options: [String: Value] = [:]
        for name in Self.passwordParams { if let v = try args.value(-1, name) { options[name] = v } }
        return try terms.map { term in
            guard case .string(let text) = term else { throw fail("the term must be a string, not \(term.typeName)") }
            let (relpath, params) = try parsePasswordTerm(text, fail: fail)
            var merged = options
            for (k, v) in params { merged[k] = .string(v) }

            let lengthValue = merged["length"] ?? .int(20)
            let length: Int
            switch lengthValue {
            case .int(let i): length = i
            case .string(let s):
                guard let i = Int(s.trimmingCharacters(in: .whitespaces)) else {
                    throw fail("invalid literal for int() with base 10: '\(s)'")
                }
                length = i
            default: throw fail("length must be an integer, not \(lengthValue.typeName)")
            }
            let encrypt = merged["encrypt"].flatMap { $0.isTruthy ? PythonRepr.str($0) : nil }
            let scheme = try encrypt.map { name in
                guard let scheme = PasswordHash.Scheme(rawValue: name) else {
                    throw fail("encrypt '\(name)' is not supported (md5_crypt, sha256_crypt, sha512_crypt, bcrypt)")
                }
                return scheme
            }
            let identParam = merged["ident"].flatMap { $0.isTruthy ? PythonRepr.str($0) : nil }
            let chars = try candidateChars(merged["chars"], fail: fail)
            // The option is a str: an integer seed seeds as its text, as Ansible's does.
            let seed = merged["seed"].flatMap { $0.isNull ? nil : Value.string(PythonRepr.str($0)) }

            let path = relpath.hasPrefix("/") ? relpath : passwordBaseDirectory() + "/" + relpath
            let isNull = path == "/dev/null"
            var plaintext: String
            var salt: String?
            var changed = false
            if !isNull, let data = FileManager.default.contents(atPath: path) {
                let content = PythonString.strip(String(decoding: data, as: UTF8.self), nil, leading: false)
                (plaintext, salt) = Self.parsePasswordContent(content)
            } else {
                plaintext = try Self.randomPassword(length: length, chars: chars, seed: seed)
                changed = true
            }
            if let scheme, salt == nil {
                // `random_salt`: letters, digits, '.' and '/' whatever the scheme.
                salt = try Self.randomPassword(length: scheme.saltSize, chars: Array(SHACrypt.alphabet).map { Character(Unicode.Scalar($0)) }, seed: nil)
                changed = true
            }
            // The stored ident is never used: the parameter's, else the scheme's default
            // (bcrypt's 2b), and asking none marks the file changed.
            var ident = identParam
            if scheme != nil, ident == nil {
                changed = true
                ident = scheme == .bcrypt ? "2b" : nil
            }
            if changed, !isNull {
                var content = plaintext
                if let salt, scheme != nil || !salt.isEmpty {
                    content += " salt=" + salt + (ident.map { " ident=" + $0 } ?? "")
                }
                try writePasswordFile(path, content + "\n", fail: fail)
            }
            guard let scheme else { return .string(plaintext) }
            do {
                return .string(try PasswordHash.hash(plaintext, scheme: scheme, salt: salt, saltSize: nil, rounds: nil,
                                                     ident: scheme == .bcrypt ? ident : nil))
            } catch let failure as PasswordHash.Failure {
                throw fail("Could not hash the secret.. " + failure.message)
            }
        }
    }

    /// The directory a relative password path is made in: the playbook's (the loader's
    /// `path_dwim`, also for a task in a role).
    private func passwordBaseDirectory() -> String {
        if let s = scope.lookup("playbook_dir")?.materialized.stringValue, !s.isEmpty { return s }
        return FileManager.default.currentDirectoryPath
    }

    /// The path and the `key=value` parameters of a term, as the lookup's `_parse_parameters`.
    private func parsePasswordTerm(_ term: String, fail: (String) -> TemplateError) throws -> (String, [String: String]) {
        guard let space = term.firstIndex(of: " ") else { return (term, [:]) }
        var relpath = String(term[..<space])
        var params: [String: String] = [:]
        var raw: [String] = []
        for token in Self.splitArgs(String(term[term.index(after: space)...])) {
            if let eq = token.firstIndex(of: "="), eq != token.startIndex {
                var value = String(token[token.index(after: eq)...])
                if value.count >= 2, let f = value.first, (f == "'" || f == "\""), value.last == f {
                    value = String(value.dropFirst().dropLast())
                }
                params[String(token[..<eq])] = value
            } else {
                raw.append(token)
            }
        }
        if !raw.isEmpty {
            relpath += " " + raw.joined(separator: " ")
            guard term.hasPrefix(relpath) else { throw fail("Unrecognized value after key=value parameters given to password lookup") }
        }
        let invalid = Set(params.keys).subtracting(Self.passwordParams)
        if !invalid.isEmpty {
            throw fail("Unrecognized parameter(s) given to password lookup: " + invalid.sorted().joined(separator: ", "))
        }
        return (relpath, params)
    }

    /// Whitespace-separated words, quotes kept together (what parse_kv splits on).
    private static func splitArgs(_ s: String) -> [String] {
        var out: [String] = [], cur = "", quote: Character?
        for c in s {
            if let q = quote {
                cur.append(c)
                if c == q { quote = nil }
            } else if c == " " || c == "\t" || c == "\n" {
                if !cur.isEmpty { out.append(cur); cur = "" }
            } else {
                if c == "'" || c == "\"" { quote = c }
                cur.append(c)
            }
        }
        if !cur.isEmpty { out.append(cur) }
        return out
    }

    /// `_gen_candidate_chars`: each spec a `string` constant's name or literal characters;
    /// quotes removed.
    private func candidateChars(_ spec: Value?, fail: (String) -> TemplateError) throws -> [Character] {
        var specs: [String]
        switch spec {
        case nil, .null?: specs = ["ascii_letters", "digits", ".,:-_"]
        case .string(let s)?:
            specs = s.contains(",,") ? [","] : []
            specs += s.replacingOccurrences(of: ",,", with: ",").split(separator: ",").map(String.init)
        case .list(let l)?: specs = l.map(\.renderedString)
        case let other?: throw fail("chars must be a string or a list, not \(other.typeName)")
        }
        let joined = specs.map { Self.stringConstants[$0] ?? $0 }.joined()
        return Array(joined.unicodeScalars.filter { $0 != "\"" && $0 != "'" }.map(Character.init))
    }

    /// `random_password`: `random.Random(seed).choice(chars)` per character, or the system's
    /// generator without a seed.
    private static func randomPassword(length: Int, chars: [Character], seed: Value?) throws -> String {
        guard length > 0 else { return "" }
        guard !chars.isEmpty else { throw TemplateError.evaluation("lookup('password'): no characters to choose from") }
        if let seed {
            var rng = try PythonRandom(seed: seed)
            return String((0..<length).map { _ in chars[rng.below(chars.count)] })
        }
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in chars[Int(rng.next(upperBound: UInt(chars.count)))] })
    }

    /// `_parse_content`: `password[ salt=SALT[ ident=IDENT]]`, the password and the salt
    /// (the stored ident is read by Ansible but never used).
    private static func parsePasswordContent(_ content: String) -> (String, String?) {
        guard let r = content.range(of: " salt=", options: .backwards) else { return (content, nil) }
        var salt = String(content[r.upperBound...])
        if let i = salt.range(of: " ident=", options: .backwards) { salt = String(salt[..<i.lowerBound]) }
        return (String(content[..<r.lowerBound]), salt.isEmpty ? nil : salt)
    }

    private func writePasswordFile(_ path: String, _ content: String, fail: (String) -> TemplateError) throws {
        let fm = FileManager.default
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty, !fm.fileExists(atPath: dir) {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            guard fm.createFile(atPath: path, contents: Data(content.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw fail("cannot write '\(path)'")
            }
        } catch let e as TemplateError { throw e } catch {
            throw fail("cannot write '\(path)': \(error.localizedDescription)")
        }
    }
}
