/// `password_hash` (Ansible's core filter, through passlib) and `vault`/`unvault` (Ansible's
/// encryption filters, 2.12+), with Ansible's arguments, defaults and failures.
extension FilterLibrary {
    static let encryptionFilters: [String: Filter] = [
        "password_hash": plain { call in try passwordHash(call) },
        "vault": plain { call in try vault(call) },
        "unvault": plain { call in try unvault(call) },
    ]

    /// `get_encrypted_password(password, hashtype='sha512', salt=None, salt_size=None,
    /// rounds=None, ident=None)`: Ansible's short names map to passlib's.
    private static func passwordHash(_ call: FilterCall) throws -> Value {
        let type = try call.args.value(0, "hashtype").map(PythonRepr.str) ?? "sha512"
        let names = ["md5": "md5_crypt", "blowfish": "bcrypt", "sha256": "sha256_crypt", "sha512": "sha512_crypt"]
        guard let scheme = PasswordHash.Scheme(rawValue: names[type] ?? type) else {
            throw call.fail("hash type '\(type)' is not supported (supported: sha512, sha256, md5, bcrypt/blowfish)")
        }
        // Ansible passes each only when it is truthy; passlib takes numeric text for numbers.
        func number(_ index: Int, _ name: String) throws -> Int? {
            guard let v = try call.args.value(index, name), v.isTruthy else { return nil }
            switch v {
            case .int(let i): return i
            case .bool: return 1
            case .string(let s): if let i = Int(s.trimmingCharacters(in: .whitespaces)) { return i }
            default: break
            }
            throw call.fail("\(name) must be an integer, not \(v.typeName)")
        }
        let salt = try call.args.value(1, "salt").flatMap { $0.isTruthy ? PythonRepr.str($0) : nil }
        var ident: String?
        if scheme == .bcrypt, let v = try call.args.value(4, "ident"), v.isTruthy {
            guard case .string(let s) = v else { throw call.fail("Could not hash the secret.. invalid ident: \(PythonRepr.repr(v))") }
            ident = s
        }
        do {
            return .string(try PasswordHash.hash(try call.text(), scheme: scheme, salt: salt, saltSize: try number(2, "salt_size"),
                                                 rounds: try number(3, "rounds"), ident: ident))
        } catch let failure as PasswordHash.Failure {
            throw call.fail("Could not hash the secret.. " + failure.message)
        }
    }

    /// `vault(secret, salt=None, vaultid='filter_default', wrap_object=False)`: by default the
    /// text has a 1.2 header naming `filter_default`.
    private static func vault(_ call: FilterCall) throws -> Value {
        let data = try call.value()
        guard case .string(let text) = data else { throw call.fail("Can only vault strings, instead we got: \(data.typeName)") }
        let secret = try vaultSecret(call)
        if let wrap = try call.args.value(3, "wrap_object"), wrap.isTruthy {
            throw call.fail("wrap_object=True (an AnsibleVaultEncryptedUnicode object) is not supported by provision")
        }
        var salt: [UInt8]?
        if let s = try call.args.value(1, "salt"), !s.isNull {
            salt = s.isTruthy ? Array(PythonRepr.str(s).utf8) : []
        }
        let id = try call.args.value(2, "vaultid")
        let vaultID = id.map { $0.isTruthy ? PythonRepr.str($0) : "" } ?? "filter_default"
        do {
            return .string(try AnsibleVault.encrypt(text, password: secret, salt: salt, vaultID: vaultID))
        } catch let failure as AnsibleVault.Failure {
            throw call.fail("Unable to encrypt: " + failure.message)
        }
    }

    /// `unvault(secret, vaultid='filter_default')`: text that is not a vault is returned as is.
    private static func unvault(_ call: FilterCall) throws -> Value {
        let input = try call.value()
        guard case .string(let text) = input else {
            throw call.fail("Vault should be in the form of a string, instead we got: \(input.typeName)")
        }
        let secret = try vaultSecret(call)
        guard AnsibleVault.isEncrypted(text) else { return .string(text) }
        let data: [UInt8]
        do {
            data = try AnsibleVault.decrypt(text, password: secret)
        } catch let failure as AnsibleVault.Failure {
            throw call.fail("Unable to decrypt: " + failure.message)
        }
        let decoded = String(decoding: data, as: UTF8.self)
        guard Array(decoded.utf8) == data else {
            throw call.fail("the decrypted data is not UTF-8 text (Python's surrogate escapes), which provision does not represent")
        }
        return .string(decoded)
    }

    private static func vaultSecret(_ call: FilterCall) throws -> String {
        let secret = try call.args.required(0, "secret")
        guard case .string(let s) = secret else {
            throw call.fail("Secret passed is required to be a string, instead we got: \(secret.typeName)")
        }
        return s
    }
}
