import Crypto
import Foundation

/// Masks secrets in every text a reporter writes: passwords from the command line and the
/// inventory, values of secret-named variables, and what `no_log` tasks handled.
///
/// Each secret is masked with the forms templates commonly derive from it (`upper`, `lower`,
/// `capitalize`, `title`, `reverse`, `b64encode`, `urlencode`, `to_json`'s escaping, and the
/// `md5`/`sha1`/`sha256` digests), so `{{ db_password | upper }}` is masked too. A task
/// argument whose template reads a secret (see `HostScope.readsSecret`) is masked as rendered,
/// whatever the template did to the secret.
///
/// Thread-safe; secrets may be added while hosts run (a `no_log` task's rendered values).
/// Strings shorter than `minimumLength` are not recorded, so `yes` or `1` never turn into
/// masks everywhere.
public final class SecretRedactor: @unchecked Sendable {
    public static let mask = "********"
    public let minimumLength = 4
    private let lock = NSLock()
    private var secrets: Set<String> = []
    private var ordered: [String] = []
    private var markedNames: Set<String> = []

    public init() {}

    /// Records a secret to mask from now on.
    public func add(_ secret: Secret?) { if let secret { add(secret.reveal()) } }

    public func add(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.count >= minimumLength else { return }
        let known = lock.withLock { secrets.contains(t) }
        guard !known else { return }
        let forms = Self.derivedForms(of: t)
        lock.withLock {
            var added = false
            for form in forms where form.count >= minimumLength && secrets.insert(form).inserted {
                ordered.append(form)
                added = true
            }
            // Longest first, so a secret containing another is masked whole.
            if added { ordered.sort { $0.count > $1.count } }
        }
    }

    /// `secret` and what common filters make of it.
    static func derivedForms(of secret: String) -> [String] {
        let data = Data(secret.utf8)
        func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
            digest.map { String(format: "%02x", $0) }.joined()
        }
        var forms = [secret, secret.uppercased(), secret.lowercased(), secret.capitalized,
                     secret.prefix(1).uppercased() + secret.dropFirst().lowercased(),
                     String(secret.reversed()), data.base64EncodedString(),
                     hex(Insecure.MD5.hash(data: data)), hex(Insecure.SHA1.hash(data: data)), hex(SHA256.hash(data: data))]
        if let url = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.append(url) }
        let json = Value.jsonQuote(secret)
        forms.append(String(json.dropFirst().dropLast()))
        return forms
    }

    /// Variables the run set from a secret (`set_fact: dsn: "{{ db_password }}@db"`): templates
    /// that read them derive from a secret too.
    var derivedSecretNames: Set<String> { lock.withLock { markedNames } }

    func markSecretName(_ name: String) { _ = lock.withLock { markedNames.insert(name) } }

    /// Records the values of secret-named variables (`*password*`, `*token*`, …) in `vars`.
    public func addSecretVariables(_ vars: [String: Value]) {
        for (k, v) in vars where Self.isSecretName(k) { addStrings(in: v) }
    }

    /// Records the strings under secret-named keys anywhere inside a module's result (a
    /// swarm's `JoinTokens`, its `UnlockKey`): the registered value keeps them usable, output
    /// shows the mask.
    public func addSecretFields(in value: Value) {
        switch value {
        case .dict(let d):
            for (k, v) in d {
                let lower = k.lowercased()
                // Facts describe the host (a package or a service named `passwd` is no secret):
                // masking their subtrees would hide common words such as `amd64` everywhere.
                if k == "ansible_facts" { continue }
                if Self.isSecretName(k) || lower.contains("unlockkey") || lower.contains("unlock_key") {
                    addStrings(in: v)
                } else {
                    addSecretFields(in: v)
                }
            }
        case .list(let l): l.forEach { addSecretFields(in: $0) }
        default: break
        }
    }

    /// Records every string inside `value`.
    public func addStrings(in value: Value) {
        switch value {
        case .string(let s): add(s)
        case .list(let l): l.forEach { addStrings(in: $0) }
        case .dict(let d): d.values.forEach { addStrings(in: $0) }
        default: break
        }
    }

    /// For a `no_log` task: records the values of secret-named arguments, and the values of
    /// the variables its templates read (the secret is usually one of those). Other literal
    /// text of the task is the user's own playbook and is not masked everywhere.
    func addNoLogArguments(_ args: [String: Value], scope: HostScope?) {
        for (k, v) in args {
            if Self.isSecretName(k) { addStrings(in: v) }
            addTemplateInputs(v, scope: scope)
        }
    }

    /// Records the values of the variables the templates in `value` read.
    func addTemplateInputs(_ value: Value, scope: HostScope?) {
        guard let scope, let names = try? Templating.referencedVariables(in: value) else { return }
        for n in names { if case .value(let v)? = scope.lookup(n) { addScalars(v) } }
    }

    /// A registered result of a `no_log` task (or one registered under a secret name): every
    /// string it carries but the bookkeeping Ansible adds to every result.
    public func addRegisteredResult(_ result: Value) {
        guard case .dict(let d) = result else { addStrings(in: result); return }
        let bookkeeping: Set<String> = ["cmd", "start", "end", "delta", "changed", "failed", "rc", "skipped",
                                        "invocation", "ansible_facts", "warnings", "deprecations"]
        for (k, v) in d where !bookkeeping.contains(k) { addStrings(in: v) }
    }

    /// A loop item of a `no_log` task.
    func addItem(_ item: Value) { addScalars(item) }

    /// Strings, but not whole registered results or facts (too broad to mask).
    ///
    /// `unlessShowingASecret`, for what a template rendered from a secret: a string that
    /// shows one of the known secrets is left alone (only that form is masked, so "the
    /// password is ********" stays readable); one that shows none (the template transformed
    /// the secret beyond the known forms) becomes a secret whole.
    func addScalars(_ v: Value, unlessShowingASecret: Bool = false) {
        switch v {
        case .string(let s): if !unlessShowingASecret || redact(s) == s { add(s) }
        case .list(let l) where l.count < 50: l.forEach { addScalars($0, unlessShowingASecret: unlessShowingASecret) }
        case .dict(let d) where d.count < 50: d.values.forEach { addScalars($0, unlessShowingASecret: unlessShowingASecret) }
        default: break
        }
    }

    /// `text` with every known secret replaced by `mask`.
    public func redact(_ text: String) -> String {
        let list = lock.withLock { ordered }
        guard !list.isEmpty else { return text }
        var out = text
        for s in list where out.contains(s) { out = out.replacingOccurrences(of: s, with: Self.mask) }
        return out
    }

    static func isSecretName(_ key: String) -> Bool {
        let k = key.lowercased()
        if k.hasSuffix("_file") { return false }
        return ["password", "passphrase", "passwd", "token", "secret", "_pass"].contains { k.contains($0) }
    }
}
