import Foundation

/// `slurp`: reads a file on the host and returns it base64-encoded in `content` (with
/// `encoding: base64` and `source`), for `register` and `b64decode`. Never changes anything.
public struct SlurpModule: Module {
    public static let name = "slurp"
    public static let argumentSpec = ArgumentSpec([.init("src", required: true, aliases: ["path"])])

    public var src: String

    public init(arguments args: ModuleArguments) throws {
        src = try args.requiredString("src")
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(#"""
        if [ -d "$p" ]; then die "source is a directory and must be a file: $p"; fi
        if [ ! -e "$p" ]; then die "file not found: $p"; fi
        if [ ! -r "$p" ]; then die "file is not readable: $p"; fi
        exit 0
        """#)
        s.set("p", src)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let bytes = try context.transport.download(src, become: context.become)
        return .ok(["content": .string(bytes.base64EncodedString()), "encoding": "base64", "source": .string(src)])
    }
}
