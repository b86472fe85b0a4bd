import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT (Ctrl-C) into a call on a dispatch queue, so a run can report its in-flight
/// hosts as interrupted and exit 130. A second Ctrl-C exits at once.
final class InterruptHandler {
    private let source: DispatchSourceSignal
    private var count = 0

    init(_ onInterrupt: @escaping () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "provision.sigint"))
        source.setEventHandler { [unowned self] in
            self.count += 1
            if self.count > 1 { _exit(130) }
            onInterrupt()
        }
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
