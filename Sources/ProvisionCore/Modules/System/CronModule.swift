import Foundation

/// `cron`: one job (`#Ansible: NAME` marker) or one environment variable in a user's crontab
/// or in a file under /etc/cron.d, as Ansible's `cron`. One round trip reads the table; the
/// edit is computed here (`CronTabEdit`); a second one writes it only when it changed.
public struct CronModule: Module {
    public static let name = "cron"
    public static let argumentSpec = ArgumentSpec(
        [
            .init("name", required: true), .init("user"), .init("job", aliases: ["value"]),
            .init("cron_file"), .init("state", choices: ["present", "absent"], default: "present"),
            .init("backup", .bool, default: false),
            .init("minute", default: "*"), .init("hour", default: "*"), .init("day", aliases: ["dom"], default: "*"),
            .init("month", default: "*"), .init("weekday", aliases: ["dow"], default: "*"),
            .init("special_time", choices: ["reboot", "yearly", "annually", "monthly", "weekly", "daily", "hourly"]),
            .init("disabled", .bool, default: false), .init("env", .bool, default: false),
            .init("insertafter"), .init("insertbefore"),
        ],
        mutuallyExclusive: [["insertafter", "insertbefore"]])

    public var jobName: String
    public var user: String?
    public var job: String?
    /// Absolute; a bare name is under /etc/cron.d.
    public var cronFile: String?
    /// `cron_file` as given (what Ansible returns).
    var cronFileArgument: String?
    public var present: Bool
    public var backup: Bool
    public var times: [String]
    public var special: String?
    public var disabled: Bool
    public var env: Bool
    public var insertAfter: String?
    public var insertBefore: String?
    public var warnings: [String] = []

