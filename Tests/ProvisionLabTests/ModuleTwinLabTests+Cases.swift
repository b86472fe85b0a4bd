/// The cases, in the order they run on the shared twins: later cases build on earlier state
/// (cron and locale_gen need the packages the apt cases install).
extension ModuleTwinLabTests {
    static let cases: [Case] = setupCases + aptCases + sysctlCases + cronCases + modprobeCases + timezoneCases + localeCases
        + repoCases + dpkgCases + factsCases + debconfCases + alternativesCases + mountCases + ufwCases + serviceCases
        // pip installs python3 on the provision twin too: its cases run last.
        + aptKeyCases + pipCases

    static let aptCases: [Case] = [
        Case(name: "apt install with cache update", tasks: """
            - name: install
              apt: {name: [cron, locales], update_cache: true, install_recommends: false}
              register: r
            - name: probe cache_updated
              debug: {msg: "{{ r.cache_updated | to_json }}"}
            """, state: "dpkg-query -W -f='${Package} ${Status}\\n' cron locales"),
        Case(name: "apt re-run and cache_valid_time", tasks: """
            - apt: {name: cron, cache_valid_time: 3600}
            - apt: {pkg: [cron], state: present}
            - apt: {name: cron, default_release: ""}
            """),
        Case(name: "apt remove in check mode", tasks: """
            - apt: {name: cron, state: absent, purge: true}
            """, check: true, state: "dpkg-query -W -f='${Package} ${Status}\\n' cron"),
        Case(name: "apt absent of a missing package", tasks: """
            - apt: {name: sl, state: absent}
            """),
        Case(name: "apt bad argument", tasks: "- apt: {name: cron, stat: present}", badArgument: true),
    ]

    static let sysctlCases: [Case] = [
        Case(name: "sysctl into a file, no reload", tasks: """
            - sysctl: {name: net.ipv4.tcp_syncookies, value: "1", sysctl_file: /etc/sysctl.d/60-twin.conf, reload: false}
            - sysctl: {name: net.ipv4.tcp_syncookies, value: "1", sysctl_file: /etc/sysctl.d/60-twin.conf, reload: false}
            - sysctl: {key: net.ipv4.conf.all.rp_filter, val: "2", sysctl_file: /etc/sysctl.d/60-twin.conf, reload: false}
            """, state: "cat /etc/sysctl.d/60-twin.conf"),
        Case(name: "sysctl change in check mode", tasks: """
            - sysctl: {name: net.ipv4.tcp_syncookies, value: "0", sysctl_file: /etc/sysctl.d/60-twin.conf, reload: false}
            """, check: true, state: "cat /etc/sysctl.d/60-twin.conf"),
        Case(name: "sysctl set live with reload", tasks: """
            - sysctl: {name: net.ipv4.ip_forward, value: yes, sysctl_set: true, sysctl_file: /etc/sysctl.d/61-twin.conf}
            - sysctl: {name: net.ipv4.ip_forward, value: "1", sysctl_set: true, sysctl_file: /etc/sysctl.d/61-twin.conf}
            """, state: "cat /etc/sysctl.d/61-twin.conf; cat /proc/sys/net/ipv4/ip_forward"),
        Case(name: "sysctl live value differs from the file", tasks: """
            - shell: sysctl -w net.ipv4.ip_forward=0
            - sysctl: {name: net.ipv4.ip_forward, value: "1", sysctl_file: /etc/sysctl.d/61-twin.conf}
            """, state: "cat /proc/sys/net/ipv4/ip_forward"),
        Case(name: "sysctl absent", tasks: """
            - sysctl: {name: net.ipv4.conf.all.rp_filter, state: absent, sysctl_file: /etc/sysctl.d/60-twin.conf, reload: false}
            - sysctl: {name: net.ipv4.conf.all.rp_filter, state: absent, sysctl_file: /etc/sysctl.d/60-twin.conf, reload: false}
            """, state: "cat /etc/sysctl.d/60-twin.conf"),
        Case(name: "sysctl unknown key fails on reload, ignoreerrors too", tasks: """
            - sysctl: {name: net.twin.nothing, value: "1", sysctl_file: /etc/sysctl.d/62-twin.conf}
              ignore_errors: true
            - sysctl: {name: kernel.twin_nothing, value: "1", sysctl_file: /etc/sysctl.d/63-twin.conf, ignoreerrors: true}
            """, state: "cat /etc/sysctl.d/62-twin.conf /etc/sysctl.d/63-twin.conf"),
        Case(name: "sysctl without value", tasks: "- sysctl: {name: net.ipv4.ip_forward}", badArgument: true),
        Case(name: "sysctl bad argument", tasks: "- sysctl: {name: net.ipv4.ip_forward, valu: 1}", badArgument: true),
    ]

