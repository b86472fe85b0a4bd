/// What `openssl_csr` asks for, in the collection's terms and as `openssl req` arguments: the
/// subject (its entries in the collection's order), the requested extensions (`-addext`
/// values) and the values the module returns.
struct CSRRequest {
    var subject: [(name: String, value: String)] = []
    var ordered = false
    var subjectAltName: [String] = []
    var keyUsage: [String] = []
    var extendedKeyUsage: [String] = []
    var basicConstraints: [String] = []
    var ocspMustStaple = false
    var extensions: [String] = []
    /// The list arguments given (the collection returns null for the others).
    var given: Set<String> = []

    static let keyUsageNames: [String: String] = [
        "digitalsignature": "digitalSignature", "nonrepudiation": "nonRepudiation",
        "contentcommitment": "nonRepudiation", "keyencipherment": "keyEncipherment",
        "dataencipherment": "dataEncipherment", "keyagreement": "keyAgreement",
        "keycertsign": "keyCertSign", "certificatesign": "keyCertSign", "crlsign": "cRLSign",
        "encipheronly": "encipherOnly", "decipheronly": "decipherOnly",
    ]

    init(_ args: ModuleArguments) throws {
        for (key, name) in [("country_name", "C"), ("state_or_province_name", "ST"), ("locality_name", "L"),
                            ("organization_name", "O"), ("organizational_unit_name", "OU"),
                            ("common_name", "CN"), ("email_address", "emailAddress")] {
            if let v = try args.string(key), !v.isEmpty { subject.append((name, v)) }
        }
        // In the dict's own order, as the collection reads it.
        if case .dict(let dict)? = args.values["subject"] {
            for e in dict { subject += try Self.entries(e.key, e.value) }
        } else if let v = args.values["subject"], !v.isNull {
            throw ModuleError("'subject' must be a mapping")
        }
        if case .list(let items)? = args.values["subject_ordered"] {
            if !subject.isEmpty { throw ModuleError("subject_ordered cannot be combined with any other subject field") }
            for item in items {
                guard case .dict(let d) = item, d.count == 1, let (name, value) = d.first.map({ ($0.key, $0.value) }) else {
                    throw ModuleError("Value for subject_ordered must be a list of dictionaries with one entry each")
                }
                subject += try Self.entries(name, value)
            }
            ordered = true
        }
        for (name, _) in subject where name.contains("/") || name.contains("=") {
            throw ModuleError("Error while parsing subject: unknown attribute name '\(name)'")
        }
        for k in ["subject_alt_name", "key_usage", "extended_key_usage", "basic_constraints"] where args.has(k) { given.insert(k) }
        subjectAltName = try args.stringList("subject_alt_name") ?? []
        if subjectAltName.isEmpty, try args.bool("use_common_name_for_san") ?? true,
           let cn = subject.first(where: { $0.name == "CN" || $0.name == "commonName" }) {
            subjectAltName = ["DNS:" + cn.value]
            given.insert("subject_alt_name")
        }
        keyUsage = try args.stringList("key_usage") ?? []
        extendedKeyUsage = try args.stringList("extended_key_usage") ?? []
        basicConstraints = try args.stringList("basic_constraints") ?? []
        ocspMustStaple = try args.bool("ocsp_must_staple") ?? false
        func critical(_ key: String) throws -> String { try args.bool(key) == true ? "critical," : "" }
        if !subjectAltName.isEmpty {
            for san in subjectAltName {
                let type = san.split(separator: ":", maxSplits: 1).first.map { $0.lowercased() } ?? ""
                guard ["dns", "ip", "email", "uri", "rid"].contains(type) else {
                    throw ModuleError("Cannot parse Subject Alternative Name \"\(san)\": provision supports DNS:, IP:, email:, URI: and RID: names")
                }
            }
            extensions.append("subjectAltName=" + (try critical("subject_alt_name_critical")) + subjectAltName.map(Self.sanForOpenSSL).joined(separator: ","))
        }
        if !keyUsage.isEmpty {
            let names = try keyUsage.map { u -> String in
                guard let n = Self.keyUsageNames[u.replacingOccurrences(of: " ", with: "").lowercased()] else {
                    throw ModuleError("Unknown keyUsage \(u)")
                }
                return n
            }
            extensions.append("keyUsage=" + (try critical("key_usage_critical")) + names.joined(separator: ","))
        }
        if !extendedKeyUsage.isEmpty {
            extensions.append("extendedKeyUsage=" + (try critical("extended_key_usage_critical")) + extendedKeyUsage.joined(separator: ","))
        }
        if !basicConstraints.isEmpty {
            extensions.append("basicConstraints=" + (try critical("basic_constraints_critical")) + basicConstraints.joined(separator: ","))
        }
        if ocspMustStaple { extensions.append("tlsfeature=" + (try critical("ocsp_must_staple_critical")) + "status_request") }
        if try args.bool("create_subject_key_identifier") == true { extensions.append("subjectKeyIdentifier=hash") }
        for refused in ["name_constraints_permitted", "name_constraints_excluded", "subject_key_identifier",
                        "authority_key_identifier", "authority_cert_issuer", "authority_cert_serial_number",
                        "crl_distribution_points"] where !(args.values[refused]?.isNull ?? true) {
            throw ModuleError("\(refused) is not supported by provision yet (the CSR is made with the host's openssl req)")
        }
    }

    /// `name: value` or `name: [values]` of a `subject` dict.
    static func entries(_ name: String, _ value: Value) throws -> [(name: String, value: String)] {
        switch value {
        case .list(let items): return items.map { (name, $0.renderedString) }
        case .null: return []
        default: return [(name, value.renderedString)]
        }
    }

    /// OpenSSL's config spelling of a SAN (`IP:`, `email:`, `URI:`, `RID:`, `DNS:`).
    static func sanForOpenSSL(_ san: String) -> String {
        guard let colon = san.firstIndex(of: ":") else { return san }
        let type = san[..<colon].lowercased()
        let rest = san[san.index(after: colon)...]
        let spelled = ["dns": "DNS", "ip": "IP", "email": "email", "uri": "URI", "rid": "RID"][type] ?? String(san[..<colon])
        return spelled + ":" + rest
    }

    /// The `-subj` argument: `/NAME=VALUE…`, with `\`, `/` and `+` escaped.
    var subjectArgument: String {
        if subject.isEmpty { return "/" }
        return subject.map { e in
            var v = ""
            for c in e.value {
                if c == "\\" || c == "/" || c == "+" { v.append("\\") }
                v.append(c)
            }
            return "/" + e.name + "=" + v
        }.joined()
    }

    /// The values the collection returns for these options.
    var returned: [String: Value] {
        func list(_ key: String, _ items: [String]) -> Value { given.contains(key) ? .list(items.map { .string($0) }) : .null }
        return [
            "subject": .list(subject.map { .list([.string($0.name), .string($0.value)]) }),
            "subjectAltName": list("subject_alt_name", subjectAltName),
            "keyUsage": list("key_usage", keyUsage),
            "extendedKeyUsage": list("extended_key_usage", extendedKeyUsage),
            "basicConstraints": list("basic_constraints", basicConstraints),
            "ocspMustStaple": .bool(ocspMustStaple),
            "name_constraints_permitted": .list([]),
            "name_constraints_excluded": .list([]),
        ]
    }
}
