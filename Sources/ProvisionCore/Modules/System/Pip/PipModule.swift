import Foundation

/// `pip`: Python packages installed with the host's pip, as Ansible's: `name` (with version
/// specifiers, or one `version`) or a `requirements` file, into the system or a `virtualenv`
/// created on first use with `virtualenv_command`. A run is changed when pip reports
/// "Successfully installed/uninstalled" (requirements and VCS links: when `pip freeze`
/// differs before and after); check mode reads `pip list --format=freeze` and compares
/// versions here. Returns cmd, name, version, state, requirements, virtualenv, stdout, stderr.
public struct PipModule: Module {
    public static let name = "pip"
    public static let argumentSpec = ArgumentSpec([
        .init("state", choices: ["present", "absent", "latest", "forcereinstall"], default: "present"),
        .init("name", .list),
        .init("version"),
        .init("requirements"),
        .init("virtualenv"),
        .init("virtualenv_site_packages", .bool, default: false),
        .init("virtualenv_command", default: "virtualenv"),
        .init("virtualenv_python"),
        .init("extra_args"),
        .init("editable", .bool, default: false),
        .init("chdir"),
        .init("executable"),
        .init("umask"),
    ], requiredOneOf: [["name", "requirements"]], mutuallyExclusive: [["name", "requirements"], ["executable", "virtualenv"]])

    static let stateArgs = ["present": ["install"], "absent": ["uninstall", "-y"], "latest": ["install", "-U"],
                            "forcereinstall": ["install", "-U", "--force-reinstall"]]

    public var state: String
    public var names: [String]?
    public var version: String?
    public var requirements: String?
    public var virtualenv: String?
    public var sitePackages: Bool
    public var virtualenvCommand: [String]
    public var virtualenvCommandText: String
    public var virtualenvPython: String?
    public var extraArgs: String?
    public var chdir: String?
    public var executable: String?
    public var umask: String?
    var packages: [PipRequirement] = []
    var hasVCS = false

