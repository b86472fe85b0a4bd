import Foundation

/// One entry of a tar stream, as `docker cp CONTAINER:PATH -` prints a file (and as
/// `docker cp - CONTAINER:DIR` takes one): enough of ustar and PAX to read a file's type, mode,
/// owner, size, link target and content, and to write a single file or link with a given owner.
struct TarEntry: Equatable {
    enum Kind: Equatable { case file, symlink, hardlink, directory, other(UInt8) }

    var name: String
    var kind: Kind
    var mode: Int
    var uid: Int
    var gid: Int
    var linkName: String = ""
    var content: Data = Data()

    /// The first entry of `data` (PAX extended headers applied); nil for an empty stream.
    static func first(in data: Data) throws -> TarEntry? {
        let bytes = [UInt8](data)
        var offset = 0
        var pax: [String: String] = [:]
        while offset + 512 <= bytes.count {
            let header = Array(bytes[offset..<(offset + 512)])
            if header.allSatisfy({ $0 == 0 }) { return nil }
            let size = pax["size"].flatMap(Int.init) ?? octal(header[124..<136])
            let type = header[156]
            let start = offset + 512
            guard start + size <= bytes.count else { throw ModuleError("the tar stream from docker cp is cut short") }
            let body = Data(bytes[start..<(start + size)])
            offset = start + (size + 511) / 512 * 512
            if type == UInt8(ascii: "x") || type == UInt8(ascii: "g") {
                if type == UInt8(ascii: "x") { pax.merge(paxRecords(body)) { $1 } }
                continue
            }
            var name = text(header[0..<100])
            let prefix = text(header[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
            let kind: Kind
            switch type {
            case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): kind = .file
            case UInt8(ascii: "2"): kind = .symlink
            case UInt8(ascii: "1"): kind = .hardlink
            case UInt8(ascii: "5"): kind = .directory
            default: kind = .other(type)
            }
            return TarEntry(name: pax["path"] ?? name, kind: kind, mode: octal(header[100..<108]),
                            uid: pax["uid"].flatMap(Int.init) ?? octal(header[108..<116]),
                            gid: pax["gid"].flatMap(Int.init) ?? octal(header[116..<124]),
                            linkName: pax["linkpath"] ?? text(header[157..<257]), content: kind == .file ? body : Data())
        }
        return nil
    }

    /// This entry as a whole tar stream (one header, the content, the two zero blocks).
    func archive() -> Data {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ at: Int, _ width: Int) {
            for (i, b) in Array(s.utf8).prefix(width).enumerated() { h[at + i] = b }
        }
        func putOctal(_ n: Int, _ at: Int, _ width: Int) {
            put(String(repeating: "0", count: max(0, width - 1 - String(n, radix: 8).count)) + String(n, radix: 8), at, width - 1)
        }
        put(name, 0, 100)
        putOctal(mode & 0o7777, 100, 8)
        putOctal(uid, 108, 8)
        putOctal(gid, 116, 8)
        putOctal(kind == .file ? content.count : 0, 124, 12)
        putOctal(Int(Date().timeIntervalSince1970), 136, 12)
        h[156] = kind == .symlink ? UInt8(ascii: "2") : UInt8(ascii: "0")
        put(linkName, 157, 100)
        put("ustar", 257, 6)
        put("00", 263, 2)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum), 148, 6)
        h[154] = 0
        h[155] = 0x20
        var out = Data(h)
        if kind == .file {
            out.append(content)
            out.append(Data(count: (512 - content.count % 512) % 512))
        }
        out.append(Data(count: 1024))
        return out
    }

    private static func text(_ b: ArraySlice<UInt8>) -> String {
        String(decoding: b.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func octal(_ b: ArraySlice<UInt8>) -> Int {
        // GNU base-256 for numbers too large for octal.
        if let f = b.first, f & 0x80 != 0 { return b.dropFirst().reduce(Int(f & 0x7f)) { $0 << 8 | Int($1) } }
        return Int(text(b).trimmingCharacters(in: CharacterSet(charactersIn: " \0")), radix: 8) ?? 0
    }

    /// `LEN key=value\n` records.
    private static func paxRecords(_ d: Data) -> [String: String] {
        var out: [String: String] = [:]
        for line in String(decoding: d, as: UTF8.self).split(separator: "\n") {
            guard let sp = line.firstIndex(of: " "), let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[line.index(after: sp)..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }
}
