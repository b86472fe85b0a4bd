import Foundation
@testable import ProvisionCore
@testable import ProvisionSSH
import XCTest

/// A bounded-time mutation fuzzer for the readers of hostile input: the inventory and playbook
/// loaders and the known_hosts parser. Seeds are mutated at random (bytes flipped, control
/// characters, YAML anchors, aliases, brackets, ranges and indentation spliced in, slices
/// repeated); any crash or hang ends the test process, which fails the run. Errors thrown are
/// fine: they are what bad input must get. PROVISION_MUTATION_SECONDS sets the budget (default 5
/// s per reader); PROVISION_FUZZ_SEED replays a run. The coverage-guided libFuzzer target for
/// the same readers is Sources/ProvisionFuzz, run by scripts/fuzz.
final class ReaderFuzzTests: XCTestCase {
    static let seconds = Double(ProcessInfo.processInfo.environment["PROVISION_MUTATION_SECONDS"] ?? "") ?? 5
    static let seed = UInt64(ProcessInfo.processInfo.environment["PROVISION_FUZZ_SEED"] ?? "")
        ?? UInt64(Date().timeIntervalSince1970 * 1000)

    static let inventorySeeds = [
        """
        all:
          vars:
            ansible_user: pi
          children:
            managers:
              hosts:
                red[01:03]:
                  ansible_host: 10.0.0.1
            workers:
              hosts:
                blue-[a:f]: {ansible_port: 2222}
              children:
                managers:
        """,
        "managers: [10.0.0.1, 10.0.0.2]\nworkers:\n  - w1: 10.0.0.3\n  - {w2: {address: 10.0.0.4}}\n",
        "a: &x {hosts: {h: {}}}\nb: *x\nall: {children: {a: {}, b: {}}}\n",
    ]
    static let playbookSeeds = [
        """
        - hosts: all
          vars: {x: 1, db_password: s3cret}
          tasks:
            - name: a {{ x }}
              shell: echo {{ x | upper }}
              register: r
              when: x is defined and r is not skipped
              loop: "{{ [1, 2] }}"
            - block:
                - debug: var=r
              rescue:
                - fail: msg=no
              always:
                - command: "true"
          handlers:
            - name: h
              debug: msg="{{ lookup('env', 'HOME') }}"
        """,
        "- hosts: x\n  roles: [a, {role: b, when: y}]\n  tasks: []\n",
    ]
    static let knownHostsSeeds = [
        """
        host1,10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
        [host2]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=
        |1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ssh-rsa AAAAB3NzaC1yc2E=
        @revoked * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA
        @cert-authority *.lan,!bad.lan ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA
        # comment
        """,
    ]
    static let splices: [[UInt8]] = ["&a ", "*a", "[", "]", "{", "}", ":", "- ", "\n  ", "\n", "\t", "\0", "\u{1B}[2J",
                                     "[0:99999]", "[a:z]", "{{", "}}", "{%", "'", "\"", "!!str ", "<<: *a", "|1|", "@",
                                     ",", "!", "*", "?", "\r\n", "\u{202E}", "\u{FFFF}", "%", "#"].map { Array($0.utf8) }

    struct Mutator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }

        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var bytes = input
            for _ in 0..<Int.random(in: 1...8, using: &self) {
                let at = bytes.isEmpty ? 0 : Int.random(in: 0...bytes.count, using: &self)
                switch Int.random(in: 0..<5, using: &self) {
                case 0 where !bytes.isEmpty && at < bytes.count: bytes[at] = UInt8.random(in: 0...255, using: &self)
                case 1: bytes.insert(contentsOf: ReaderFuzzTests.splices.randomElement(using: &self) ?? [], at: at)
                case 2 where at < bytes.count: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...16, using: &self)))
                case 3 where at < bytes.count:
                    let slice = Array(bytes[at..<min(bytes.count, at + Int.random(in: 1...64, using: &self))])
                    for _ in 0..<Int.random(in: 1...20, using: &self) { bytes.insert(contentsOf: slice, at: at) }
                default: bytes.insert(contentsOf: Array(String(repeating: " ", count: Int.random(in: 1...6, using: &self)).utf8), at: at)
                }
            }
            return bytes
        }
    }

    private func fuzz(_ name: String, seeds: [String], _ body: (String) -> Void) {
        var mutator = Mutator(state: Self.seed ^ UInt64(name.utf8.count))
        let deadline = Date().addingTimeInterval(Self.seconds)
        var runs = 0
        var corpus = seeds.map { Array($0.utf8) }
        while Date() < deadline {
            let base = corpus.randomElement(using: &mutator) ?? []
            let input = mutator.mutate(base)
            body(String(decoding: input, as: UTF8.self))
            if corpus.count < 64, Int.random(in: 0..<10, using: &mutator) == 0 { corpus.append(input) }
            runs += 1
        }
        print("fuzz \(name): \(runs) inputs in \(Self.seconds) s without a crash (PROVISION_FUZZ_SEED=\(Self.seed))")
        XCTAssertGreaterThan(runs, 0)
    }

    func testInventoryReader() {
        fuzz("inventory", seeds: Self.inventorySeeds) { _ = try? InventoryLoader().parse($0, file: "fuzz.yml") }
    }

    func testPlaybookReader() {
        fuzz("playbook", seeds: Self.playbookSeeds) { _ = try? PlaybookLoader().parse($0, file: "/tmp/fuzz-playbook.yml") }
    }

    func testKnownHostsParser() {
        fuzz("known_hosts", seeds: Self.knownHostsSeeds) { text in
            let file = KnownHostsFile(path: "fuzz", text: text)
            _ = file.entries(for: "host1")
            _ = file.entries(for: "[host2]:2222")
            _ = file.unparsedWarning
        }
    }
}