    static let cronCases: [Case] = [
        Case(name: "cron job for a user", tasks: """
            - cron: {name: twin backup, job: /usr/local/bin/backup, minute: "5", hour: "2", user: pi}
              register: r
            - name: probe jobs
              debug: {msg: "{{ r.jobs | to_json }}"}
            - cron: {name: twin backup, job: /usr/local/bin/backup, minute: "5", hour: "2", user: pi}
            - cron: {name: twin reboot, job: /bin/true, special_time: reboot, user: pi}
            - cron: {name: MAILTO, env: true, job: ops@example.org, user: pi}
              register: e
            - name: probe envs
              debug: {msg: "{{ e.envs | to_json }}"}
            """, state: "crontab -u pi -l"),
        Case(name: "cron disable in check mode with diff", tasks: """
            - cron: {name: twin backup, job: /usr/local/bin/backup, minute: "5", hour: "2", user: pi, disabled: true}
            """, check: true, diff: true, state: "crontab -u pi -l"),
        Case(name: "cron disable, then absent", tasks: """
            - cron: {name: twin backup, job: /usr/local/bin/backup, minute: "5", hour: "2", user: pi, disabled: true}
            - cron: {name: twin reboot, state: absent, user: pi}
            - cron: {name: twin reboot, state: absent, user: pi}
            - cron: {name: MAILTO, env: true, state: absent, user: pi}
            """, state: "crontab -u pi -l"),
        Case(name: "cron file under /etc/cron.d", tasks: """
            - cron: {name: twin daily, cron_file: twin, user: root, special_time: daily, job: /bin/true}
              register: r
            - name: probe cron_file
              debug: {msg: "{{ r.cron_file | to_json }}"}
            - cron: {name: twin daily, cron_file: twin, user: root, special_time: daily, job: /bin/true}
            """, state: "cat /etc/cron.d/twin; stat -c %a /etc/cron.d/twin"),
        Case(name: "cron file removed with its last job", tasks: """
            - cron: {name: twin daily, cron_file: twin, state: absent}
            - cron: {name: twin daily, cron_file: twin, state: absent}
            """, state: "ls /etc/cron.d"),
        Case(name: "cron special_time with minute", tasks: """
            - cron: {name: bad, job: /bin/true, special_time: daily, minute: "5"}
            """, badArgument: true),
    ]

    /// The lab's kernel has no module support (no /proc/modules): both fail the same way. The
    /// persistent files are checked by SystemModuleTests against a stand-in /proc/modules.
    static let modprobeCases: [Case] = [
        Case(name: "modprobe without module support", tasks: "- modprobe: {name: twinfs, persistent: present}", badArgument: true),
    ]

    /// Zones at UTC+0 without summer time only: the nodes share this machine's kernel, and the
    /// first time zone set since boot makes the kernel shift its clock by the zone's offset
    /// (settimeofday's "warp"), which would move this machine's clock.
    static let timezoneCases: [Case] = [
        Case(name: "timezone set", tasks: """
            - timezone: {name: Africa/Abidjan}
              register: r
            - name: probe diff
              debug: {msg: "{{ r.diff | to_json }}"}
            - timezone: {name: Africa/Abidjan}
            """, state: "readlink /etc/localtime"),
        Case(name: "timezone in check mode", tasks: "- timezone: {name: Atlantic/Reykjavik}", check: true, state: "readlink /etc/localtime"),
        Case(name: "timezone that does not exist", tasks: "- timezone: {name: Mars/Olympus}", badArgument: true),
    ]

