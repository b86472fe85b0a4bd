import Foundation
import ProvisionCore
import ProvisionSSH
import XCTest

final class SecretPromptTests: XCTestCase {
    func testEnvironmentVariableAnswersWithoutATerminal() {
        let prompt = SecretPrompt(prompt: "x: ", terminal: "/nonexistent/tty",
                                  environment: [SecretPrompt.passphraseVariable: "from-env"])
        XCTAssertEqual(prompt.value()?.reveal(), "from-env")
    }

    func testNoTerminalAndNoVariableGivesNil() {
        XCTAssertNil(SecretPrompt(prompt: "x: ", terminal: "/nonexistent/tty", environment: [:]).value())
    }

    func testTerminalPromptWithEchoOffAskedOnce() throws {
        var master: Int32 = 0, slave: Int32 = 0
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&master, &slave, &name, nil, nil) == 0 else { throw XCTSkip("no pty available") }
        defer { close(master); close(slave) }
        let path = String(cString: name)
        let prompt = SecretPrompt(prompt: "Passphrase for test: ", terminal: path, environment: [:])
        // Answer only once the prompt is shown, as a person would (echo is off by then).
        let answered = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var value: String? }
        let box = Box()
        Thread.detachNewThread {
            box.value = prompt.value()?.reveal()
            answered.signal()
        }
        var shown = ""
        var buffer = [UInt8](repeating: 0, count: 256)
        while !shown.contains("Passphrase for test: ") {
            let n = read(master, &buffer, buffer.count)
            guard n > 0 else { break }
            shown += String(decoding: buffer.prefix(n), as: UTF8.self)
        }
        let typed = "typed secret\n"
        _ = typed.withCString { write(master, $0, strlen($0)) }
        XCTAssertEqual(answered.wait(timeout: .now() + 10), .success)
        XCTAssertEqual(box.value, "typed secret")
        // Asked once: the second call answers from memory (the pty holds no further input).
        XCTAssertEqual(prompt.value()?.reveal(), "typed secret")
        var flags = fcntl(master, F_GETFL)
        flags |= O_NONBLOCK
        _ = fcntl(master, F_SETFL, flags)
        let n = read(master, &buffer, buffer.count)
        let echoed = String(decoding: buffer.prefix(max(0, n)), as: UTF8.self)
        XCTAssertFalse(echoed.contains("typed secret"), "echo must be off: \(echoed)")
    }

    func testEncryptedIdentityFilesAreRecognised() throws {
        let dir = NSTemporaryDirectory() + "prompt-keys-\(UUID().uuidString.prefix(6))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, phrase) in [("plain", ""), ("locked", "pw-123")] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
            process.arguments = ["-q", "-t", "ed25519", "-N", phrase, "-f", "\(dir)/\(name)"]
            try process.run()
            process.waitUntilExit()
        }
        XCTAssertEqual(SecretPrompt.encryptedIdentityFiles(["\(dir)/plain", "\(dir)/locked", "\(dir)/missing"]),
                       ["\(dir)/locked"])
    }
}
