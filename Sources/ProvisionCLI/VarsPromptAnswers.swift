import Foundation
import ProvisionCore

/// `vars_prompt:` answers, asked before the run: an extra var of the same name wins; else
/// the question goes to the terminal (input hidden for `private`); without a terminal the
/// default is used, and with no default the run stops with a clear error.
enum VarsPromptAnswers {
    static func answer(_ book: inout Playbook, extraVars: [String: Value]) throws {
        var problems: [Diagnostic] = []
        for i in book.plays.indices {
            for p in book.plays[i].varsPrompt where extraVars[p.name] == nil {
                if let v = try ask(p) { book.plays[i].vars[p.name] = v; continue }
                problems.append(Diagnostic("vars_prompt '\(p.name)': no terminal to ask on and no default", at: p.location,
                                           hint: "pass it with -e \(p.name)=…"))
            }
        }
        if !problems.isEmpty { throw LoadError(problems) }
    }

    static func ask(_ p: VarsPrompt) throws -> Value? {
        guard isatty(STDIN_FILENO) == 1, let tty = FileHandle(forUpdatingAtPath: "/dev/tty") else { return p.defaultValue }
        let question = (p.prompt.isEmpty ? p.name : p.prompt)
            + (p.defaultValue.map { " [\($0.renderedString)]" } ?? "") + ": "
        tty.write(Data(question.utf8))
        var answer: String
        if p.private, let s = getpass("") { answer = String(cString: s) } else { answer = readLine() ?? "" }
        if answer.isEmpty, let d = p.defaultValue { return d }
        if p.confirm {
            tty.write(Data("confirm \(p.name): ".utf8))
            let again = p.private ? getpass("").map { String(cString: $0) } ?? "" : readLine() ?? ""
            if again != answer { throw LoadError(Diagnostic("vars_prompt '\(p.name)': the answers differ", at: p.location)) }
        }
        answer = answer.trimmingCharacters(in: .newlines)
        return .string(answer)
    }
}
