import Foundation
import XCTest
@testable import ProvisionCore

/// The facts beyond the basics (ids, DMI, DNS, interfaces, devices, mounts, virtualization,
/// local facts), on the fact script's output recorded on a lab node (Debian 12 in Docker, as
/// the login user pi); the expected shapes and values are those ansible-core 2.14's `setup`
/// gave on the twin node, for what does not depend on the host.
final class ExtendedFactTests: XCTestCase {
    func testRecordedLabNodeHasAnsiblesShapes() throws {
        let f = FactParser.parse(try fixtureText("facts/lab-node-bookworm-extended.txt")).unprefixed
        XCTAssertEqual(f["effective_user_id"], .int(1000))
        XCTAssertEqual(f["real_group_id"], .int(1000))
        XCTAssertEqual(f["cmdline"]?["console"], .string("ttyS0"))
        XCTAssertEqual(f["cmdline"]?["quiet"], .bool(true))
        XCTAssertEqual(f["proc_cmdline"]?["--addr"], .bool(true))
        XCTAssertEqual(f["fips"], .bool(false))
        XCTAssertEqual(f["machine_id"], .string("17ebbc39c5b54e94b1a55a49ccf276b3"))
        XCTAssertEqual(f["uptime_seconds"], .int(32225))
        XCTAssertEqual(f["loadavg"]?["1m"], .double(8.06))
        XCTAssertEqual(f["apparmor"], .dict(["status": "disabled"]))
        XCTAssertEqual(f["selinux"], .dict(["status": "disabled"]))
        XCTAssertEqual(f["userspace_bits"], .string("64"))
        XCTAssertEqual(f["userspace_architecture"], .string("x86_64"))
        for key in ["bios_date", "board_serial", "product_name", "product_serial", "product_uuid", "system_vendor", "form_factor"] {
            XCTAssertEqual(f[key], .string("NA"), key)
        }
        XCTAssertEqual(f["dns"], .dict(["nameservers": ["127.0.0.11"], "options": .dict(["ndots": "0"])]))
        XCTAssertEqual(f["ssh_host_key_ed25519_public_keytype"], .string("ssh-ed25519"))
        XCTAssertEqual(f["ssh_host_key_ed25519_public"], .string("AAAAC3NzaC1lZDI1NTE5AAAAIJAGG+u/DMuSdWVoyGqlXgkEDs6qT/CtPTbgCmDhsu+v"))
        XCTAssertEqual(f["system_capabilities"], .string("N/A"), "no capsh on the node")
        XCTAssertEqual(f["lvm"], .string("N/A"))
        XCTAssertEqual(f["hostnqn"], .string(""))
        XCTAssertEqual(f["iscsi_iqn"], .string(""))
        XCTAssertEqual(f["fibre_channel_wwn"], .list([]))
        XCTAssertEqual(f["swapfree_mb"], .int(0))
        XCTAssertEqual(f["memory_mb"]?["swap"], .dict(["cached": 0, "free": 0, "total": 0, "used": 0]))
        XCTAssertEqual(f["virtualization_type"], .string("docker"))
        XCTAssertEqual(f["virtualization_role"], .string("guest"))
        XCTAssertEqual(f["virtualization_tech_guest"], .list(["docker", "container"]))
        XCTAssertEqual(f["virtualization_tech_host"], .list([]))

        XCTAssertEqual(Set(f["interfaces"]?.listValue ?? []), ["eth0", "lo"])
        XCTAssertEqual(f["eth0"], .dict(["active": true, "device": "eth0",
                                         "ipv4": .dict(["address": "172.31.88.11", "broadcast": "172.31.88.255",
                                                        "netmask": "255.255.255.0", "network": "172.31.88.0", "prefix": "24"]),
                                         "macaddress": "02:42:ac:1f:58:0b", "mtu": 1500, "promisc": false, "speed": 10000,
                                         "type": "ether"]))
        XCTAssertEqual(f["lo"], .dict(["active": true, "device": "lo",
                                       "ipv4": .dict(["address": "127.0.0.1", "broadcast": "", "netmask": "255.0.0.0",
                                                      "network": "127.0.0.0", "prefix": "8"]),
                                       "mtu": 65536, "promisc": false, "type": "loopback"]))
        XCTAssertEqual(f["all_ipv6_addresses"], .list([]))
        XCTAssertEqual(f["default_ipv6"], .dict([:]))

        let loop0 = try XCTUnwrap(f["devices"]?["loop0"]?.dictValue)
        XCTAssertEqual(loop0["size"], .string("0.00 Bytes"))
        XCTAssertEqual(loop0["model"], .null)
        XCTAssertEqual(loop0["scheduler_mode"], .string("none"))
        XCTAssertEqual(loop0["virtual"], .int(1))
        XCTAssertEqual(loop0["links"], .dict(["ids": [], "labels": [], "masters": [], "uuids": []]))
        XCTAssertEqual(f["devices"]?["vda"]?["size"], .string("256.00 GB"))
        XCTAssertEqual(f["devices"]?["vda"]?["scheduler_mode"], .string("mq-deadline"))
        XCTAssertEqual(f["device_links"], .dict(["ids": .dict([:]), "labels": .dict([:]), "masters": .dict([:]), "uuids": .dict([:])]))

        let mounts = try XCTUnwrap(f["mounts"]?.listValue)
        let resolv = try XCTUnwrap(mounts.first { $0["mount"] == .string("/etc/resolv.conf") })
        XCTAssertEqual(resolv["block_size"], .int(4096))
        XCTAssertEqual(resolv["block_used"], .int(66053021 - 18443907))
        XCTAssertEqual(resolv["size_total"], .int(4096 * 66053021))
        XCTAssertEqual(resolv["inode_used"], .int(16777216 - 16137373))
        XCTAssertEqual(resolv["uuid"], .string("N/A"))
        XCTAssertTrue(resolv["options"]?.stringValue?.hasSuffix(",bind") == true)
        XCTAssertFalse(mounts.contains { $0["mount"] == .string("/") }, "overlay is not a device mount")

        XCTAssertEqual(f["ansible_local"], .dict(["exe": .dict(["run": true]),
                                          "ini": .dict(["general": .dict(["name": "rt", "asdf": "1"])]),
                                          "json": .dict(["k": [1, "x"]])]))
    }

