/// A one-line live count on a terminal while `exec` runs (`7/20 hosts done, 1 failed`),
/// rewritten in place and erased before the folded report. Wire it only when stderr is a TTY.
public final class ExecProgressReporter: Reporter {
    private let output: TextOutput
    private let total: Int
    private var done = 0
    private var problems = 0
    private var shown = false

    public init(output: TextOutput, total: Int) {
        self.output = output
        self.total = total
    }

    public func handle(_ event: RunEvent) {
        switch event {
        case .commandFinished(let r):
            done += 1
            if r.status != .ok { problems += 1 }
            var text = "\(done)/\(total) hosts done"
            if problems > 0 { text += ", \(problems) not ok" }
            output.write("\r\u{1B}[K" + text)
            shown = true
        case .execFinished:
            if shown { output.write("\r\u{1B}[K") }
            shown = false
        default:
            break
        }
    }
}