    public init(arguments args: ModuleArguments) throws {
        jobName = try args.requiredString("name")
        user = try args.string("user")
        job = try args.string("job")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        backup = try args.bool("backup") ?? false
        times = try ["minute", "hour", "day", "month", "weekday"].map { try args.string($0) ?? "*" }
        special = try args.string("special_time")
        disabled = try args.bool("disabled") ?? false
        env = try args.bool("env") ?? false
        insertAfter = try args.string("insertafter")
        insertBefore = try args.string("insertbefore")
        cronFileArgument = try args.string("cron_file")
        if let f = cronFileArgument {
            if f == "/etc/crontab" { throw ModuleError("Will not manage /etc/crontab via cron_file, see documentation.") }
            cronFile = f.hasPrefix("/") ? f : "/etc/cron.d/" + f
            let base = (f as NSString).lastPathComponent
            if base.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) == nil {
                warnings.append("Filename portion of cron_file (\"\(base)\") should consist solely of upper- and lower-case letters, digits, underscores, and hyphens")
            }
        }
        if special != nil && times.contains(where: { $0 != "*" }) {
            throw ModuleError("You must specify time and date fields or special time.")
        }
        if present {
            if cronFile != nil && user == nil { throw ModuleError("To use cron_file=... parameter you must specify user=... as well") }
            if job == nil { throw ModuleError("You must specify 'job' to install a new cron job or variable") }
            if (insertAfter != nil || insertBefore != nil) && !env {
                throw ModuleError("Insertafter and insertbefore parameters are valid only with env=yes")
            }
        }
        if let user, user.range(of: #"^[A-Za-z0-9_][A-Za-z0-9_.-]*\$?$"#, options: .regularExpression) == nil {
            throw ModuleError("'\(user)' is not a user name")
        }
        if env && jobName.contains(" ") { throw ModuleError("Invalid name for environment variable") }
        if let job, job.trimmingCharacters(in: CharacterSet(charactersIn: "\r\n")).contains(where: { $0 == "\n" || $0 == "\r" }) {
            warnings.append("Job should not contain line breaks")
        }
    }

    /// What the edit decided: whether anything changes, the new text, and what to register.
    struct Plan {
        var changed: Bool
        var after: String
        /// The cron_file is to be deleted (its last job went).
        var removeFile = false
        var data: [String: Value] = [:]
    }

    /// The edit of `current` (the table as read; nil: no such file or table). Pure.
    func plan(current: String?) throws -> Plan {
        var tab = CronTabEdit(text: current ?? "")
        var changed = false
        if env {
            let decl = "\(jobName)=\"\(job ?? "")\""
            let old = tab.findEnv(jobName)
            if present {
                if old == nil { try tab.addEnv(decl, after: insertAfter, before: insertBefore); changed = true }
                if let old, old.line != decl { tab.updateEnv(jobName, decl); changed = true }
            } else if old != nil {
                tab.updateEnv(jobName, nil); changed = true
            }
        } else if present {
            let line = CronTabEdit.jobLine(minute: times[0], hour: times[1], day: times[2], month: times[3], weekday: times[4],
                                           job: job ?? "", special: special, disabled: disabled,
                                           fileUser: cronFile != nil ? user : nil)
            let old = tab.findJob(jobName, job: line)
            if !old.found { tab.addJob(jobName, line); changed = true }
            if old.found && old.line != line { tab.updateJob(jobName, line); changed = true }
            if old.adopted { tab.updateJob(jobName, line); changed = true }
        } else if tab.findJob(jobName).found {
            tab.updateJob(jobName, nil)
            changed = true
            if cronFile != nil && tab.isEmpty {
                return Plan(changed: current != nil, after: "", removeFile: true,
                            data: ["cron_file": .string(cronFileArgument ?? ""), "state": "absent"])
            }
        }
        // An existing table without a final newline gets one.
        if !changed && !tab.existing.isEmpty && !(tab.existing.hasSuffix("\n") || tab.existing.hasSuffix("\r")) {
            changed = true
        }
        var data: [String: Value] = ["jobs": .list(tab.jobNames.map(Value.string)),
                                     "envs": .list(tab.envNames.map(Value.string))]
        if let cronFileArgument { data["cron_file"] = .string(cronFileArgument) }
        return Plan(changed: changed, after: tab.rendered, data: data)
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var read = ModuleScript(Self.readBody)
        read.set("user", user ?? "")
        read.set("file", cronFile ?? "")
        let out = try read.run(in: context)
        if let f = out.failure { return .failed(f) }
        let current = out.has("none") ? nil : Base64Text.decode(out.first("table") ?? "")
        let before = CronTabEdit(text: current ?? "").existing
        let edit: Plan
        do { edit = try self.plan(current: current) } catch let e as ModuleError { return .failed(e.message) }
        let plan = edit
        var data = plan.data
        var result = ModuleResult(changed: plan.changed, data: data, warnings: warnings)
        let header = cronFile ?? (user.map { "crontab for user \"\($0)\"" } ?? "crontab")
        if plan.changed && context.diffMode {
            result.diffs = [FileDiff(path: header, before: before, after: plan.after)]
        }
        guard plan.changed, !context.checkMode else { return result }
        var write = ModuleScript(Self.writeBody)
        write.set("user", user ?? "")
        write.set("file", cronFile ?? "")
        write.set("remove", plan.removeFile)
        write.set("backup", backup)
        write.set("before64", Data(CronTabEdit(text: current ?? "").rendered.utf8).base64EncodedString())
        let w = try write.run(in: context, stdin: Data(plan.after.utf8))
        if let f = w.failure { return .failed(f, data: data) }
        if plan.removeFile { result.changed = w.has("removed") }
        if let b = w.first("backup_file") { data["backup_file"] = .string(b) }
        result.data = data
        return result
    }

    /// Prints the table as base64 (`@@pv table`), or `@@pv none` when there is none.
    static let readBody = #"""
    command -v crontab >/dev/null 2>&1 || die "Failed to find required executable \"crontab\" (package cron)"
    if [ -n "$file" ]; then
      if [ -f "$file" ]; then pv table "$(base64 < "$file" | tr -d '\n')"; else pv none; fi
      exit 0
    fi
    u=""; if [ -n "$user" ] && [ "$(id -un)" != "$user" ]; then u="-u $user"; fi
    _o=$(crontab $u -l 2>/dev/null; echo "rc=$?")
    case $_o in *rc=0|*rc=1) ;; *) die "Unable to read crontab" ;; esac
    pv table "$(printf '%s' "$_o" | sed '$d' | base64 | tr -d '\n')"
    """#

    /// Installs stdin as the table (or removes the cron file), keeping a backup when asked.
    static let writeBody = #"""
    umask 022
    tmp=$(mktemp) || die "mktemp failed"
    trap 'rm -f "$tmp"' EXIT
    cat > "$tmp"
    if [ "$backup" = 1 ]; then
      b=$(mktemp "${TMPDIR:-/tmp}/crontabXXXXXXXX") && printf '%s' "$before64" | base64 -d > "$b" && pv backup_file "$b"
    fi
    if [ -n "$file" ]; then
      if [ "$remove" = 1 ]; then rm -f "$file" && pv removed; exit 0; fi
      cat "$tmp" > "$file" || die "cannot write $file"
      exit 0
    fi
    chmod 644 "$tmp"
    u=""; if [ -n "$user" ] && [ "$(id -un)" != "$user" ]; then u="-u $user"; fi
    _o=$(crontab $u "$tmp" 2>&1) || die "$_o"
    """#
}
