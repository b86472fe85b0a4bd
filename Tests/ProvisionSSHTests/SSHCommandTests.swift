import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

final class SSHCommandTests: SSHTestCase {
    func testExitStatusAndStreamsKeptApart() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let result = try transport.run("echo out-line; echo err-line >&2; exit 3")
        XCTAssertEqual(result.status, 3)
        XCTAssertNil(result.signal)
        XCTAssertEqual(result.stdoutText, "out-line\n")
        XCTAssertEqual(result.stderrText, "err-line\n")
        XCTAssertEqual(try transport.run("id -un").stdoutText, "\(server.user)\n")
    }

    func testSessionIsReusedForManyCommands() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        // The parent of each command's shell is the same sshd session process.
        var parents = Set<String>()
        for index in 0..<30 {
            let result = try transport.run("echo \(index); ps -o ppid= -p $$")
            XCTAssertEqual(result.stdoutText.split(separator: "\n").first, "\(index)")
            parents.insert(String(result.stdoutText.split(separator: "\n").last ?? ""))
        }
        XCTAssertEqual(parents.count, 1, "one session should serve every command")
    }

    func testStdinAndEnvironment() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let command = RemoteCommand("tr a-z A-Z; printf '%s|%s' \"$GREETING\" \"$OTHER\" >&2",
                                    stdin: Data("hello stdin\n".utf8),
                                    environment: ["GREETING": "it's a \"test\" $HOME", "OTHER": "x y"])
        let result = try transport.run(command)
        XCTAssertEqual(result.stdoutText, "HELLO STDIN\n")
        XCTAssertEqual(result.stderrText, "it's a \"test\" $HOME|x y")
    }

    func testTenMegabyteUploadAndDownloadKeepEveryByte() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        var data = Data(count: 10 * 1024 * 1024)
        data.withUnsafeMutableBytes { bytes in
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            for index in bytes.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes[index] = UInt8(truncatingIfNeeded: state >> 33)
            }
        }

        let path = "/tmp/provision-upload-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try transport.upload(data, to: path, mode: 0o640, become: nil)
        let onDisk = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(onDisk, data)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        let downloaded = try transport.download(path, become: nil)
        XCTAssertEqual(downloaded, data)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: "/tmp")
            .filter { $0.contains((path as NSString).lastPathComponent + ".provision") }
        XCTAssertEqual(leftovers, [], "the temporary file is renamed, not left behind")
    }

    func testUploadFailureAndMissingDownloadAreErrors() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let upload = transportError { try transport.upload(Data("x".utf8), to: "/root/nope/file", mode: 0o644, become: nil) }
        XCTAssertEqual(upload?.kind, .failed)
        XCTAssertTrue(upload?.message.contains("/root/nope/file") ?? false, upload?.message ?? "")
        let download = transportError { _ = try transport.download("/nonexistent/file", become: nil) }
        XCTAssertEqual(download?.kind, .failed)
        XCTAssertTrue(download?.message.contains("No such file") ?? false, download?.message ?? "")
    }

    func testUnreadStdinDoesNotHang() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let result = try transport.run(RemoteCommand("echo done", stdin: Data(count: 8 * 1024 * 1024), timeout: 30))
        XCTAssertEqual(result.stdoutText, "done\n")
    }

    func testOneTransportFromManyThreadsRunsCommandsInTurn() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            do {
                results.append(.success(try transport.run("echo \(index); echo e\(index) >&2").stdoutText))
            } catch {
                results.append(.failure(error))
            }
        }
        let outputs = results.values.compactMap { try? $0.get() }.sorted()
        XCTAssertEqual(outputs, (0..<16).map { "\($0)\n" }.sorted())
    }

    func testCommandTimeoutEndsTheRemoteCommand() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let marker = "provision-timeout-\(UUID().uuidString.prefix(8))"
        let error = transportError {
            _ = try transport.run(RemoteCommand("sh -c 'sleep 300; echo \(marker)' & wait; sleep 300", timeout: 1))
        }
        XCTAssertEqual(error?.kind, .timeout)
        XCTAssertTrue(error?.message.contains("1 s") ?? false, error?.message ?? "")
        // The session still works, and nothing of the command survived on the host.
        // "[p]rovision…" matches the command but not this pgrep's own shell line.
        let check = try transport.run("pgrep -u \(server.user) -f '[p]\(marker.dropFirst())' || echo none")
        XCTAssertEqual(check.stdoutText, "none\n")
    }

    func testSignalIsReported() throws {
        let server = try server()
        let transport = try connect(server.target())
        defer { transport.close() }
        let result = try transport.run("kill -TERM $$")
        XCTAssertEqual(result.signal, "TERM")
        XCTAssertEqual(result.status, -1)
        XCTAssertFalse(result.succeeded)
    }

    func testClosedTransportRefusesCommands() throws {
        let server = try server()
        let transport = try connect(server.target())
        transport.close()
        XCTAssertEqual(transportError { _ = try transport.run("true") }?.kind, .failed)
    }

    func testUnreachableHostFailsFastWhileOthersWork() throws {
        let server = try server()
        let port = try SSHTestServer.unusedPort()
        var dead = server.target(address: "127.0.0.1")
        dead.port = port
        dead.name = "dead-host"
        let results = ConcurrentResults()
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            let target = index == 0 ? dead : server.target(address: "127.0.0.1")
            do {
                let transport = try factory.connect(to: target)
                results.append(.success(try transport.run("echo ok").stdoutText))
                transport.close()
            } catch {
                results.append(.failure(error))
            }
        }
        let outcomes = results.values
        XCTAssertEqual(outcomes.compactMap { try? $0.get() }, ["ok\n", "ok\n", "ok\n"])
        let failure = outcomes.compactMap { result -> TransportError? in
            if case .failure(let error) = result { return error as? TransportError }
            return nil
        }.first
        XCTAssertEqual(failure?.kind, .unreachable)
        XCTAssertEqual(failure?.host, "dead-host")
        XCTAssertTrue(failure?.message.contains("refused") ?? false, failure?.message ?? "")
    }

    func testSilentHostTimesOutAsUnreachable() throws {
        _ = try server()
        // A listener that accepts (kernel backlog) but never speaks SSH.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Int32 in
                _ = bind(fd, sa, length)
                _ = listen(fd, 8)
                return getsockname(fd, sa, &length)
            }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let target = ConnectionTarget(name: "silent", address: "127.0.0.1", port: port, user: "nobody",
                                      connectTimeout: 1, useSSHConfig: false)
        let error = transportError { _ = try factory.connect(to: target) }
        XCTAssertEqual(error?.kind, .unreachable)
        XCTAssertTrue(error?.message.contains("handshake") ?? false, error?.message ?? "")
        XCTAssertTrue(error?.message.contains("timed out after 1 s") ?? false, error?.message ?? "")
    }
}
