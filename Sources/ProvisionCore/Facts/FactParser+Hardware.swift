import Foundation

/// Ansible's Linux block device and mount facts: `devices`, `device_links` (from /sys/block
/// and /dev/disk/by-*) and `mounts` (from /etc/mtab with `stat -f` sizes, lsblk UUIDs and
/// findmnt bind mounts). Pure.
extension FactParser {
    static func hardwareFacts(_ s: [String: [String]]) -> [String: Value] {
        let block = s["block"] ?? []
        var links: [String: [String: [String]]] = ["ids": [:], "uuids": [:], "labels": [:], "masters": [:]]
        for line in block {
            for (prefix, kind) in [("link_id=", "ids"), ("link_uuid=", "uuids"), ("link_label=", "labels")] where line.hasPrefix(prefix) {
                guard let arrow = line.range(of: " -> ") else { continue }
                let name = line[..<arrow.lowerBound].split(separator: " ").last.map(String.init) ?? ""
                let target = String(line[arrow.upperBound...].split(separator: "/").last ?? "")
                guard !name.isEmpty, !target.isEmpty else { continue }
                links[kind]?[target, default: []].append(name)
            }
        }
        var devs: [(name: String, fields: [(String, String)])] = []
        for line in block where !line.hasPrefix("link_") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            let k = String(line[..<eq]), v = String(line[line.index(after: eq)...])
            if k == "dev" { devs.append((v, [])) } else if !devs.isEmpty { devs[devs.count - 1].fields.append((k, v)) }
        }
        for dev in devs {
            for (k, v) in dev.fields where k == "slave" { links["masters"]?[v, default: []].append(dev.name) }
        }
        let sortedLinks = links.mapValues { $0.mapValues { Array(Set($0)).sorted() } }
        func linksOf(_ name: String) -> Value {
            .dict(["ids": .list((sortedLinks["ids"]?[name] ?? []).map(Value.string)),
                   "labels": .list((sortedLinks["labels"]?[name] ?? []).map(Value.string)),
                   "masters": .list((sortedLinks["masters"]?[name] ?? []).map(Value.string)),
                   "uuids": .list((sortedLinks["uuids"]?[name] ?? []).map(Value.string))])
        }
        var devices = ValueDict()
        for dev in devs {
            var first: [String: String] = [:]
            var holders: [Value] = []
            var parts: [(String, [String: String], [Value])] = []
            for (k, v) in dev.fields {
                switch k {
                case "holder": holders.append(.string(v))
                case "part": parts.append((v, [:], []))
                case "pstart", "psize": if !parts.isEmpty { parts[parts.count - 1].1[k] = v }
                case "pholder": if !parts.isEmpty { parts[parts.count - 1].2.append(.string(v)) }
                default: if first[k] == nil { first[k] = v }
                }
            }
            func opt(_ k: String) -> Value { first[k].map(Value.string) ?? .null }
            var d = ValueDict()
            d["virtual"] = 1
            d["links"] = linksOf(dev.name)
            for key in ["vendor", "model", "sas_address", "sas_device_handle"] { d[key] = opt("device/" + key) }
            if let serial = first["device/serial"] { d["serial"] = .string(serial) }
            d["removable"] = opt("removable")
            d["support_discard"] = opt("queue/discard_granularity")
            if let wwn = sortedLinks["ids"]?[dev.name]?.first(where: { $0.hasPrefix("wwn-") }) { d["wwn"] = .string(String(wwn.dropFirst(4))) }
            var partitions = ValueDict()
            let partPattern = "^" + NSRegularExpression.escapedPattern(for: dev.name) + "p?[0-9]+"
            for (name, values, partHolders) in parts where name.range(of: partPattern, options: .regularExpression) != nil {
                var p = ValueDict()
                p["links"] = linksOf(name)
                p["start"] = .string(values["pstart"] ?? "0")
                p["sectors"] = .string(values["psize"] ?? "0")
                p["sectorsize"] = .string(first["queue/logical_block_size"] ?? first["queue/hw_sector_size"] ?? "512")
                p["size"] = .string(bytesToHuman((Double(values["psize"] ?? "0") ?? 0) * 512))
                p["uuid"] = sortedLinks["uuids"]?[name]?.first.map(Value.string) ?? .null
                p["holders"] = .list(partHolders)
                partitions[name] = .dict(p)
            }
            d["partitions"] = .dict(partitions)
            d["rotational"] = opt("queue/rotational")
            var scheduler = ""
            if let sch = first["queue/scheduler"], let open = sch.firstIndex(of: "["), let close = sch.lastIndex(of: "]"), open < close {
                scheduler = String(sch[sch.index(after: open)..<close])
            }
            d["scheduler_mode"] = .string(scheduler)
            let sectors = first["size"].flatMap { $0.isEmpty ? nil : $0 }
            d["sectors"] = sectors.map(Value.string) ?? .int(0)
            d["sectorsize"] = .string(first["queue/logical_block_size"] ?? first["queue/hw_sector_size"] ?? "512")
            d["size"] = .string(bytesToHuman((Double(sectors ?? "0") ?? 0) * 512))
            d["host"] = ""
            d["holders"] = .list(holders)
            devices[dev.name] = .dict(d)
        }
        var f: [String: Value] = [:]
        f["devices"] = .dict(devices)
        f["device_links"] = .dict(ValueDict(sortedLinks.mapValues { m in .dict(m.mapValues { .list($0.map(Value.string)) }) }))
        f["mounts"] = mounts(mtab: s["mounts"] ?? [], statfs: s["statfs"] ?? [], lsblk: s["lsblk"] ?? [], binds: s["findmnt"] ?? [])
        return f
    }

    /// Ansible's `bytes_to_human`: two decimals and the largest binary unit not above.
    static func bytesToHuman(_ size: Double) -> String {
        let units: [(String, Double)] = [("YB", 0x1p80), ("ZB", 0x1p70), ("EB", 0x1p60), ("PB", 0x1p50), ("TB", 0x1p40),
                                         ("GB", 0x1p30), ("MB", 0x1p20), ("KB", 0x1p10)]
        for (suffix, limit) in units where size >= limit { return String(format: "%.2f %@", size / limit, suffix) }
        return String(format: "%.2f Bytes", size)
    }

    /// Replaces the kernel's octal escapes in /proc/mounts fields (`\040` for a space).
    static func unescapeOctal(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = "", chars = Array(s), i = 0
        while i < chars.count {
            if chars[i] == "\\", i + 3 < chars.count,
               let code = UInt32(String(chars[(i + 1)...(i + 3)]), radix: 8), let scalar = Unicode.Scalar(code) {
                out.unicodeScalars.append(scalar)
                i += 4
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return out
    }

    /// `mounts`: real-device mounts of the mount table with statvfs numbers, as Ansible.
    static func mounts(mtab: [String], statfs: [String], lsblk: [String], binds: [String]) -> Value {
        var sizes: [String: [Int]] = [:]
        for line in statfs {
            let w = line.split(separator: " ", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
            guard w.count == 8 else { continue }
            let nums = w[0..<7].compactMap { Int($0) }
            if nums.count == 7 { sizes[w[7]] = nums }
        }
        var uuids: [String: String] = [:]
        for line in lsblk {
            let fields = line.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            let name = fields.dropLast().joined(separator: " ")
            if uuids[name] == nil { uuids[name] = String(fields[fields.count - 1]) }
        }
        let bindSet = Set(binds)
        var out: [Value] = []
        for line in mtab {
            let w = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { unescapeOctal(String($0)) }
            guard w.count >= 4 else { continue }
            let device = w[0], mount = w[1], fstype = w[2]
            if (!device.hasPrefix("/") && !device.hasPrefix("\\") && !device.contains(":/")) || fstype == "none" { continue }
            var d = ValueDict()
            if let n = sizes[mount] {
                // %S fragment size, %s block size, %b blocks, %f free, %a available, %c inodes, %d free inodes
                d["block_available"] = .int(n[4])
                d["block_size"] = .int(n[1])
                d["block_total"] = .int(n[2])
                d["block_used"] = .int(n[2] - n[4])
                d["device"] = .string(device)
                d["fstype"] = .string(fstype)
                d["inode_available"] = .int(n[6])
                d["inode_total"] = .int(n[5])
                d["inode_used"] = .int(n[5] - n[6])
                d["mount"] = .string(mount)
                d["size_available"] = .int(n[0] * n[4])
                d["size_total"] = .int(n[0] * n[2])
            } else {
                d["device"] = .string(device)
                d["fstype"] = .string(fstype)
                d["mount"] = .string(mount)
            }
            d["options"] = .string(bindSet.contains(mount) ? w[3] + ",bind" : w[3])
            d["uuid"] = .string(uuids[device].flatMap { $0.isEmpty ? nil : $0 } ?? "N/A")
            out.append(.dict(ValueDict(d.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
        }
        return .list(out)
    }
}
