import Foundation

/// `openssl_csr_pipe` (community.crypto.openssl_csr_pipe): `openssl_csr` without a file: the
/// existing CSR comes as `content`, the result is returned as `csr`, made anew (on the host,
/// with its key) only when `content` does not match the options, as `openssl_csr` decides.
public struct OpenSSLCSRPipeModule: Module {
    public static let name = "openssl_csr_pipe"
    public static let collection = "community.crypto"
    static let fileOnly: Set<String> = ["path", "state", "force", "backup", "return_content", "owner", "group", "mode"]
    public static let argumentSpec = ArgumentSpec(
        OpenSSLCSRModule.argumentSpec.fields.filter { !fileOnly.contains($0.name) } + [.init("content")],
        mutuallyExclusive: [["privatekey_path", "privatekey_content"]])

    var content: String?
    var csr: OpenSSLCSRModule

    public init(arguments args: ModuleArguments) throws {
        content = try args.string("content")
        // The same options as openssl_csr, for a file that is never written.
        var values = args.values
        values["path"] = .string("/dev/null")
        values.removeValue(forKey: "content")
        csr = try OpenSSLCSRModule(arguments: ModuleArguments(values, spec: OpenSSLCSRModule.argumentSpec))
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = CryptoScriptSupport.script(OpenSSLKeyScript.common + "\n" + OpenSSLKeyScript.request + "\n" + Self.body)
        s.set("path", "/dev/null")
        s.set("has_existing", content != nil)
        s.set("content", content ?? "")
        s.set("digest", csr.digest.lowercased())
        s.set("subj", csr.request.subjectArgument)
        s.set("exts", csr.request.extensions.joined(separator: "\n"))
        s.set("ordered", csr.request.ordered)
        s.set("privatekey_path", csr.privateKeyPath ?? "")
        s.set("has_content", csr.privateKeyContent != nil)
        s.set("has_pass", csr.passphrase != nil)
        s.set("check", context.checkMode)
        let out = try s.run(in: context, stdin: OpenSSLPublicKeyModule.stdin(passphrase: csr.passphrase, content: csr.privateKeyContent))
        if let f = out.failure { return .failed(f) }
        var data = csr.request.returned
        data["privatekey"] = csr.privateKeyPath.map { .string($0) } ?? .null
        data["csr"] = out.has("has_content") ? .string(out.text) : content.map { .string($0) } ?? .null
        return ModuleResult(changed: out.has("changed"), data: data)
    }

    static let body = #"""
    key_open "[Errno 2] No such file or directory: '@KEY@'"
    work_dir
    existing=$work/none.csr
    if [ "$has_existing" = 1 ]; then existing=$work/old.csr; printf '%s\n' "$content" > "$existing"; fi
    if csr_needed "$existing"; then
      pv changed
      if [ "$check" != 1 ]; then
        [ -s "$work/new.csr" ] || make_request "$work/new.csr"
        pv has_content; pv content; cat -- "$work/new.csr"
      fi
    fi
    exit 0
    """#
}
