import Foundation
import XCTest
@testable import ProvisionCore

/// Runs commands on this machine from the repository root, for lab tests that drive the built
/// `provision` binary or `ansible-playbook`; output and errors come back together.
enum LabShell {
    static var repo: String { LabCluster.repo.path }
    static var provision: String { repo + "/.build/debug/provision" }

    static func run(_ line: String, environment: [String: String] = [:]) throws -> (status: Int32, text: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        p.currentDirectoryURL = LabCluster.repo
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func words(_ w: [String]) -> String { w.map(Shell.quote).joined(separator: " ") }

    /// A tiny image on the lab's engine from this machine's busybox and the libraries it needs.
    /// The engine is the one `scripts/lab` uses (under CI a private dockerd that no
    /// `DOCKER_HOST` of this process names), so every docker call goes through `scripts/lab docker`.
    static func makeImage() throws -> String {
        let out = NSTemporaryDirectory() + "provision-busybox-\(getpid()).tar"
        let script = """
        set -e; d=$(mktemp -d); trap 'rm -rf "$d"' EXIT; mkdir -p "$d/bin" "$d/etc"
        cp /bin/busybox "$d/bin/busybox"
        for l in $(ldd /bin/busybox | grep -o '/[^ ]*'); do mkdir -p "$d$(dirname "$l")"; cp -L "$l" "$d$l"; done
        for c in sh sleep ping cat echo; do ln -s busybox "$d/bin/$c"; done
        tar -C "$d" -c . | scripts/lab docker import -c 'ENV PATH=/bin' - provision/busybox:lab >/dev/null
        scripts/lab docker save -o \(Shell.quote(out)) provision/busybox:lab
        """
        let p = try run(script)
        guard p.status == 0 else { throw XCTSkip("cannot make the busybox image here: \(p.text)") }
        return out
    }

}
