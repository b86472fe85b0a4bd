/// `package_facts`: `ansible_facts.packages`, each installed package's name mapped to a list of
/// `{name, version, arch, category, source}` as Ansible's apt backend reports them, from one
/// `dpkg-query`. (`origin`, which Ansible reads from apt's cache, is not given.)
public struct PackageFactsModule: Module {
    public static let name = "package_facts"
    public static let argumentSpec = ArgumentSpec([
        .init("manager", .list, default: .list(["auto"])),
        .init("strategy", choices: ["first", "all"], default: "first"),
    ])

    public init(arguments args: ModuleArguments) throws {
        for m in try args.stringList("manager") ?? ["auto"] where m != "auto" && m != "apt" {
            throw ModuleError("package manager '\(m)' is not supported by provision's package_facts; use auto or apt")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        let out = try context.run(#"LC_ALL=C dpkg-query -W -f='${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\t${Section}\n'"#)
        guard out.succeeded else {
            return .failed("Could not detect a supported package manager from the following list: ['apt']")
        }
        var packages: [String: [Value]] = [:]
        for line in out.stdoutText.split(separator: "\n") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // Installed ones only, as apt's cache reports them ("ii", or held "hi").
            guard f.count >= 5, f[0].count >= 2, f[0].dropFirst().first == "i" else { continue }
            packages[f[1], default: []].append(.dict(["name": .string(f[1]), "version": .string(f[2]), "arch": .string(f[3]),
                                                      "category": .string(f[4]), "source": "apt"]))
        }
        return GatheredFacts.result(["packages": .dict(packages.mapValues(Value.list))], in: context)
    }
}