    func testCmdlineKeepsLastValueAndProcCmdlineCollectsRepeats() {
        let line = #"console=ttyS0 console=tty1 ro root="LABEL=a b" quiet"#
        XCTAssertEqual(FactParser.cmdline(line, repeatedAsList: false),
                       .dict(["console": "tty1", "ro": true, "root": "\"LABEL=a b\"", "quiet": true]))
        XCTAssertEqual(FactParser.cmdline(line, repeatedAsList: true)["console"], .list(["ttyS0", "tty1"]))
        XCTAssertEqual(FactParser.cmdline(#"a="unclosed"#, repeatedAsList: false), .dict([:]))
    }

    func testDMIFormFactorAndUnreadableFields() {
        let f = FactParser.dmi(["present=1", "chassis_type=23", "product_name=KVM", "sys_vendor=QEMU"])
        XCTAssertEqual(f["form_factor"], .string("Rack Mount Chassis"))
        XCTAssertEqual(f["product_serial"], .string("NA"))
        XCTAssertEqual(f["system_vendor"], .string("QEMU"))
        XCTAssertEqual(FactParser.dmi(["chassis_type=99"])["form_factor"], .string("unknown (99)"))
    }

    func testVirtualizationOrder() {
        let kvmGuest = FactParser.virtualFacts(["virt": ["module=virtio"], "dmi": ["product_name=KVM", "sys_vendor=QEMU"]])
        XCTAssertEqual(kvmGuest["virtualization_type"], .string("kvm"))
        XCTAssertEqual(kvmGuest["virtualization_role"], .string("guest"))
        XCTAssertEqual(kvmGuest["virtualization_tech_guest"], .list(["kvm"]))
        XCTAssertEqual(kvmGuest["virtualization_tech_host"], .list(["kvm"]))
        let host = FactParser.virtualFacts(["virt": ["module=kvm", "exists=/dev/kvm"]])
        XCTAssertEqual(host["virtualization_role"], .string("host"))
        let bare = FactParser.virtualFacts(["virt": []])
        XCTAssertEqual(bare["virtualization_type"], .string("NA"))
        XCTAssertEqual(bare["virtualization_role"], .string("NA"))
        let lxc = FactParser.virtualFacts(["virt": ["environ_container=lxc"]])
        XCTAssertEqual(lxc["virtualization_type"], .string("lxc"))
        XCTAssertEqual(lxc["virtualization_tech_guest"], .list(["lxc", "container"]))
    }

    func testCapabilitiesAsAnsibleReadsCapsh() {
        XCTAssertEqual(FactParser.capabilities(["found=1", "Current: =ep", "rc=0"]),
                       ["system_capabilities_enforced": "False", "system_capabilities": .list([])])
        XCTAssertEqual(FactParser.capabilities(["found=1", "Current: =ep cap_sys_resource,cap_bpf-ep", "rc=0"]),
                       ["system_capabilities_enforced": "True", "system_capabilities": .list(["ep cap_sys_resource", "cap_bpf-ep"])])
    }

    func testSecondaryAddressesIPv6AndBridges() {
        let s: [String: [String]] = [
            "net": ["if=br0", "address=02:00:00:00:00:01", "mtu=1500", "operstate=up", "type=1", "flags=0x1103", "bridge=1",
                    "bridge_id=8000.020000000001", "stp_state=0", "brif=veth1", "if=eth0", "address=02:00:00:00:00:02",
                    "mtu=1500", "operstate=down", "type=1", "flags=0x1002", "module=virtio_net", "pciid=virtio0"],
            "net_addr": [
                #"3: br0    inet 10.0.0.1/24 brd 10.0.0.255 scope global br0\       valid_lft forever preferred_lft forever"#,
                #"3: br0    inet 10.0.0.2/24 brd 10.0.0.255 scope global secondary br0:1\       valid_lft forever"#,
                #"3: br0    inet6 fd00::1/64 scope global \       valid_lft forever preferred_lft forever"#,
                #"3: br0    inet6 fe80::1/64 scope link \       valid_lft forever preferred_lft forever"#,
            ],
            "route6": ["2404:6800:400a:800::1012 from :: via fd00::fe dev br0 src fd00::1 metric 1024 pref medium"],
        ]
        var renamed = s
        renamed["net"] = (s["net"] ?? []).map { $0 == "if=br0" ? "if=br-lan" : $0 }
        renamed["net_addr"] = (s["net_addr"] ?? []).map { $0.replacingOccurrences(of: " br0 ", with: " br-lan ") }
        let dashed = FactParser.networkFacts(renamed)
        XCTAssertEqual(dashed["interfaces"], .list(["br-lan", "eth0", "br0_1"]), "an aliased address (br0:1) is listed too, as Ansible")
        XCTAssertEqual(dashed["br_lan"]?["device"], .string("br-lan"))
        XCTAssertNil(dashed["br-lan"])
        let f = FactParser.networkFacts(s)
        let br = f["br0"]
        XCTAssertEqual(br?["type"], .string("bridge"))
        XCTAssertEqual(br?["interfaces"], .list(["veth1"]))
        XCTAssertEqual(br?["stp"], .bool(false))
        XCTAssertEqual(br?["promisc"], .bool(true))
        XCTAssertEqual(br?["ipv4"]?["address"], .string("10.0.0.1"))
        XCTAssertEqual(br?["ipv4_secondaries"]?.listValue?.first?["address"], .string("10.0.0.2"))
        XCTAssertEqual(f["br0_1"]?["ipv4_secondaries"]?.listValue?.count, 1)
        XCTAssertEqual(br?["ipv6"]?.listValue?.count, 2)
        XCTAssertEqual(f["eth0"]?["active"], .bool(false))
        XCTAssertEqual(f["eth0"]?["module"], .string("virtio_net"))
        XCTAssertEqual(f["all_ipv6_addresses"], .list(["fd00::1", "fe80::1"]))
        XCTAssertEqual(f["default_ipv6"], .dict(["interface": "br0", "address": "fd00::1", "gateway": "fd00::fe", "prefix": "64",
                                                 "scope": "global", "macaddress": "02:00:00:00:00:01", "mtu": 1500, "type": "bridge"]))
    }

    func testMountsUnescapeAndDevicesPartitions() {
        let m = FactParser.mounts(mtab: [#"/dev/sda1 /mnt/my\040disk ext4 rw 0 0"#, "tmpfs /run tmpfs rw 0 0"],
                                  statfs: ["4096 4096 100 50 40 10 5 /mnt/my disk"],
                                  lsblk: ["/dev/sda1 1234-ABCD"], binds: [])
        XCTAssertEqual(m.listValue?.count, 1)
        XCTAssertEqual(m.listValue?.first?["mount"], .string("/mnt/my disk"))
        XCTAssertEqual(m.listValue?.first?["uuid"], .string("1234-ABCD"))
        XCTAssertEqual(m.listValue?.first?["size_available"], .int(4096 * 40))
        let h = FactParser.hardwareFacts(["block": ["dev=sda", "size=1953525168", "queue/logical_block_size=512",
                                                    "part=sda1", "pstart=2048", "psize=1048576",
                                                    "link_uuid=lrwxrwxrwx 1 root root 10 Dec  4 05:00 1234-ABCD -> ../../sda1"]])
        XCTAssertEqual(h["devices"]?["sda"]?["size"], .string("931.51 GB"))
        XCTAssertEqual(h["devices"]?["sda"]?["partitions"]?["sda1"]?["size"], .string("512.00 MB"))
        XCTAssertEqual(h["devices"]?["sda"]?["partitions"]?["sda1"]?["uuid"], .string("1234-ABCD"))
        XCTAssertEqual(h["device_links"]?["uuids"]?["sda1"], .list(["1234-ABCD"]))
    }

    func testLocalFactsINIAndErrors() {
        XCTAssertEqual(FactParser.ini("[DEFAULT]\nx = 1\n[a]\nKey: v\n"), .dict(["a": .dict(["key": "v", "x": "1"])]))
        XCTAssertNil(FactParser.ini("key=v\n"))
        let s: [String: [String]] = ["local": ["path=/etc/ansible/facts.d"], "local:bad": ["#rc=2", "#err=boom"],
                                     "local:junk": ["|not json nor ini"]]
        let l = FactParser.localFacts(s)
        XCTAssertEqual(l["bad"], .string("Failure executing fact script (/etc/ansible/facts.d/bad.fact), rc: 2, err: boom"))
        XCTAssertEqual(l["junk"], .string("error loading facts as JSON or ini - please check content: /etc/ansible/facts.d/junk.fact"))
    }

    func testScriptCarriesTheFactPath() {
        XCTAssertTrue(FactScript.text(factPath: "/srv/my facts").hasPrefix("FACT_PATH='/srv/my facts'\n"))
        XCTAssertTrue(FactScript.text.hasPrefix("FACT_PATH=/etc/ansible/facts.d\n"))
        XCTAssertTrue(FactScript.text.hasSuffix("s end\nexit 0\n"))
    }

    /// Recorded on the development machine (root, bridges, veths, IPv6 with a gateway, /dev/kvm);
    /// expected values are what Ansible 2.14's setup gave there at the same time.
    func testRecordedHostWithBridgesAndIPv6() throws {
        let f = FactParser.parse(try fixtureText("facts/controller-bridges-ipv6.txt")).unprefixed
        XCTAssertEqual(f["br_05edddbf5d41"], try XCTUnwrap(Value(jsonText: #"""
            {"active": true, "device": "br-05edddbf5d41", "id": "8000.024281698786", "interfaces": ["veth00880a2", "veth3924aea"],
             "ipv4": {"address": "172.31.88.1", "broadcast": "172.31.88.255", "netmask": "255.255.255.0", "network": "172.31.88.0",
                      "prefix": "24"},
             "ipv6": [{"address": "fe80::42:81ff:fe69:8786", "prefix": "64", "scope": "link"}], "macaddress": "02:42:81:69:87:86",
             "mtu": 1500, "promisc": false, "speed": 10000, "stp": false, "type": "bridge"}
            """#)))
        XCTAssertEqual(f["eth0"], try XCTUnwrap(Value(jsonText: #"""
            {"active": true, "device": "eth0",
             "ipv4": {"address": "192.0.2.2", "broadcast": "192.0.2.255", "netmask": "255.255.255.0", "network": "192.0.2.0", "prefix": "24"},
             "ipv6": [{"address": "fd00::2", "prefix": "64", "scope": "global"}, {"address": "fe80::fc:ff:fe00:1", "prefix": "64", "scope": "link"}],
             "macaddress": "02:fc:00:00:00:01", "mtu": 1400, "pciid": "virtio2", "promisc": false, "speed": -1, "type": "ether"}
            """#)))
        XCTAssertEqual(f["default_ipv6"], try XCTUnwrap(Value(jsonText: #"""
            {"address": "fd00::2", "gateway": "fd00::1", "interface": "eth0", "macaddress": "02:fc:00:00:00:01", "mtu": 1400,
             "prefix": "64", "scope": "global", "type": "ether"}
            """#)))
        XCTAssertEqual(f["all_ipv6_addresses"], .list(["fe80::42:c7ff:fedc:8421", "fe80::42:81ff:fe69:8786", "fe80::64d1:bdff:fefd:2f9a",
                                                       "fd00::2", "fe80::fc:ff:fe00:1", "fe80::3c73:deff:fedd:9d9a",
                                                       "fe80::1499:a2ff:fecb:aee4"]))
        XCTAssertEqual(f["virtualization_type"], .string("docker"))
        XCTAssertEqual(f["virtualization_role"], .string("guest"))
        XCTAssertEqual(f["virtualization_tech_host"], .list(["kvm"]))
        XCTAssertEqual(f["virtualization_tech_guest"], .list(["docker", "container"]))
        XCTAssertEqual(f["devices"]?["vda"], try XCTUnwrap(Value(jsonText: #"""
            {"holders": [], "host": "", "links": {"ids": [], "labels": [], "masters": [], "uuids": []}, "model": null,
             "partitions": {}, "removable": "0", "rotational": "1", "sas_address": null, "sas_device_handle": null,
             "scheduler_mode": "mq-deadline", "sectors": "536870912", "sectorsize": "512", "size": "256.00 GB",
             "support_discard": "4096", "vendor": "0x1af4", "virtual": 1}
            """#)))
        XCTAssertEqual(f["is_chroot"], .bool(false))
        XCTAssertEqual(f["system_capabilities_enforced"], .string("True"))
    }

    func testLVMAsRootAndResolvConfForms() {
        let lines = ["vg=vg0,1,2,0,wz--n-,99.99,20.00", "lv=root,vg0,-wi-ao----,50.00,,,,,,,,",
                     "pv=/dev/sda2,vg0,lvm2,a--,99.99,20.00"]
        XCTAssertEqual(FactParser.lvm(lines, root: true), .dict([
            "lvs": .dict(["root": .dict(["size_g": "50.00", "vg": "vg0"])]),
            "vgs": .dict(["vg0": .dict(["size_g": "99.99", "free_g": "20.00", "num_lvs": "2", "num_pvs": "1"])]),
            "pvs": .dict(["/dev/sda2": .dict(["size_g": "99.99", "free_g": "20.00", "vg": "vg0"])]),
        ]))
        XCTAssertEqual(FactParser.lvm(lines, root: false), .string("N/A"))
        XCTAssertEqual(FactParser.dns(["# c", "domain lan", "search lan example.org", "nameserver 10.0.0.1", "nameserver ::1",
                                       "options rotate timeout:2"]),
                       .dict(["domain": "lan", "search": ["lan", "example.org"], "nameservers": ["10.0.0.1", "::1"],
                              "options": .dict(["rotate": true, "timeout": "2"])]))
    }

    func testEthtoolFeaturesAndTimestamping() {
        let net = ["if=eth0", "mtu=1500", "ethtool_k=1", "k=Features for eth0:", "k=rx-checksumming: on",
                   "k=\ttx-checksum-ipv4: off [fixed]", "ethtool_t=1", "t=Time stamping parameters for eth0:",
                   "t=\thardware-transmit     (SOF_TIMESTAMPING_TX_HARDWARE)", "t=\tsoftware-receive     (SOF_TIMESTAMPING_RX_SOFTWARE)",
                   "t=PTP Hardware Clock: 0", "t=\tall                   (HWTSTAMP_FILTER_ALL)"]
        let eth0 = FactParser.networkFacts(["net": net])["eth0"]
        XCTAssertEqual(eth0?["features"], .dict(["rx_checksumming": "on", "tx_checksum_ipv4": "off [fixed]"]))
        XCTAssertEqual(eth0?["timestamping"], .list(["tx_hardware", "rx_software"]))
        XCTAssertEqual(eth0?["hw_timestamp_filters"], .list(["all"]))
        XCTAssertEqual(eth0?["phc_index"], .int(0))
    }
}
