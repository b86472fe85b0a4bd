import ArgumentParser
import Foundation
import ProvisionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password from the controlling terminal with echo off.
enum PasswordPrompt {
    static func ask(_ prompt: String) throws -> Secret {
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            FileHandle.standardError.write(Data("provision: cannot prompt for a password: no terminal; set PROVISION_PASSWORD or PROVISION_BECOME_PASSWORD instead\n".utf8))
            throw ExitCode(1)
        }
        defer { close(fd) }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }
        var saved = termios()
        let haveTerm = tcgetattr(fd, &saved) == 0
        if haveTerm {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(fd, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTerm { tcsetattr(fd, TCSAFLUSH, &saved) }
            _ = write(fd, "\n", 1)
        }
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        while read(fd, &c, 1) == 1, c != UInt8(ascii: "\n") { bytes.append(c) }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return Secret(String(decoding: bytes, as: UTF8.self))
    }
}
