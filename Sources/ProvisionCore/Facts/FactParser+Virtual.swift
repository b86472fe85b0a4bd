import Foundation

/// Ansible's Linux virtualization facts, in its detection order: containers (PID 1's cgroup
/// and environment, OpenVZ, systemd's container file, Docker's marker files), Xen, DMI
/// product and vendor names, CPU model strings, kernel modules, /dev/kvm. Pure.
extension FactParser {
    static func virtualFacts(_ s: [String: [String]]) -> [String: Value] {
        let lines = s["virt"] ?? []
        let dmi = pairs(s["dmi"] ?? [])
        func values(_ key: String) -> [String] {
            lines.filter { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        let exists = Set(values("exists"))
        var type: String?, role: String?
        var found = false
        var guest: [String] = [], host: [String] = []
        func add(_ list: inout [String], _ t: String) { if !list.contains(t) { list.append(t) } }
        func guestFound(_ tech: String, type t: String? = nil, role r: String? = "guest") {
            add(&guest, tech)
            if !found { type = t ?? tech; if let r { role = r }; found = true }
        }
        for line in values("cgroup") {
            if line.range(of: #"/docker(/|-[0-9a-f]+\.scope)"#, options: .regularExpression) != nil { guestFound("docker") }
            if line.contains("/lxc/") || line.contains("/machine.slice/machine-lxc") { guestFound("lxc") }
            if line.contains("/system.slice/containerd.service") { guestFound("containerd") }
        }
        for line in values("environ_container").map({ "container=" + $0 }) {
            if line.contains("container=lxc") { guestFound("lxc") }
            if line.contains("container=podman") { guestFound("podman") }
            if line.count > "container=".count { guestFound("container") }
        }
        if exists.contains("/proc/vz") && !exists.contains("/proc/lve") {
            type = "openvz"
            if exists.contains("/proc/bc") { add(&host, "openvz"); if !found { role = "host" } } else { add(&guest, "openvz"); if !found { role = "guest" } }
            found = true
        }
        let systemdContainer = pairs(lines)["systemd_container"]
        if let c = systemdContainer, !c.isEmpty { guestFound(c) }
        if exists.contains("/.dockerenv") || exists.contains("/.dockerinit") { guestFound("docker") }
        if !Set(guest).isDisjoint(with: ["docker", "lxc", "podman", "openvz", "containerd"]) || (systemdContainer ?? "") != "" {
            add(&guest, "container")
        }
        if exists.contains("/proc/xen") {
            if lines.contains("xen_host=1") { add(&host, "xen"); if !found { type = "xen"; role = "host" } } else if !found { type = "xen"; role = "guest" }
            found = true
        }
        // From here Ansible sets the type only; the role stays "guest" when one is found.
        let foundBeforeDMI = found
        if !found { role = "guest" }
        func dmiFound(_ tech: String) { add(&guest, tech); if !found { type = tech; found = true } }
        let product = dmi["product_name"], vendor = dmi["sys_vendor"], family = dmi["product_family"], bios = dmi["bios_vendor"]
        if ["KVM", "KVM Server", "Bochs", "AHV"].contains(product ?? "") { dmiFound("kvm") }
        if vendor == "oVirt" { dmiFound("oVirt") }
        if vendor == "Red Hat" {
            if family == "RHV" { dmiFound("RHV") } else if product == "RHEV Hypervisor" { dmiFound("RHEV") }
        }
        if ["VMware Virtual Platform", "VMware7,1"].contains(product ?? "") { dmiFound("VMware") }
        if ["OpenStack Compute", "OpenStack Nova"].contains(product ?? "") { dmiFound("openstack") }
        if bios == "Xen" { dmiFound("xen") }
        if bios == "innotek GmbH" { dmiFound("virtualbox") }
        if ["Amazon EC2", "DigitalOcean", "Hetzner"].contains(bios ?? "") { dmiFound("kvm") }
        if ["QEMU", "Amazon EC2", "DigitalOcean", "Google", "Scaleway", "Nutanix"].contains(vendor ?? "") { dmiFound("kvm") }
        if vendor == "KubeVirt" { dmiFound("KubeVirt") }
        if vendor == "Microsoft Corporation" { dmiFound("VirtualPC") }
        if vendor == "Parallels Software International Inc." { dmiFound("parallels") }
        if vendor == "OpenStack Foundation" { dmiFound("openstack") }
        if !found && !foundBeforeDMI { role = nil }
        for line in values("status") where line.range(of: #"^VxID:\s+\d+"#, options: .regularExpression) != nil {
            if !found { type = "linux_vserver" }
            if line.range(of: #"^VxID:\s+0"#, options: .regularExpression) != nil {
                add(&host, "linux_vserver"); if !found { role = "host" }
            } else {
                add(&guest, "linux_vserver"); if !found { role = "guest" }
            }
            found = true
        }
        for line in values("cpuinfo") {
            let tech: String
            if line.hasPrefix("model name"), line.contains("QEMU Virtual CPU") { tech = "kvm" }
            else if line.hasPrefix("vendor_id"), line.contains("User Mode Linux") { tech = "uml" }
            else if line.hasPrefix("model name"), line.contains("UML") { tech = "uml" }
            else if line.hasPrefix("machine") { tech = "kvm" }
            else if line.hasPrefix("vendor_id"), line.contains("PowerVM Lx86") { tech = "powervm_lx86" }
            else if line.hasPrefix("vendor_id"), line.contains("IBM/S390") { tech = "ibm_systemz" }
            else { continue }
            add(&guest, tech)
            if !found { type = tech; role = "guest"; found = true }
        }
        let modules = Set(values("module"))
        if modules.contains("kvm") {
            add(&host, "kvm")
            if !found { type = "kvm"; role = "host" }
            found = true
        }
        if modules.contains("vboxdrv") { add(&host, "virtualbox"); if !found { type = "virtualbox"; role = "host"; found = true } }
        if modules.contains("virtio") { add(&host, "kvm"); if !found { type = "kvm"; role = "guest"; found = true } }
        if exists.contains("/dev/kvm") { add(&host, "kvm"); if !found { type = "kvm"; role = "host"; found = true } }
        var f: [String: Value] = [:]
        f["virtualization_type"] = .string(found ? (type ?? "NA") : "NA")
        f["virtualization_role"] = .string(found ? (role ?? "NA") : "NA")
        f["virtualization_tech_guest"] = .list(guest.map(Value.string))
        f["virtualization_tech_host"] = .list(host.map(Value.string))
        return f
    }
}
