/// Where `docker_install method: official` gets Docker's apt repository: Docker's own
/// (`https://download.docker.com/linux`) or a mirror of it with the same layout
/// (`<url>/<distribution>/dists/<codename>/stable/…`, the key at `<url>/<distribution>/gpg`).
///
/// Both URLs are checked when the value is made, so a bad one is refused before any host is
/// touched: http or https, a host, no credentials (they would land in a world-readable
/// sources file and in output; use `/etc/apt/auth.conf.d/`), and nothing that would break the
/// one-line sources entry or need quoting (whitespace, quotes, `#`, brackets).
public struct DockerOfficialRepo: Sendable, Equatable {
    public static let defaultURL = "https://download.docker.com/linux"

    /// The base URL, without a trailing `/`; the distribution (`debian`, `raspbian`, `ubuntu`) is
    /// appended.
    public let url: String
    /// The signing key's URL when set explicitly; nil means `<url>/<distribution>/gpg`.
    public let keyURL: String?

    /// Docker's own repository.
    public static let docker = DockerOfficialRepo(checkedURL: defaultURL, keyURL: nil)

    /// Throws `ModuleError` naming the argument and what is wrong with it.
    public init(url: String = DockerOfficialRepo.defaultURL, keyURL: String? = nil) throws {
        var u = try Self.checked(url, argument: "repo_url")
        while u.hasSuffix("/") { u.removeLast() }
        self.url = u
        self.keyURL = try keyURL.map { try Self.checked($0, argument: "repo_key_url") }
    }

    private init(checkedURL: String, keyURL: String?) {
        url = checkedURL
        self.keyURL = keyURL
    }

    /// The key URL and the one-line `sources.list` entry for a host, signed by `keyringPath`.
    public func resolved(for platform: DockerPlatform, keyringPath: String = DockerPlatform.officialKeyringPath) throws
        -> (keyURL: String, sourcesLine: String)
    {
        guard DockerPlatform.officialArchitectures.contains(platform.dpkgArchitecture) else {
            throw ModuleError("Docker's repository has no '\(platform.dpkgArchitecture)' packages (supported: \(DockerPlatform.officialArchitectures.sorted().joined(separator: ", ")))")
        }
        if platform.id == "raspbian" && platform.dpkgArchitecture != "armhf" {
            throw ModuleError("Docker's raspbian repository only has armhf packages; this host is \(platform.dpkgArchitecture)")
        }
        let (dist, code) = try platform.officialDistribution()
        let base = "\(url)/\(dist)"
        return (keyURL ?? "\(base)/gpg",
                "deb [arch=\(platform.dpkgArchitecture) signed-by=\(keyringPath)] \(base) \(code) stable")
    }

    /// Characters that would split the sources line, start a comment, close the `[…]` options,
    /// or need quoting in a shell or in apt's own parser.
    private static let forbidden: Set<Character> = ["'", "\"", "`", "\\", "#", "[", "]", "<", ">", "{", "}", "|", "^", "$", ";"]

    static func checked(_ raw: String, argument: String) throws -> String {
        let shown = String(raw.prefix(120))
        if raw.isEmpty { throw ModuleError("'\(argument)' is empty; give an http:// or https:// URL such as \(defaultURL)") }
        if let bad = raw.first(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } == true || forbidden.contains($0) }) {
            let what = bad.isWhitespace ? "whitespace" : "'\(bad)'"
            throw ModuleError("'\(argument)' (\(shown.debugDescription)) holds \(what), which apt's sources line cannot carry; give a plain http:// or https:// URL")
        }
        let lower = raw.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lower.hasPrefix($0) }) else {
            throw ModuleError("'\(argument)' must start with http:// or https:// (got \(shown.debugDescription))")
        }
        let authority = raw.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" }
        if authority.contains("@") {
            throw ModuleError("'\(argument)' holds credentials (user@host); they would be written to a world-readable sources file and shown in output. Put them in /etc/apt/auth.conf.d/ instead")
        }
        if authority.isEmpty || authority.hasPrefix(":") {
            throw ModuleError("'\(argument)' has no host name (got \(shown.debugDescription))")
        }
        return raw
    }
}
