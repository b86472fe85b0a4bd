/// `method: official`: Docker's apt repository (or a mirror of it) kept as asked, and its
/// packages installed.
///
/// The repository is right when `docker.list` holds exactly the expected line and the keyring
/// holds exactly what the key URL serves now (compared by SHA-256, fetched by a second,
/// read-only probe). Anything else is rewritten, followed by `apt-get update`; if that update
/// reports an error for the repository, the previous key and sources file are put back so a
/// bad mirror does not leave the host's apt broken.
extension DockerInstallPlan {
    static func officialActions(module: DockerInstallModule, platform: DockerPlatform, probe r: KeyValueReport,
                                into plan: inout DockerInstallPlan) throws {
        let (keyURL, line) = try platform.officialRepository(module.repo)
        let repoBase = String(line.split(separator: " ").dropLast(2).last ?? "")
        let keyring = DockerPlatform.officialKeyringPath
        if let err = r["key_fetch_error"] {
            throw ModuleError("cannot fetch the signing key from \(keyURL) to compare it with \(keyring): \(err)")
        }
        let keyCurrent = r["key_sha"] != nil && r["key_sha"] == r["key_remote_sha"]
        let current = r.all("docker_list")
        let sourcesCurrent = current == [line]
        let installed = Set(r.all("pkg_installed"))
        let missing = DockerPlatform.officialPackages.filter { !installed.contains($0) }

        if !keyCurrent { plan.actions.append(.writeOfficialKey(url: keyURL)) }
        if !sourcesCurrent {
            plan.actions.append(.writeOfficialSources(line: line))
            plan.diffs.append(FileDiff(path: DockerPlatform.officialSourcesPath,
                                       before: current.map { $0 + "\n" }.joined(), after: line + "\n"))
        }
        if !keyCurrent || !sourcesCurrent || !missing.isEmpty { plan.actions.append(.updateIndex(repoBase: repoBase)) }
        if !missing.isEmpty { plan.actions.append(.installOfficial(packages: missing)) }
        if r.flag("docker_sources") {
            plan.warnings.append("/etc/apt/sources.list.d/docker.sources also configures Docker's repository; apt may refuse duplicate entries with different options. Remove one of them")
        }
    }

    /// The key URL whose content the second probe must hash: method official, a keyring already
    /// there and curl to fetch with. nil when there is nothing to compare (the key is written
    /// anyway) or the platform has no repository (the plan says why).
    public static func keyToCompare(module: DockerInstallModule, probe r: KeyValueReport) -> String? {
        guard module.method == .official, r["key_sha"] != nil, r.flag("curl") else { return nil }
        if !(r["dockerd"] ?? "").isEmpty && !r.all("pkg_installed").contains("docker-ce") { return nil }
        return try? DockerPlatform(report: r).officialRepository(module.repo).keyURL
    }

    /// Read-only: prints `key_remote_sha=` for what `keyURL` serves now, or `key_fetch_error=`.
    /// The download goes to a temporary file that is removed at once.
    public static func keyProbeScript(keyURL: String) -> String {
        """
        t=$(mktemp) || exit 1
        if err=$(curl -fsSL --max-time 60 \(Shell.quote(keyURL)) -o "$t" 2>&1); then
          echo "key_remote_sha=$(sha256sum < "$t" | cut -d' ' -f1)"
        else
          echo "key_fetch_error=$(printf '%s' "$err" | tr '\\n' ' ' | cut -c1-300)"
        fi
        rm -f "$t"

        """
    }

    /// Saves the current key and sources file so a failed `apt-get update` can put them back.
    static var repoBackupScript: String {
        let key = DockerPlatform.officialKeyringPath, list = DockerPlatform.officialSourcesPath
        return """
        bak=$(mktemp -d) || fail "mktemp failed"
        trap 'rm -rf "$bak"' EXIT
        [ -e \(key) ] && cp -p \(key) "$bak/key"
        [ -e \(list) ] && cp -p \(list) "$bak/list"
        restore_repo() {
          if [ -e "$bak/key" ]; then cp -p "$bak/key" \(key); else rm -f \(key); fi
          if [ -e "$bak/list" ]; then cp -p "$bak/list" \(list); else rm -f \(list); fi
        }

        """
    }

    static func officialScript(_ action: Action, backedUp: Bool) -> String {
        let key = DockerPlatform.officialKeyringPath, list = DockerPlatform.officialSourcesPath
        switch action {
        case .writeOfficialKey(let url):
            let q = Shell.quote(url)
            return """
            if ! command -v curl >/dev/null 2>&1; then
              out=$(apt_get update) || fail "apt-get update failed" "$out"
              out=$(apt_get install ca-certificates curl) || fail "apt-get install curl failed" "$out"
            fi
            install -m 0755 -d /etc/apt/keyrings
            out=$(curl -fsSL --max-time 120 \(q) -o \(key).tmp 2>&1) || { rm -f \(key).tmp; fail "downloading the signing key from \(url) failed" "$out"; }
            grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' \(key).tmp || { rm -f \(key).tmp; fail "\(url) did not serve an ASCII-armored OpenPGP public key (apt reads \(key) as one); check repo_key_url"; }
            chmod 0644 \(key).tmp && mv \(key).tmp \(key)

            """
        case .writeOfficialSources(let line):
            return """
            printf '%s\\n' \(Shell.quote(line)) > \(list).tmp && chmod 0644 \(list).tmp && mv \(list).tmp \(list) || fail "writing \(list) failed"

            """
        case .updateIndex(let base):
            // apt-get update exits 0 when a source cannot be reached (W: Failed to fetch), so
            // its output is read too: an error line naming this repository is a failure.
            let undo = backedUp ? "restore_repo; " : ""
            let restored = backedUp ? "; the previous repository configuration was restored" : ""
            return """
            st=0; out=$(apt_get update) || st=$?
            if [ "$st" -ne 0 ] || printf '%s\\n' "$out" | grep -E '^(Err|E|W):' | grep -qF \(Shell.quote(base)); then
              \(undo)fail "apt-get update with the repository \(base) failed\(restored)" "$out"
            fi

            """
        case .installOfficial(let packages):
            let names = packages.joined(separator: " ")
            return """
            out=$(apt_get install \(names)) || fail "apt-get install \(names) failed" "$out"

            """
        default:
            return ""
        }
    }
}