    static let localeCases: [Case] = [
        Case(name: "locale_gen present", tasks: """
            - locale_gen: {name: de_DE.UTF-8}
            - locale_gen: {name: de_DE.UTF-8}
            - locale_gen: {name: fr_FR.UTF-8}
              check_mode: true
            """, state: "locale -a; grep -v '^#' /etc/locale.gen"),
        Case(name: "locale_gen absent", tasks: """
            - locale_gen: {name: de_DE.UTF-8, state: absent}
            - locale_gen: {name: de_DE.UTF-8, state: absent}
            """, state: "locale -a"),
        Case(name: "locale_gen of an unknown locale", tasks: "- locale_gen: {name: xx_YY.UTF-8}", badArgument: true),
    ]
}

extension ModuleTwinLabTests {
    /// Facts that are the same on both twins (same image, same machine), with their types.
    static let setupCases: [Case] = [
        Case(name: "setup facts roles test", tasks: """
            - setup:
            - name: probe facts
              debug:
                msg: >-
                  {{ [ansible_os_family, ansible_distribution, ansible_distribution_version,
                      ansible_distribution_major_version, ansible_distribution_release, ansible_architecture,
                      ansible_machine, ansible_processor_vcpus, ansible_processor_cores, ansible_processor_count,
                      ansible_memtotal_mb, ansible_service_mgr, ansible_pkg_mgr, ansible_kernel, ansible_user_id,
                      ansible_lsb, ansible_date_time.tz, ansible_date_time.date, ansible_env.HOME,
                      ansible_default_ipv4.prefix, ansible_default_ipv4.mtu, ansible_default_ipv4.netmask,
                      ansible_default_ipv4.network, ansible_default_ipv4.type, ansible_all_ipv4_addresses | length,
                      ansible_hostname == inventory_hostname, ansible_user_shell] | to_json }}
            - setup: {gather_subset: ["!all"], filter: ["ansible_distribution*"]}
              register: f
            - name: probe filtered facts
              debug: {msg: "{{ f.ansible_facts | list | reject('equalto', 'ansible_facts') | sort | to_json }}"}
            """),
        Case(name: "setup bad subset", tasks: "- setup: {gather_subset: [nothing]}", badArgument: true),
    ]
}

extension ModuleTwinLabTests {
    static let repoCases: [Case] = [
        Case(name: "apt_repository add without cache update", tasks: """
            - apt_repository: {repo: "deb http://deb.debian.org/debian bookworm-backports main", update_cache: false}
              register: r
            - name: probe repo result
              debug: {msg: "{{ [r.repo, r.state] | to_json }}"}
            - apt_repository: {repo: "deb  http://deb.debian.org/debian   bookworm-backports main", update_cache: false}
            - apt_repository:
                repo: "deb [arch=amd64] http://deb.debian.org/debian bookworm-updates contrib"
                filename: twin
                mode: "0600"
                update_cache: false
            """, state: "cd /etc/apt/sources.list.d && for f in *.list; do echo \"$f $(stat -c %a $f)\"; cat $f; done"),
        Case(name: "apt_repository removal in check mode with diff", tasks: """
            - apt_repository: {repo: "deb http://deb.debian.org/debian bookworm-backports main", state: absent, update_cache: false}
            """, check: true, diff: true, state: "ls /etc/apt/sources.list.d"),
        Case(name: "apt_repository removal deletes the emptied file", tasks: """
            - apt_repository: {repo: "deb http://deb.debian.org/debian bookworm-backports main", state: absent, update_cache: false}
            - apt_repository: {repo: "deb http://deb.debian.org/debian bookworm-backports main", state: absent, update_cache: false}
            - apt_repository: {repo: "deb [arch=amd64] http://deb.debian.org/debian bookworm-updates contrib", state: absent, update_cache: false}
            """, state: "ls /etc/apt/sources.list.d"),
        Case(name: "apt_repository with the cache update", tasks: """
            - apt_repository: {repo: "deb http://deb.debian.org/debian bookworm-backports main"}
            """, state: "ls /var/lib/apt/lists | grep -c bookworm-backports_main"),
        Case(name: "apt_repository of a line that is no repository", tasks: "- apt_repository: {repo: \"not a repository\"}",
             badArgument: true),
    ]

