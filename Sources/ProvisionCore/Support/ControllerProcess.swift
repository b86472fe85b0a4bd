import Foundation

/// A program run on the controller (rsync, tar, docker, a `pipe` lookup's shell), found on
/// PATH, stdin closed, stdout and stderr read to the end: stderr on a thread of its own, so a
/// program that writes much to both cannot block on a full pipe.
enum ControllerProcess {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Throws what `Process.run` throws when the program cannot be started.
    static func run(_ argv: [String], in directory: String? = nil) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = argv
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let errReader = err.fileHandleForReading
        let errDone = DispatchSemaphore(value: 0)
        let errBox = Bytes()
        DispatchQueue.global().async {
            errBox.data = errReader.readDataToEndOfFile()
            errDone.signal()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errDone.wait()
        return Output(status: p.terminationStatus, stdout: stdout, stderr: errBox.data)
    }

    /// stderr's bytes, written on the reader's thread and read after its semaphore.
    private final class Bytes: @unchecked Sendable {
        var data = Data()
    }
}
