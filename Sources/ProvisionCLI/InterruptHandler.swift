import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGINT (Ctrl-C) into calls on a dispatch queue. The first drains: `onFirst` lets the
/// work already running finish (no new task starts) and the run ends with its recap, exit 130.
/// The second aborts: `onSecond` returns the run at once. A third exits on the spot.
final class InterruptHandler {
    private let source: DispatchSourceSignal
    private var count = 0

    init(onFirst: @escaping () -> Void, onSecond: @escaping () -> Void, announce: Bool = true) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "provision.sigint"))
        source.setEventHandler { [unowned self] in
            self.count += 1
            switch self.count {
            case 1:
                if announce { Self.say("interrupted: finishing the tasks running now, starting no new one (Ctrl-C again to abort)") }
                onFirst()
            case 2:
                if announce { Self.say("aborting: not waiting for the running tasks") }
                onSecond()
            default:
                _exit(130)
            }
        }
        source.resume()
    }

    /// The old behaviour for one-shot commands (`exec`): the first Ctrl-C ends the wait.
    convenience init(_ onInterrupt: @escaping () -> Void) {
        self.init(onFirst: onInterrupt, onSecond: { _exit(130) }, announce: false)
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }

    private static func say(_ text: String) {
        let line = "\nprovision: " + text + "\n"
        _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
    }
}
