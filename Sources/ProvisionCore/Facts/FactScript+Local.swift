/// The part of `FactScript` that reads Ansible's local facts (`ansible_local`): every
/// `FACT_PATH/*.fact` in name order, run when its owner-execute bit is set (as Ansible tests
/// `S_IXUSR`), else read. Each file becomes a section `local:NAME` whose first lines are
/// `#rc=` and `#err=` (stderr, newlines as \001) for a script, then the content with every line prefixed by `|` so that
/// neither blank lines nor `@@` at the start of a line can change the sections.
extension FactScript {
    static let localText: String = #"""
    s local; echo "path=$FACT_PATH"
    if [ -d "$FACT_PATH" ]; then for f in "$FACT_PATH"/*.fact; do [ -e "$f" ] || continue; n=${f##*/}; n=${n%.fact}
    s "local:$n"
    case $(stat -c %A "$f" 2>/dev/null) in
    ???[xs]*) e=$(mktemp 2>/dev/null || echo /dev/null); o=$($t "$f" 2>"$e"); c=$?
    echo "#rc=$c"; echo "#err=$(head -c 2000 "$e" 2>/dev/null | tr '\n' '\001')"; [ "$e" != /dev/null ] && rm -f "$e"
    printf '%s\n' "$o" | sed 's/^/|/';;
    *) [ -r "$f" ] && sed 's/^/|/' "$f";;
    esac; done; fi
    """#
}
