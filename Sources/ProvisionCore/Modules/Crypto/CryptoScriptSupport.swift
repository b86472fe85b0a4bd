/// Shell functions the community.crypto module scripts share (after `ScriptPrelude`).
///
/// - `$path` gets `~` expanded, is reported as `@@pv path`, and `$dir` is its directory,
///   which must exist (the collection's own check and message).
/// - `place SRC DEST`: moves a new file onto DEST in one rename; an existing DEST keeps its
///   mode and owner, as Ansible's `atomic_move`.
/// - `backup_once`: with `$backup` 1, copies `$path` aside (`PATH.PID.DATE@TIME~`, as Ansible's
///   `backup_local`) and reports it as `@@pv backup_file`.
/// - `absent_exit`: for `state: absent`, removes `$path` (with its backup) and exits.
/// - `new_tmp`: `$tmp`, a private directory beside DEST (so the rename is atomic), removed
///   when the script exits.
enum CryptoScriptSupport {
    static let functions = #"""
    case $path in "~") path=$HOME ;; "~/"*) path=$HOME/${path#"~/"} ;; esac
    pv path "$path"
    dir=$(dirname -- "$path")
    [ -d "$dir" ] || die "The directory $dir does not exist or the file is not a directory"
    place() {
      if [ -e "$2" ]; then
        chmod "$(stat -c %a "$2")" "$1" && { chown "$(stat -c %u:%g "$2")" "$1" 2>/dev/null || true; } || die "cannot copy the attributes of $2"
      fi
      mv -f -- "$1" "$2" || die "cannot move the new file to $2"
    }
    # With backup=1, copies DEST aside as Ansible's backup_local names it.
    backup_once() {
      [ "${backup:-0}" = 1 ] && [ -e "$path" ] || return 0
      _b="$path.$$.$(date +%Y-%m-%d@%H:%M:%S)~"
      cp -p -- "$path" "$_b" || die "cannot back up $path"
      pv backup_file "$_b"
    }
    # state=absent: removes $path (backed up first with backup=1) and ends the script.
    absent_exit() {
      [ "$present" = 1 ] && return 0
      if [ -e "$path" ]; then
        pv changed
        if [ "$check" != 1 ]; then backup_once; rm -f -- "$path" || die "cannot remove $path"; fi
      fi
      exit 0
    }
    tmp= keytmp= work=
    trap 'for _d in "$tmp" "$keytmp" "$work"; do [ -z "$_d" ] || rm -rf -- "$_d"; done' EXIT
    new_tmp() {
      [ -n "$tmp" ] && return 0
      tmp=$(umask 077; mktemp -d "$dir/.provision-crypto.XXXXXX") || die "cannot create a temporary directory in $dir"
    }
    """#

    /// `body` after the shared functions, as one `ModuleScript`.
    static func script(_ body: String) -> ModuleScript {
        ModuleScript(functions + "\n" + body)
    }
}
