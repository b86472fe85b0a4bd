/// mount and ufw cases (all named `… [mu]`, so `PROVISION_TWIN_ONLY=[mu]` runs just these).
extension ModuleTwinLabTests {
    static let mountCases: [Case] = [
        Case(name: "mount present in fstab [mu]", tasks: """
            - shell: printf '# twin fstab\\n/dev/sdz1 /srv/old ext4 defaults 0 2\\n\\n/dev/sdz2 /srv/keep ext4 ro\\n' > /etc/twin.fstab
            - ansible.posix.mount: {path: /srv/new dir, src: /dev/sdz3, fstype: ext4, fstab: /etc/twin.fstab, state: present}
              check_mode: true
            - ansible.posix.mount: {path: /srv/new dir, src: /dev/sdz3, fstype: ext4, fstab: /etc/twin.fstab, state: present}
              register: r
            - name: probe mount result
              debug: {msg: "{{ [r.name, r.src, r.fstype, r.opts, r.dump, r.passno, r.fstab, r.boot, r.backup_file] | to_json }}"}
            - mount: {path: /srv/new dir, src: /dev/sdz3, fstype: ext4, fstab: /etc/twin.fstab, state: present}
            - mount: {path: /srv/old, src: /dev/sdz1, fstype: xfs, opts: noatime, boot: false, passno: "2", fstab: /etc/twin.fstab, state: present}
              register: s
            - name: probe boot
              debug: {msg: "{{ [s.opts, s.boot] | to_json }}"}
            - mount: {path: /srv/keep, src: /dev/sdz2, fstype: ext4, opts: ro, fstab: /etc/twin.fstab, state: present}
            - mount: {path: /srv/old, fstab: /etc/twin.fstab, state: absent_from_fstab}
            - mount: {path: /srv/old, fstab: /etc/twin.fstab, state: absent_from_fstab}
            - mount: {path: /srv/none, fstab: /etc/twin-new/fstab, src: a, fstype: b, state: present}
            """, state: "cat /etc/twin.fstab /etc/twin-new/fstab"),
        Case(name: "mount tmpfs mounted, unmounted, absent [mu]", tasks: """
            - mount: {path: /mnt/twin-tmp/a, src: tmpfs, fstype: tmpfs, opts: size=1m, state: mounted}
              check_mode: true
            - mount: {path: /mnt/twin-tmp/a, src: tmpfs, fstype: tmpfs, opts: size=1m, state: mounted}
            - mount: {path: /mnt/twin-tmp/a, src: tmpfs, fstype: tmpfs, opts: size=1m, state: mounted}
            - mount: {path: /mnt/twin-tmp/a, src: tmpfs, fstype: tmpfs, opts: "size=2m", state: mounted}
            - mount: {path: /mnt/twin-tmp/a, state: remounted}
            - mount: {path: /mnt/twin-tmp/a, state: unmounted}
            - mount: {path: /mnt/twin-tmp/a, state: unmounted}
            - mount: {path: /mnt/twin-bind, src: /etc, fstype: none, opts: bind, state: ephemeral}
            - mount: {path: /mnt/twin-bind, src: /etc, fstype: none, opts: bind, state: ephemeral}
            - mount: {path: /mnt/twin-bind, state: unmounted}
            - mount: {path: /mnt/twin-tmp/a, state: absent}
            """, state: "grep twin /proc/mounts | cut -d' ' -f1-3; cat /etc/fstab; ls /mnt/twin-tmp; ls -d /mnt/twin-bind"),
        Case(name: "mount mounted without fstype [mu]", tasks: "- mount: {path: /mnt/x, src: tmpfs, state: mounted}", badArgument: true),
    ]

    static let ufwCases: [Case] = [
        Case(name: "ufw rules [mu]", tasks: """
            - apt: {name: ufw}
            - shell: ufw --force reset >/dev/null && rm -f /etc/ufw/*.rules.[0-9]*
            - community.general.ufw: {rule: allow, port: "22", proto: tcp, comment: ssh}
              check_mode: true
            - community.general.ufw: {rule: allow, port: "22", proto: tcp, comment: ssh}
              register: r
            - name: probe commands
              debug: {msg: "{{ r.commands | to_json }}"}
            - ufw: {rule: allow, port: "22", proto: tcp, comment: ssh}
            - ufw: {rule: allow, port: "22", proto: tcp, comment: ssh}
              check_mode: true
            - ufw: {rule: deny, from_ip: 10.0.0.0/8, to_port: "25", direction: in}
            - ufw: {rule: limit, name: OpenSSH, insert: 1}
            - ufw: {rule: allow, port: "22", proto: tcp, delete: true}
            - ufw: {rule: allow, port: "22", proto: tcp, delete: true}
            - ufw: {logging: low}
            - ufw: {logging: low}
            - ufw: {default: deny, direction: outgoing}
              check_mode: true
            - ufw: {default: deny, direction: outgoing}
            - ufw: {policy: allow, direction: outgoing}
            """, state: "grep -h '^### tuple' /etc/ufw/user.rules /etc/ufw/user6.rules; grep -E '^(LOGLEVEL|DEFAULT_)' /etc/ufw/ufw.conf /etc/default/ufw"),
        Case(name: "ufw enable and disable [mu]", tasks: """
            - ufw: {state: enabled}
              check_mode: true
            - ufw: {state: enabled}
              register: r
            - name: probe status
              debug: {msg: "{{ r.msg | to_json }}"}
            - ufw: {state: enabled}
            - ufw: {state: disabled}
            - ufw: {state: reset}
            """, state: "ufw status verbose; grep -c '^### tuple' /etc/ufw/user.rules"),
        Case(name: "ufw default with direction in [mu]", tasks: "- ufw: {default: deny, direction: in}"),
        Case(name: "ufw without a command [mu]", tasks: "- ufw: {direction: in}", badArgument: true),
    ]
}
