import ArgumentParser
import Foundation
import ProvisionCore

/// How much command output is kept in memory, and where whole streams go (`exec` and `run`).
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("output-dir"),
            help: ArgumentHelp("Write the whole stdout and stderr of each host's commands to DIR/HOST.stdout and DIR/HOST.stderr (appended).",
                               valueName: "DIR"))
    var outputDirectory: String?

    @Option(name: .customLong("keep-output"),
            help: ArgumentHelp("Bytes kept in memory from the start and from the end of each command's stdout and stderr (default 131072 each); the middle is cut with a marker.",
                               valueName: "BYTES"))
    var keepOutput: Int?

    @Option(name: .customLong("max-data-bytes"),
            help: ArgumentHelp("Most bytes a module may read as data from one command or file (default 67108864, or PROVISION_MAX_DATA_BYTES); beyond it the task fails.",
                               valueName: "BYTES"))
    var maxDataBytes: Int?

    func validate() throws {
        if let keepOutput, keepOutput < 0 { throw ValidationError("--keep-output must be 0 or more bytes") }
        if let maxDataBytes, maxDataBytes < 1 { throw ValidationError("--max-data-bytes must be 1 or more bytes") }
    }

    /// The limits these options and the environment give; creates the output directory.
    func limits(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> OutputLimits {
        let keep = keepOutput ?? OutputLimits.defaultHead
        let data = maxDataBytes ?? environment["PROVISION_MAX_DATA_BYTES"].flatMap { Int($0) } ?? OutputLimits.defaultData
        if let outputDirectory {
            do {
                try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("cannot create the --output-dir \(outputDirectory): \(error.localizedDescription)")
            }
        }
        return OutputLimits(head: keep, tail: keep, data: data, directory: outputDirectory)
    }
}
