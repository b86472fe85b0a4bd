import Foundation
import ProvisionCore
import ProvisionSSH
import ProvisionTestSupport
import XCTest

/// Base for tests against the real loopback sshd: skips (and says why) only when the server
/// cannot run here (not root, sshd missing).
class SSHTestCase: XCTestCase {
    let factory = SSHTransportFactory(agentSocket: nil)

    func server() throws -> SSHTestServer {
        do {
            return try SSHTestServer.shared()
        } catch let error as SSHTestServer.Unavailable {
            print("SKIPPING \(name): \(error.reason)")
            throw XCTSkip(error.reason)
        }
    }

    func connect(_ target: ConnectionTarget) throws -> Transport {
        try factory.connect(to: target)
    }

    /// The TransportError `body` throws, failing the test when it throws none or another error.
    func transportError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> TransportError? {
        do {
            try body()
            XCTFail("expected a TransportError", file: file, line: line)
        } catch let error as TransportError {
            return error
        } catch {
            XCTFail("expected a TransportError, got \(error)", file: file, line: line)
        }
        return nil
    }
}
