import Foundation

/// Which templates derive their value from a secret, so that whatever they render is masked
/// however it was transformed (`{{ db_password | regex_replace('a', 'b') }}`, a slice, a
/// join): the rendered text is recorded as a secret, not only the known derived forms.
extension HostScope {
    /// The variable as written in its layer, before rendering; nil for magic variables.
    func rawDefinition(_ name: String) -> Value? {
        switch layer(name) {
        case .hostValue(let v)?, .written(let v)?: return v
        case .magic?, nil: return nil
        }
    }

    /// True when a template in `value` reads a secret-named variable, a name the run has
    /// marked secret (a fact set from a secret), or a variable whose own definition does.
    func readsSecret(_ value: Value, marked: Set<String>, depth: Int = 0) -> Bool {
        guard depth < 8, let names = try? Templating.referencedVariables(in: value), !names.isEmpty else { return false }
        for n in names {
            if SecretRedactor.isSecretName(n) || marked.contains(n) { return true }
            if let raw = rawDefinition(n), PlaybookReader.hasTemplate(raw),
               readsSecret(raw, marked: marked, depth: depth + 1) { return true }
        }
        return false
    }
}
