// The libFuzzer entry point for the readers of untrusted text: the inventory readers (YAML
// and INI), the playbook loader and the known_hosts parser. `scripts/fuzz` builds it with
// `-sanitize=fuzzer,address -D PROVISION_FUZZ` and hands control to libFuzzer's driver; an ordinary
// `swift build` compiles the replay `main` below instead, which runs the same reader on files
// (a crash input saved by libFuzzer, replayed without the sanitizers).
//
// PROVISION_FUZZ_READER picks the reader: inventory-yaml, inventory-ini, playbook, known_hosts.
// Errors thrown are fine (they are what bad input must get); a crash, a hang or runaway memory
// is a bug.
import Foundation

#if DEBUG
@testable import ProvisionCore
@testable import ProvisionSSH

/// The reader under test, read once from the environment.
let reader = ProcessInfo.processInfo.environment["PROVISION_FUZZ_READER"] ?? "inventory-yaml"
/// The playbook's file name anchors relative imports: a directory with nothing in it.
let playbookFile = NSTemporaryDirectory() + "provision-fuzz/playbook.yml"

func readOne(_ text: String) {
    switch reader {
    case "inventory-yaml":
        _ = try? InventoryLoader().parse(text, file: "fuzz.yml")
    case "inventory-ini":
        let loader = InventoryLoader()
        var draft = InventoryDraft(file: "fuzz.ini")
        loader.readINI(text, into: &draft)
        _ = try? loader.finish(&draft)
    case "playbook":
        _ = try? PlaybookLoader().parse(text, file: playbookFile)
    case "known_hosts":
        let file = KnownHostsFile(path: "fuzz", text: text)
        for name in ["host1", "[host2]:2222", "10.0.0.1", ""] { _ = file.entries(for: name) }
        _ = file.unparsedWarning
    default:
        FileHandle.standardError.write(Data("PROVISION_FUZZ_READER: unknown reader '\(reader)' (inventory-yaml, inventory-ini, playbook, known_hosts)\n".utf8))
        exit(2)
    }
}

#if PROVISION_FUZZ
/// libFuzzer's own driver. SwiftPM makes this file's top-level code the program's `main`, which
/// hides the `main` libFuzzer brings, so the driver is called from here.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The per-input entry point (libFuzzer's own `main`, linked but unused, names it too).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    readOne(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runFuzzerDriver(&argc, &argv, fuzzOne))
#else
// Replay: each argument is a file read through the chosen reader.
for path in CommandLine.arguments.dropFirst() {
    guard let bytes = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    readOne(String(decoding: bytes, as: UTF8.self))
    print("\(reader): \(path) read without a crash")
}
#endif
#else
FileHandle.standardError.write(Data("ProvisionFuzz needs a debug build (it reaches internal readers): scripts/fuzz\n".utf8))
exit(1)
#endif
