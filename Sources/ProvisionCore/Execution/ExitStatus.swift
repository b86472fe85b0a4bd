/// Process exit statuses, as the architecture fixes them: bits for failed (2) and
/// unreachable (4) hosts are or-ed; 1 is a usage or load error; 130 an interrupted run.
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let usageOrLoadError: Int32 = 1
    public static let hostFailed: Int32 = 2
    public static let hostUnreachable: Int32 = 4
    public static let interrupted: Int32 = 130

    /// The status for a run's outcome; an interruption wins over everything else.
    public static func forRun(failed: Bool, unreachable: Bool, interrupted: Bool) -> Int32 {
        if interrupted { return Self.interrupted }
        return (failed ? hostFailed : 0) | (unreachable ? hostUnreachable : 0)
    }
}
