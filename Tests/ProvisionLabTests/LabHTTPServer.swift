import Foundation
import XCTest

/// `python3 -m http.server` serving a directory on the controller's address on the lab bridge,
/// on a port the kernel picks, for as long as the value lives (`stop()` or deinit ends it).
final class LabHTTPServer {
    let address: String
    let port: Int
    private let process: Process

    var baseURL: String { "http://\(address):\(port)" }

    /// The controller's own address on the path to `nodeAddress` (`ip route get`), which is
    /// what the node reaches it by: the lab bridge's gateway.
    static func controllerAddress(facing nodeAddress: String) throws -> String {
        let out = try LabHTTPServer.output("/usr/bin/env", ["ip", "-4", "-o", "route", "get", nodeAddress])
        let words = out.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let i = words.firstIndex(of: "src"), i + 1 < words.count else {
            throw XCTSkip("cannot tell this machine's address facing \(nodeAddress): \(out)")
        }
        return words[i + 1]
    }

    init(directory: String, address: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", address, "--directory", directory]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice   // the request log; unread it would fill the pipe
        let lock = NSLock()
        var text = ""
        out.fileHandleForReading.readabilityHandler = { h in
            let d = h.availableData
            lock.lock(); text += String(decoding: d, as: UTF8.self); lock.unlock()
        }
        try p.run()
        process = p
        self.address = address
        // "Serving HTTP on 172.30.213.1 port 40123 (http://…/) ..." once it listens.
        var found: Int?
        for _ in 0..<300 where found == nil && p.isRunning {
            Thread.sleep(forTimeInterval: 0.1)
            lock.lock(); let t = text; lock.unlock()
            if let r = t.range(of: #"port (\d+)"#, options: .regularExpression) {
                found = Int(t[r].dropFirst(5))
            }
        }
        out.fileHandleForReading.readabilityHandler = nil
        guard let port = found else {
            if p.isRunning { p.terminate() }
            throw NSError(domain: "LabHTTPServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "python3 http.server did not start on \(address): \(text)"])
        }
        self.port = port
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Runs a command on the controller; throws unless it exits 0.
    @discardableResult
    static func output(_ path: String, _ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: o, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "LabHTTPServer", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey:
                "\(args.joined(separator: " ")) failed (\(p.terminationStatus)): \(String(decoding: e, as: UTF8.self))\(text)"])
        }
        return text
    }
}