    public init(arguments args: ModuleArguments) throws {
        state = try args.choice("state", ["present", "absent", "latest", "forcereinstall"]) ?? "present"
        names = try args.stringList("name")
        version = try args.string("version")
        requirements = try args.string("requirements")
        chdir = try args.string("chdir")
        virtualenv = try args.string("virtualenv")
        if let env = virtualenv, let dir = chdir, !env.hasPrefix("/") { virtualenv = (dir as NSString).appendingPathComponent(env) }
        sitePackages = try args.bool("virtualenv_site_packages") ?? false
        virtualenvCommandText = try args.string("virtualenv_command") ?? "virtualenv"
        virtualenvCommand = try ShellWords.split(virtualenvCommandText)
        guard !virtualenvCommand.isEmpty else { throw ModuleError("virtualenv_command is empty") }
        virtualenvPython = try args.string("virtualenv_python")
        extraArgs = try args.string("extra_args")
        executable = try args.string("executable")
        if names != nil && requirements != nil { throw ModuleError("parameters are mutually exclusive: name|requirements") }
        if executable != nil && virtualenv != nil { throw ModuleError("parameters are mutually exclusive: executable|virtualenv") }
        if names == nil && requirements == nil { throw ModuleError("one of the following is required: name, requirements") }
        if let u = try args.string("umask") {
            guard !u.isEmpty, u.allSatisfy({ ("0"..."7").contains($0) }) else { throw ModuleError("umask must be an octal integer") }
            umask = u
        }
        if state == "latest" && version != nil { throw ModuleError("version is incompatible with state=latest") }
        if let names {
            hasVCS = names.contains { $0.range(of: #"^(svn|git|hg|bzr)\+"#, options: .regularExpression) != nil }
            packages = PipRequirement.recoverNames(names).map { PipRequirement($0) }
            if let version {
                if packages.count > 1 {
                    throw ModuleError("'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument.")
                }
                if packages[0].hasVersionSpecifier {
                    throw ModuleError("The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument.")
                }
                packages[0] = PipRequirement(packages[0].text, version: version)
            }
        }
        if try args.bool("editable") ?? false {
            var words = extraArgs.map { $0.components(separatedBy: " ") } ?? []
            if !words.contains("-e") { words.append("-e"); extraArgs = words.joined(separator: " ") }
        }
    }

    /// pip's arguments after `pip`.
    var pipArguments: [String] {
        get throws {
            var a = Self.stateArgs[state] ?? ["install"]
            if let e = extraArgs { a += try ShellWords.split(e) }
            if names != nil { a += packages.map(\.text) } else if let r = requirements { a += ["-r", r] }
            return a
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let args = try pipArguments
        let quickCheck = context.checkMode && (extraArgs != nil || requirements != nil || state == "latest" || names == nil)
        var s = ModuleScript(Self.body)
        s.set("env", virtualenv ?? "")
        s.set("chdir", chdir ?? "/tmp")
        s.set("executable", executable ?? "")
        s.set("venv_cmd", virtualenvCommand.map(Shell.quote).joined(separator: " "))
        s.set("venv_is_module", virtualenvCommandText.contains("pyvenv") || virtualenvCommandText.contains("-m venv"))
        s.set("venv_python", virtualenvPython ?? "")
        s.set("site", sitePackages)
        s.set("pip_args", args.map(Shell.quote).joined(separator: " "))
        s.set("mode", context.checkMode ? (quickCheck ? "quick" : "list") : "run")
        s.set("freeze", requirements != nil || hasVCS)
        s.set("absent", state == "absent")
        s.set("umask", umask ?? "")
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        let stdout = Base64Text.decode(out.first("out") ?? "")
        let stderr = Base64Text.decode(out.first("err") ?? "")
        let pip = out.all("pip")
        if let f = out.failure {
            var data: [String: Value] = [:]
            if out.has("cmd") { data["cmd"] = .list(out.all("cmd").map(Value.string)) }
            if out.has("pipfail") { return .failed((stdout.isEmpty ? "" : "stdout: \(stdout)") + (stderr.isEmpty ? "" : "\n:stderr: \(stderr)"), data: data) }
            return .failed(f, data: data)
        }
        if out.has("venv_missing") && context.checkMode { return ModuleResult(changed: true) }
        if context.checkMode {
            if quickCheck { return ModuleResult(changed: true) }
            let listed = stdout.split(separator: "\n").map(String.init)
                .filter { !$0.hasPrefix("You are using") && !$0.hasPrefix("You should consider") && !$0.isEmpty }
            let changed = packages.contains { p in
                let present = Self.isPresent(p, in: listed)
                return (state == "present" && !present) || (state == "absent" && present)
            }
            return ModuleResult(changed: changed, data: ["cmd": .string(out.first("listcmd") ?? ""), "stdout": .string(stdout), "stderr": .string(stderr)])
        }
        var changed: Bool
        if state == "absent" {
            changed = out.has("uninstalled")
        } else if out.has("freeze_same") || out.has("freeze_differs") {
            changed = out.has("freeze_differs")
        } else {
            changed = out.has("installed")
        }
        changed = changed || out.has("venv_created")
        return ModuleResult(changed: changed, data: [
            "cmd": .list((pip + args).map(Value.string)),
            "name": names.map { .list($0.map(Value.string)) } ?? .null,
            "version": version.map(Value.string) ?? .null,
            "state": .string(state),
            "requirements": requirements.map(Value.string) ?? .null,
            "virtualenv": virtualenv.map(Value.string) ?? .null,
            "stdout": .string(stdout), "stderr": .string(stderr),
        ])
    }

    /// Ansible's `_is_present`: some `name==version` line of the listing with the same
    /// canonical name whose version meets the specifiers.
    static func isPresent(_ req: PipRequirement, in listed: [String]) -> Bool {
        guard let want = req.canonicalName else { return false }
        for line in listed {
            let parts = line.components(separatedBy: "==")
            guard parts.count == 2 else { continue }
            if PipRequirement.canonicalize(parts[0]) == want && req.isSatisfied(by: parts[1]) { return true }
        }
        return false
    }

    static let body = #"""
    [ -n "$umask" ] && umask "$umask"
    cd "$chdir" 2>/dev/null || die "cannot change into $chdir"
    o=$(mktemp) && e=$(mktemp) || die "mktemp failed"
    trap 'rm -f "$o" "$e" "$o.f1" "$o.f2"' EXIT
    : > "$o"; : > "$e"
    py=$(command -v python3 || command -v python) || py=
    if [ -n "$env" ] && [ ! -e "$env/bin/activate" ]; then
      if [ "$check" = 1 ]; then pv venv_missing; exit 0; fi
      eval "set -- $venv_cmd"
      c0=$1; shift
      case $c0 in */*) ;; *) c0=$(command -v "$c0") || die "Failed to find required executable \"$1\" in paths: $PATH" ;; esac
      if [ "$site" = 1 ]; then set -- "$@" --system-site-packages
      elif "$c0" --help 2>&1 | tr -s ' \t' '\n\n' | grep -qx -- '--no-site-packages'; then set -- "$@" --no-site-packages; fi
      if [ "$venv_is_module" = 1 ]; then
        [ -n "$venv_python" ] && die "virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command"
      elif [ -n "$venv_python" ]; then set -- "$@" "-p$venv_python"
      elif [ -n "$py" ]; then set -- "$@" "-p$py"; fi
      "$c0" "$@" "$env" >> "$o" 2>> "$e" || { pv out "$(base64 < "$o" | tr -d '\n')"; pv err "$(base64 < "$e" | tr -d '\n')"; pv pipfail; die "creating the virtualenv failed"; }
      pv venv_created
    fi
    set --
    if [ -n "$executable" ]; then
      case $executable in /*) set -- "$executable" ;; *) p=$(command -v "$executable") || die "Unable to find any of $executable to use.  pip needs to be installed."; set -- "$p" ;; esac
    elif [ -z "$env" ] && [ -n "$py" ] && "$py" -c 'import importlib.util, sys; sys.exit(0 if importlib.util.find_spec("pip") else 1)' 2>/dev/null; then
      set -- "$py" -m pip.__main__
    elif [ -z "$env" ]; then
      p=$(command -v pip3) || die "Unable to find any of pip3 to use.  pip needs to be installed."; set -- "$p"
    else
      if [ -x "$env/bin/pip3" ]; then set -- "$env/bin/pip3"; elif [ -x "$env/bin/pip" ]; then set -- "$env/bin/pip"
      else die "Unable to find pip in the virtualenv, $env, under any of these names: pip3, pip. Make sure pip is present in the virtualenv."; fi
    fi
    pipq=
    for w in "$@"; do pv pip "$w"; pipq="$pipq '$(printf '%s' "$w" | sed "s/'/'\\\\''/g")'"; done
    [ -n "$env" ] && PATH="$env/bin:$PATH" && export PATH
    if [ "$mode" = quick ]; then exit 0; fi
    if [ "$mode" = list ]; then
      if LC_ALL=C LANG=C "$@" list --format=freeze >> "$o" 2>> "$e"; then pv listcmd "$* list --format=freeze"
      elif "$@" freeze >> "$o" 2>> "$e"; then pv listcmd "$* freeze"
      else pv out "$(base64 < "$o" | tr -d '\n')"; pv err "$(base64 < "$e" | tr -d '\n')"; pv pipfail; die "pip list failed"; fi
      pv out "$(base64 < "$o" | tr -d '\n')"; pv err "$(base64 < "$e" | tr -d '\n')"
      exit 0
    fi
    freeze() { LC_ALL=C LANG=C "$@" list --format=freeze 2>/dev/null || "$@" freeze 2>/dev/null; }
    [ "$freeze" = 1 ] && eval "freeze $pipq" > "$o.f1"
    eval "set -- $pipq $pip_args"
    for w in "$@"; do pv cmd "$w"; done
    po=$(mktemp) && pe=$(mktemp) || die "mktemp failed"
    "$@" > "$po" 2> "$pe"; rc=$?
    cat "$po" >> "$o"; cat "$pe" >> "$e"
    pv out "$(base64 < "$o" | tr -d '\n')"; pv err "$(base64 < "$e" | tr -d '\n')"
    if [ $rc -ne 0 ]; then
      if [ $rc -eq 1 ] && [ "$absent" = 1 ] && cat "$po" "$pe" | grep -q 'not installed'; then :; else rm -f "$po" "$pe"; pv pipfail; die "pip failed"; fi
    fi
    grep -q 'Successfully installed' "$po" && pv installed
    grep -q 'Successfully uninstalled' "$po" && pv uninstalled
    rm -f "$po" "$pe"
    if [ "$freeze" = 1 ]; then
      eval "freeze $pipq" > "$o.f2"
      if cmp -s "$o.f1" "$o.f2"; then pv freeze_same; else pv freeze_differs; fi
    fi
    exit 0
    """#
}
