/// systemd / systemd_service / service on a unit the cases install, so both twins start the
/// same: daemon_reload, started/stopped/restarted/reloaded, enabled, masked, check mode, the
/// keys roles read back (`name`, `state`, `enabled`, `status.ActiveState`), a missing unit.
extension ModuleTwinLabTests {
    static let serviceCases: [Case] = [
        Case(name: "systemd_service starts and enables a new unit after daemon_reload", tasks: """
            - copy:
                dest: /etc/systemd/system/twin.service
                content: |
                  [Unit]
                  Description=twin
                  [Service]
                  ExecStart=/bin/sleep 100000
                  ExecReload=/bin/true
                  [Install]
                  WantedBy=multi-user.target
            - ansible.builtin.systemd_service: {name: twin, state: started, enabled: true, daemon_reload: true}
              register: r
            - name: probe started
              debug: {msg: "{{ [r.name, r.state, r.enabled, r.status.ActiveState] | to_json }}"}
            - ansible.builtin.systemd_service: {name: twin.service, state: started, enabled: true}
            """, state: "systemctl is-active twin; systemctl is-enabled twin"),
        Case(name: "systemd stop in check mode", tasks: """
            - systemd: {name: twin, state: stopped}
            """, check: true, state: "systemctl is-active twin"),
        Case(name: "systemd via service: restarted and reloaded act every time", tasks: """
            - service: {name: twin, state: restarted}
            - service: {name: twin, state: reloaded}
            - service: {name: twin, state: reloaded}
            """, state: "systemctl is-active twin"),
        Case(name: "service options of init scripts are dropped on systemd, as Ansible", tasks: """
            - service: {name: twin, state: restarted, sleep: 1, pattern: sleep, use: auto}
              register: r
            - name: probe service result
              debug: {msg: "{{ [r.name, r.state, r.changed] | to_json }}"}
            - ansible.builtin.service: {name: twin, state: started, runlevel: "3", arguments: "-x"}
            """, state: "systemctl is-active twin"),
        Case(name: "systemd stop, disable, then mask", tasks: """
            - systemd: {name: twin, state: stopped, enabled: false}
              register: r
            - name: probe stopped
              debug: {msg: "{{ [r.state, r.enabled] | to_json }}"}
            - systemd: {name: twin, state: stopped, enabled: false}
            - systemd: {name: twin, masked: true}
            - systemd: {name: twin, masked: true}
            """, state: "systemctl is-active twin; systemctl is-enabled twin || true"),
        Case(name: "systemd unmask and reloaded starts a stopped unit", tasks: """
            - systemd: {name: twin, masked: false}
            - systemd: {name: twin, state: reloaded}
            """, state: "systemctl is-active twin"),
        Case(name: "systemd daemon_reload alone", tasks: "- systemd: {daemon_reload: true}"),
        Case(name: "systemd on a unit that does not exist", tasks: "- systemd: {name: twin-nothing, state: started}",
             badArgument: true),
        Case(name: "systemd bad argument", tasks: "- systemd: {name: twin, state: running}", badArgument: true),
    ]
}
