import Foundation

/// `assemble`: concatenates the fragment files of a directory (on the host with `remote_src`,
/// the default, else on the controller, looked up in `files/`) in name order into `dest`,
/// with `delimiter` between fragments and a newline after a fragment that lacks one, as
/// Ansible does; `regexp` (Python's, on file names) and `ignore_hidden` filter fragments. The
/// result is put in place like `copy` content (checksum compare, backup, validate, owner/mode).
public struct AssembleModule: Module {
    public static let name = "assemble"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("src", required: true), .init("dest", required: true), .init("delimiter"),
            .init("backup", .bool, default: false), .init("remote_src", .bool, default: true),
            .init("regexp"), .init("ignore_hidden", .bool, default: false), .init("validate"),
            .init("decrypt", .bool, default: true),
        ] + FileAttributes.fields
    )
    /// Ansible's assemble has no check mode: skipped there, and here.
    public static let supportsCheckMode = false

    public var src: String
    public var dest: String
    public var delimiter: Data?
    public var backup: Bool
    public var remoteSrc: Bool
    var regexp: PythonRegex?
    public var ignoreHidden: Bool
    public var validate: String?
    var attributes: FileAttributes

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
        dest = try args.requiredString("dest")
        delimiter = try args.string("delimiter").map(Self.escapeDecode)
        backup = try args.bool("backup") ?? false
        remoteSrc = try args.bool("remote_src") ?? true
        regexp = try args.string("regexp").map { try PythonRegex($0) }
        ignoreHidden = try args.bool("ignore_hidden") ?? false
        validate = try args.string("validate")
        attributes = try FileAttributes(args)
        if let validate, !validate.contains("%s") { throw ModuleError("validate must contain %s: \(validate)") }
    }

    /// Python's `codecs.escape_decode` for the escapes delimiters use.
    static func escapeDecode(_ s: String) -> Data {
        var out = Data()
        var chars = Array(s.utf8)[...]
        while let c = chars.popFirst() {
            guard c == UInt8(ascii: "\\"), let n = chars.first else { out.append(c); continue }
            chars = chars.dropFirst()
            switch n {
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "\\"): out.append(92)
            case UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(n)
            case UInt8(ascii: "x"):
                let hex = String(decoding: chars.prefix(2), as: UTF8.self)
                if hex.count == 2, let v = UInt8(hex, radix: 16) { out.append(v); chars = chars.dropFirst(2) } else { out += [92, n] }
            default: out += [92, n]
            }
        }
        return out
    }

    /// The assembled bytes from (name, content) fragments. Pure.
    func assemble(_ fragments: [(String, Data)]) -> Data {
        var out = Data()
        var delimit = false, addNewline = false
        for (name, content) in fragments.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
            if let regexp, regexp.search(name) == nil { continue }
            if ignoreHidden && name.hasPrefix(".") { continue }
            if addNewline { out.append(10) }
            if delimit, let delimiter, !delimiter.isEmpty {
                out += delimiter
                if delimiter.last != 10 { out.append(10) }
            }
            out += content
            delimit = true
            addNewline = content.last != 10
        }
        return out
    }

    func fragments(in context: HostContext) throws -> [(String, Data)] {
        if !remoteSrc {
            let dir = context.controllerFile(src, in: "files")
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) else { throw ModuleError("Source (\(src)) does not exist") }
            guard isDir.boolValue else { throw ModuleError("Source (\(src)) is not a directory") }
            return try FileManager.default.contentsOfDirectory(atPath: dir).compactMap { name in
                var sub: ObjCBool = false
                let p = dir + "/" + name
                guard FileManager.default.fileExists(atPath: p, isDirectory: &sub), !sub.boolValue,
                      let d = FileManager.default.contents(atPath: p) else { return nil }
                return (name, d)
            }
        }
        var s = ModuleScript(#"""
        [ -e "$src" ] || die "Source ($src) does not exist"
        [ -d "$src" ] || die "Source ($src) is not a directory"
        for f in "$src"/* "$src"/.[!.]* "$src"/..?*; do
          [ -f "$f" ] || continue
          pv frag "$(basename -- "$f")"
          base64 < "$f" | tr -d '\n'; echo
        done
        """#)
        s.set("src", src)
        let out = try s.run(in: context)
        if let f = out.failure { throw ModuleError(f) }
        let names = out.all("frag")
        let bodies = out.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return names.enumerated().map { i, n in (n, i < bodies.count ? Data(base64Encoded: bodies[i]) ?? Data() : Data()) }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        if context.checkMode { return ModuleResult(skipped: true, message: "remote module (assemble) does not support check mode") }
        let content: Data
        do { content = assemble(try fragments(in: context)) } catch let e as ModuleError { return .failed(e.message) }
        let deployment = ContentDeployment(dest: dest, content: content, sourceName: nil, attributes: attributes,
                                           backup: backup, force: true, validate: validate)
        var r = try deployment.run(in: context)
        r.data["src"] = .string(src)
        r.data["checksum"] = .string(FetchModule.sha1(content))
        r.data["md5sum"] = .string(FetchModule.md5(content))
        if !r.failed { r.message = "OK" }
        return r
    }
}