    static let dpkgCases: [Case] = [
        Case(name: "dpkg_selections hold and back", tasks: """
            - dpkg_selections: {name: cron, selection: hold}
            - dpkg_selections: {name: cron, selection: hold}
            - dpkg_selections: {name: cron, selection: install}
              check_mode: true
            """, state: "dpkg --get-selections cron"),
        Case(name: "dpkg_selections install", tasks: "- dpkg_selections: {name: cron, selection: install}",
             state: "dpkg --get-selections cron"),
        Case(name: "dpkg_selections bad selection", tasks: "- dpkg_selections: {name: cron, selection: keep}", badArgument: true),
    ]

    static let factsCases: [Case] = [
        Case(name: "package_facts", tasks: """
            - package_facts:
            - name: probe packages
              debug:
                msg: >-
                  {{ [ansible_facts.packages['cron'][0].name, ansible_facts.packages['cron'][0].version,
                      ansible_facts.packages['cron'][0].arch, ansible_facts.packages['cron'][0].category,
                      ansible_facts.packages['cron'][0].source, ansible_facts.packages['cron'] | length,
                      'locales' in ansible_facts.packages, 'sl' in ansible_facts.packages,
                      ansible_facts.packages['libc6'][0].arch] | to_json }}
            """),
        Case(name: "service_facts", tasks: """
            - service_facts:
            - name: probe services
              debug:
                msg: >-
                  {{ [ansible_facts.services['ssh.service'], ansible_facts.services['cron.service'],
                      ansible_facts.services['cron'], ansible_facts.services['getty@.service'],
                      ansible_facts.services['procps']] | to_json }}
            """),
        // The facts of Ansible's setup beyond the basics: values that the twins share (same
        // image, kernel and network), and the types and keys of those that differ per host.
        Case(name: "setup extended facts", tasks: #"""
            - shell: >-
                mkdir -p /etc/ansible/facts.d && printf '[Sec]\nKey=v\n' > /etc/ansible/facts.d/twin.fact &&
                printf '#!/bin/sh\necho "{\\"n\\": [1, 2]}"\n' > /etc/ansible/facts.d/twinx.fact &&
                chmod +x /etc/ansible/facts.d/twinx.fact
            - setup:
            - name: probe shared values
              debug:
                msg: >-
                  {{ [ansible_fips, ansible_apparmor, ansible_selinux, ansible_dns, ansible_local, ansible_lvm,
                      ansible_form_factor, ansible_product_name, ansible_product_serial, ansible_system_vendor,
                      ansible_bios_date, ansible_board_name, ansible_chassis_vendor, ansible_product_uuid,
                      ansible_virtualization_type, ansible_virtualization_role,
                      ansible_virtualization_tech_guest | sort, ansible_virtualization_tech_host | sort,
                      ansible_effective_user_id, ansible_effective_group_id, ansible_real_user_id, ansible_real_group_id,
                      ansible_is_chroot, ansible_userspace_bits, ansible_userspace_architecture,
                      ansible_interfaces | sort, ansible_all_ipv6_addresses, ansible_default_ipv6,
                      ansible_hostnqn, ansible_iscsi_iqn, ansible_fibre_channel_wwn, ansible_cmdline, ansible_proc_cmdline,
                      ansible_swapfree_mb, ansible_memory_mb.real.total, ansible_memory_mb.swap,
                      ansible_ssh_host_key_ed25519_public_keytype, ansible_ssh_host_key_rsa_public_keytype,
                      ansible_facts.module_setup] | to_json }}
            - name: probe shapes
              debug:
                msg: >-
                  {{ [ansible_eth0 | dict2items | map(attribute='key') | sort, ansible_eth0.ipv4 | dict2items | map(attribute='key') | sort,
                      ansible_eth0.mtu, ansible_eth0.type, ansible_eth0.speed, ansible_eth0.promisc, ansible_eth0.active,
                      ansible_lo.ipv4, ansible_lo.mtu, ansible_lo.type,
                      ansible_memory_mb | dict2items | map(attribute='key') | sort,
                      ansible_loadavg | dict2items | map(attribute='key') | sort, ansible_loadavg['1m'] | type_debug,
                      ansible_uptime_seconds | type_debug, ansible_machine_id | length, ansible_ssh_host_key_ed25519_public is string,
                      ansible_mounts | map(attribute='mount') | sort, ansible_mounts[0] | dict2items | map(attribute='key') | sort,
                      ansible_mounts | map(attribute='fstype') | unique | sort, ansible_mounts | map(attribute='options') | sort,
                      ansible_devices | dict2items | map(attribute='key') | sort, ansible_devices.loop0,
                      ansible_devices.vda | dict2items | map(attribute='key') | sort, ansible_devices.vda.size,
                      ansible_device_links] | to_json }}
            """#, state: "ls /etc/ansible/facts.d"),
    ]
}

extension ModuleTwinLabTests {
    static let debconfCases: [Case] = [
        Case(name: "debconf answer", tasks: """
            - debconf: {name: locales, question: locales/default_environment_locale, vtype: select, value: C.UTF-8}
              check_mode: true
            - debconf: {name: locales, question: locales/default_environment_locale, vtype: select, value: C.UTF-8}
              register: r
            - name: probe debconf result
              debug: {msg: "{{ [r.current, r.previous] | to_json }}"}
            - debconf: {pkg: locales, setting: locales/default_environment_locale, vtype: select, answer: C.UTF-8}
            """, state: "debconf-show locales | sort"),
        Case(name: "debconf question without vtype", tasks: "- debconf: {name: locales, question: locales/default_environment_locale, value: x}",
             badArgument: true),
    ]
}

extension ModuleTwinLabTests {
    static let alternativesCases: [Case] = [
        Case(name: "alternatives install, select, auto, remove", tasks: """
            - shell: printf '#!/bin/sh\\n' > /usr/local/bin/twin-a && printf '#!/bin/sh\\n' > /usr/local/bin/twin-b && chmod +x /usr/local/bin/twin-a /usr/local/bin/twin-b
            - alternatives: {name: twin, link: /usr/local/bin/twin, path: /usr/local/bin/twin-a, priority: 10, state: present}
              register: r
            - name: probe msg
              debug: {msg: "{{ r.msg | to_json }}"}
            - alternatives: {name: twin, link: /usr/local/bin/twin, path: /usr/local/bin/twin-a, priority: 10, state: present}
            - alternatives: {name: twin, path: /usr/local/bin/twin-b, priority: 20, state: present}
            - alternatives: {name: twin, path: /usr/local/bin/twin-a}
              check_mode: true
            - alternatives: {name: twin, path: /usr/local/bin/twin-a}
              register: s
            - name: probe selected msg
              debug: {msg: "{{ s.msg | to_json }}"}
            - alternatives: {name: twin, path: /usr/local/bin/twin-a, state: auto}
            - alternatives: {name: twin, path: /usr/local/bin/twin-b, state: absent}
            - alternatives: {name: twin, path: /usr/local/bin/twin-b, state: absent}
            """, state: "update-alternatives --query twin"),
        Case(name: "alternatives of a missing path", tasks: "- alternatives: {name: twin2, link: /usr/local/bin/twin2, path: /nonexistent}",
             badArgument: true),
    ]
}
