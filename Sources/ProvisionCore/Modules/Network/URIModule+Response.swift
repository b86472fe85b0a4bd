import Foundation

/// The host script of `uri` and the shaping of its output into Ansible's result.
extension URIModule {
    /// stdin: `cfglen` bytes of curl configuration, then the body. Prints `@@pv info CODE
    /// REDIRECTS URL`, `@@pv h LINE` per response header line, then the body after `@@pv content`.
    static let body = #"""
    if [ -n "$creates" ] && [ -e "$creates" ]; then pv skipped "skipped, since '$creates' exists"; exit 0; fi
    if [ -n "$removes" ] && [ ! -e "$removes" ]; then pv skipped "skipped, since '$removes' does not exist"; exit 0; fi
    command -v curl >/dev/null 2>&1 || die "uri needs curl on the host"
    w=$(mktemp -d) || die "mktemp failed"
    trap 'rm -rf -- "$w"' EXIT
    head -c "$cfglen" > "$w/cfg"
    cat > "$w/body"
    set -- -sS -K "$w/cfg" -D "$w/hdr" -o "$w/out" --connect-timeout "$timeout" --speed-time "$timeout" --speed-limit 1 -w '%{http_code} %{num_redirects} %{url_effective}'
    if [ -n "$rsrc" ]; then set -- "$@" --data-binary "@$rsrc"; elif [ "$hasbody" = 1 ]; then set -- "$@" --data-binary "@$w/body"; fi
    if [ -n "$dest" ]; then
      case $dest in */) dest="$dest$(basename -- "${fname:-index.html}")" ;; esac
      [ -d "$dest" ] && dest="${dest%/}/${fname:-index.html}"
      [ -f "$dest" ] && set -- "$@" -z "$dest"
    fi
    start=$(date +%s)
    info=$(curl "$@" 2>"$w/err"); rc=$?
    pv elapsed "$(( $(date +%s) - start ))"
    code=${info%% *}
    if [ -z "$info" ] || [ "$code" = 000 ]; then pv curlerr "$(tr '\n' ' ' < "$w/err") (curl exit $rc)"; exit 0; fi
    pv info "$info"
    [ -f "$w/hdr" ] && tr -d '\r' < "$w/hdr" | while IFS= read -r l; do pv h "$l"; done
    [ -f "$w/out" ] || : > "$w/out"
    if [ -n "$dest" ]; then
      pv path "$dest"
      case $okcodes in *" $code "*)
        if [ "$code" != 304 ]; then
          [ -f "$dest" ] && chmod "$(stat -c %a -- "$dest")" "$w/out"
          mv -f -- "$w/out" "$dest" || die "cannot write $dest"
          pv written
          pv_attrs "$dest"
          printf '@@pv content\n'; cat -- "$dest"; exit 0
        fi ;;
      esac
    fi
    printf '@@pv content\n'; cat -- "$w/out"
    exit 0
    """#

    /// The last response's headers (after redirects) as Ansible's keys: lowercase, `-` → `_`,
    /// repeated headers joined with ", ".
    static func headers(_ lines: [String]) -> (reason: String, fields: [String: String]) {
        var fields: [String: String] = [:]
        var reason = ""
        for raw in lines {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            if line.hasPrefix("HTTP/") {
                fields = [:]
                reason = line.split(separator: " ", maxSplits: 2).dropFirst(2).first.map(String.init) ?? ""
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].lowercased().replacingOccurrences(of: "-", with: "_")
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields[key] = fields[key].map { $0 + ", " + value } ?? value
        }
        return (reason, fields)
    }

    func result(_ out: ScriptOutput) -> ModuleResult {
        var data: [String: Value] = ["elapsed": .int(Int(out.first("elapsed") ?? "") ?? 0), "url": .string(url),
                                     "redirected": false]
        let codes = "[" + statusCodes.map(String.init).joined(separator: ", ") + "]"
        if let err = out.first("curlerr") {
            data["status"] = .int(-1)
            return .failed("Status code was -1 and not \(codes): Request failed: \(err)", data: data)
        }
        let info = (out.first("info") ?? "").split(separator: " ", maxSplits: 2).map(String.init)
        let status = info.first.flatMap { Int($0) } ?? -1
        let finalURL = info.count > 2 ? info[2] : url
        let (reason, fields) = Self.headers(out.all("h"))
        for (k, v) in fields { data[k] = .string(v) }
        if let loc = fields["location"], let abs = URL(string: loc, relativeTo: URL(string: url))?.absoluteString {
            data["location"] = .string(abs)
        }
        data["status"] = .int(status)
        data["url"] = .string(finalURL)
        data["redirected"] = .bool(finalURL != url)
        data["cookies"] = .dict([:])
        data["cookies_string"] = ""
        let contentType = fields["content_type"] ?? "application/octet-stream"
        let mime = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let sub = mime.split(separator: "/").dropFirst().first.map(String.init) ?? ""
        let subType = sub.contains("+") ? String(sub[sub.index(after: sub.firstIndex(of: "+") ?? sub.startIndex)...]) : sub
        let maybeJSON = ["json", "javascript"].contains(subType)
        let ok = statusCodes.contains(status)
        let content = out.text
        var msg = status < 400 ? "OK (\(fields["content_length"] ?? "unknown") bytes)" : "HTTP Error \(status): \(reason)"
        if maybeJSON || returnContent || !ok, maybeJSON,
           let parsed = try? JSONSerialization.jsonObject(with: Data(content.utf8), options: [.fragmentsAllowed]) {
            data["json"] = Value(json: parsed)
        }
        if let p = out.first("path") { data["path"] = .string(p) }
        var changed = out.has("written") || !FileAttributes.changed(in: out).isEmpty
        if dest == nil { changed = false }
        if returnContent { data["content"] = .string(content) }
        if !ok {
            msg = "Status code was \(status) and not \(codes): \(msg)"
            return ModuleResult(changed: false, failed: true, message: msg, data: data)
        }
        return ModuleResult(changed: changed, message: msg, data: data)
    }
}
