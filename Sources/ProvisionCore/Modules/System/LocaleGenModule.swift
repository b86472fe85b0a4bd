/// `locale_gen` (community.general.locale_gen): a locale generated or removed, through
/// `/etc/locale.gen` and `locale-gen` (Debian, Raspberry Pi OS) or Ubuntu's
/// `/var/lib/locales/supported.d`. As Ansible's: the locale must be listed as available, and
/// "present" means `locale -a` shows it (`.utf8` and `.UTF-8` are the same).
public struct LocaleGenModule: Module {
    public static let name = "locale_gen"
    public static let aliases = ["community.general.locale_gen"]
    public static let argumentSpec = ArgumentSpec([
        .init("name", required: true), .init("state", choices: ["present", "absent"], default: "present"),
    ])

    public var locale: String
    public var present: Bool

    public init(arguments args: ModuleArguments) throws {
        locale = try args.requiredString("name")
        present = try args.choice("state", ["present", "absent"]) != "absent"
        guard locale.range(of: #"^[A-Za-z0-9_.@\-]+$"#, options: .regularExpression) != nil else {
            throw ModuleError("'\(locale)' is not a locale name (like en_US.UTF-8)")
        }
    }

    public func run(in context: HostContext) throws -> ModuleResult {
        var s = ModuleScript(Self.body)
        s.set("name", locale)
        s.set("present", present)
        s.set("check", context.checkMode)
        let out = try s.run(in: context)
        if let f = out.failure { return .failed(f) }
        let changed = out.has("changed")
        if context.checkMode { return ModuleResult(changed: changed) }
        return ModuleResult(changed: changed, message: "OK", data: ["name": .string(locale)])
    }

    static let body = #"""
    # Ansible's LOCALE_NORMALIZATION: `locale -a` may spell the charset in lower case.
    fix_case() {
      printf '%s\n' "$1" | sed -e 's/\.utf8/.UTF-8/; s/\.eucjp/.EUC-JP/; s/\.iso885915/.ISO-8859-15/; s/\.cp1251/.CP1251/' \
        -e 's/\.koi8r/.KOI8-R/; s/\.armscii8/.ARMSCII-8/; s/\.euckr/.EUC-KR/; s/\.gbk/.GBK/; s/\.gb18030/.GB18030/; s/\.euctw/.EUC-TW/'
    }
    if [ -d /var/lib/locales/supported.d ]; then ubuntu=1; avail=/usr/share/i18n/SUPPORTED; re='^[^[:space:]]+_[^[:space:]]+ [^[:space:]]+[[:space:]]*$'
    elif [ -f /etc/locale.gen ]; then ubuntu=0; avail=/etc/locale.gen; re='^#?[[:space:]]*[^[:space:]]+_[^[:space:]]+ [^[:space:]]+[[:space:]]*$'
    else die '/etc/locale.gen and /var/lib/locales/supported.d/local are missing. Is the package "locales" installed?'; fi
    grep -E "$re" "$avail" 2>/dev/null | sed -E 's/^#?[[:space:]]*//' | awk -v n="$name" '$1 == n { f = 1 } END { exit !f }' \
      || die "The locale you've entered is not available on your system."
    want=$(fix_case "$name")
    is_present=0
    for l in $(locale -a 2>/dev/null); do [ "$(fix_case "$l")" = "$want" ] && is_present=1; done
    [ "$present" = "$is_present" ] && exit 0
    pv changed
    [ "$check" = 1 ] && exit 0
    esc=$(printf '%s' "$name" | sed 's/[.[\*^$/]/\\&/g')
    if [ $ubuntu = 0 ]; then
      if [ "$present" = 1 ]; then sedexpr="s/^#\{0,1\}[[:space:]]*$esc \(.*\)/$esc \1/"
      else sedexpr="s/^#\{0,1\}[[:space:]]*$esc \(.*\)/# $esc \1/"; fi
      _t=$(mktemp) && sed "$sedexpr" /etc/locale.gen > "$_t" && cat "$_t" > /etc/locale.gen && rm -f "$_t" || die "cannot edit /etc/locale.gen"
      _o=$(locale-gen 2>&1) || die "locale.gen failed to execute: $_o"
    elif [ "$present" = 1 ]; then
      _o=$(locale-gen "$name" 2>&1) || die "locale.gen failed to execute: $_o"
    else
      f=/var/lib/locales/supported.d/local
      _t=$(mktemp) && awk -v n="$name" '$1 != n' "$f" > "$_t" && cat "$_t" > "$f" && rm -f "$_t" || die "cannot edit $f"
      _o=$(locale-gen --purge 2>&1) || die "locale.gen failed to execute: $_o"
    fi
    exit 0
    """#
}
