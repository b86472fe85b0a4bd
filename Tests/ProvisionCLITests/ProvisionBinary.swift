import Foundation
import XCTest

/// Runs the built `provision` executable, as swift-argument-parser's TestHelpers do: it sits
/// beside the test bundle in the build directory (`PROVISION_BINARY` overrides).
struct ProvisionBinary {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let url: URL

    static func locate(file: StaticString = #filePath, line: UInt = #line) throws -> ProvisionBinary {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["PROVISION_BINARY"] { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("provision"))
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("provision"))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("provision"))
        for c in candidates where FileManager.default.isExecutableFile(atPath: c.path) {
            return ProvisionBinary(url: c)
        }
        XCTFail("the provision binary was not found (run swift build first); looked at \(candidates.map(\.path))",
                file: file, line: line)
        throw CocoaError(.fileNoSuchFile)
    }

    /// Runs `provision ARGS` in `directory`, with `environment` added to a clean one.
    /// `whileRunning` is called with the running process (to send signals) and a function that
    /// returns the stderr read so far.
    func run(_ args: [String], in directory: String, environment: [String: String] = [:], stdin: Data? = nil,
             whileRunning: ((Process, () -> String) -> Void)? = nil) throws -> Output {
        let p = Process()
        p.executableURL = url
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                   "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/root"]
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = stdin == nil ? FileHandle.nullDevice : input
        // Read both pipes while the process runs so a full pipe cannot block it.
        let outBuffer = LockedData()
        let errBuffer = LockedData()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBuffer.append(out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        group.enter()
        DispatchQueue.global().async {
            let h = err.fileHandleForReading
            while true {
                let chunk = h.availableData
                if chunk.isEmpty { break }
                errBuffer.append(chunk)
            }
            group.leave()
        }
        try p.run()
        if let stdin {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        whileRunning?(p) { String(decoding: errBuffer.data, as: UTF8.self) }
        p.waitUntilExit()
        group.wait()
        return Output(status: p.terminationStatus, stdout: String(decoding: outBuffer.data, as: UTF8.self),
                      stderr: String(decoding: errBuffer.data, as: UTF8.self))
    }
}

/// A temporary working directory with an inventory in it.
struct Workspace {
    let path: String

    init(inventory: String, files: [String: String] = [:]) throws {
        path = NSTemporaryDirectory() + "provision-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/inventories", withIntermediateDirectories: true)
        try inventory.write(toFile: path + "/inventories/hosts.yml", atomically: true, encoding: .utf8)
        for (rel, text) in files {
            let p = path + "/" + rel
            try FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: p, atomically: true, encoding: .utf8)
        }
    }

    var inventory: String { path + "/inventories/hosts.yml" }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    func append(_ d: Data) { lock.lock(); buffer.append(d); lock.unlock() }
    var data: Data { lock.lock(); defer { lock.unlock() }; return buffer }
}
