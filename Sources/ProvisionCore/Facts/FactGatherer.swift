import Foundation

/// Gathers a host's facts: `FactScript` in one remote command, parsed by `FactParser`.
public enum FactGatherer {
    /// Runs the fact script through `transport` (as the login user: no become needed).
    /// Throws `TransportError` when the host cannot be reached, `ModuleError` when the script
    /// could not run at all.
    public static func gather(on transport: Transport, become: Become? = nil,
                              timeout: TimeInterval? = 60, factPath: String? = nil) throws -> HostFacts {
        let script = FactScript.text(factPath: factPath)
        let result = try transport.run(RemoteCommand("/bin/sh -c " + Shell.quote(script),
                                                     timeout: timeout, become: become))
        let text = result.stdoutText
        guard text.contains("@@ end") else {
            throw ModuleError("gathering facts failed (status \(result.status)): "
                              + result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return FactParser.parse(text)
    }
}
