import ArgumentParser
import Foundation
import ProvisionCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a password: from the terminal with echo off when stdin is one, else one line of stdin
/// (as Ansible does, so `echo pw | provision run site.yml -K` works). Several prompts in one
/// run read successive lines.
enum PasswordPrompt {
    static func ask(_ prompt: String) throws -> Secret {
        if isatty(STDIN_FILENO) == 0 {
            guard let line = readLine(from: STDIN_FILENO) else {
                FileHandle.standardError.write(Data("provision: \(prompt.trimmingCharacters(in: .whitespaces)) expected on stdin, which is empty; pipe the password in, or set PROVISION_PASSWORD / PROVISION_BECOME_PASSWORD\n".utf8))
                throw ExitCode(ProvisionCore.ExitStatus.usageOrLoadError)
            }
            return Secret(line)
        }
        let fd = open("/dev/tty", O_RDWR | O_NOCTTY)
        guard fd >= 0 else {
            FileHandle.standardError.write(Data("provision: cannot prompt for a password: no terminal; set PROVISION_PASSWORD or PROVISION_BECOME_PASSWORD instead\n".utf8))
            throw ExitCode(ProvisionCore.ExitStatus.usageOrLoadError)
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
        return Secret(readLine(from: fd) ?? "")
    }

    /// One line from `fd`, read a byte at a time so nothing after it is consumed; nil at once
    /// at end of input.
    static func readLine(from fd: Int32) -> String? {
        var bytes: [UInt8] = []
        var c: UInt8 = 0
        var sawAny = false
        while read(fd, &c, 1) == 1 {
            sawAny = true
            if c == UInt8(ascii: "\n") { break }
            bytes.append(c)
        }
        guard sawAny else { return nil }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
