/// Maps a kernel machine name (`uname -m`) to the Debian architecture name used by apt and
/// package repositories (`amd64`, `arm64`, `armhf`, …).
///
/// Prefer `dpkg --print-architecture` when the host has dpkg: the kernel and the userland can
/// differ. Raspberry Pi OS 32-bit on a Pi 4/5 boots a 64-bit kernel by default, so `uname -m`
/// says `aarch64` while every package is `armhf`.
public enum DebianArchitecture {
    /// nil when the machine name is unknown.
    ///
    /// `armv6l` maps to `armhf` because that is Raspberry Pi OS/Raspbian's name for its ARMv6
    /// hard-float port (Pi 1/Zero); Debian proper has no ARMv6 hard-float port and would use
    /// `armel` there.
    public static func from(machine: String) -> String? {
        switch machine.lowercased() {
        case "x86_64", "amd64": return "amd64"
        case "aarch64", "arm64", "armv8l": return "arm64"
        case "armv7l", "armv7", "armhf": return "armhf"
        case "armv6l", "armv6": return "armhf"
        case "armv5tel", "armv5l", "armel": return "armel"
        case "i386", "i486", "i586", "i686": return "i386"
        case "ppc64le": return "ppc64el"
        case "s390x": return "s390x"
        case "riscv64": return "riscv64"
        case "mips64": return "mips64el"
        default: return nil
        }
    }
}
