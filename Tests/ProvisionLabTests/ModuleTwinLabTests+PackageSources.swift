/// Cases for apt_key and pip (deb822_repository has no Ansible reference here: Debian's
/// ansible-core 2.14 predates it, so PackageSourceModuleTests pins its file text instead).
/// The key was made once with `gpg --quick-gen-key … ed25519` on a controller; the wheels are
/// two hand-made `twinpkg` versions, written to the twins from base64 so nothing is fetched.
extension ModuleTwinLabTests {
    static let twinKeyFingerprint = "0E524504E87732A5DFED591C59CAFCBF5E1183DA"
    static let twinKey = """
        -----BEGIN PGP PUBLIC KEY BLOCK-----

        mDMEaxHxkRYJKwYBBAHaRw8BAQdANN2eJCk05fnyjTcElZEAJEji8qM4H5bEAP3d
        Ai1icUe0JXByb3Zpc2lvbiB0d2luIDx0d2luQGV4YW1wbGUuaW52YWxpZD6IkAQT
        FggAOBYhBA5SRQTodzKl3+1ZHFnK/L9eEYPaBQJrEfGRAhsDBQsJCAcCBhUKCQgL
        AgQWAgMBAh4BAheAAAoJEFnK/L9eEYPaJnsA/jH65zkGqECvtNQIml+dzjaNtnsP
        UPJrS4QcI1QAyypVAQDAr2FfyACryHItgkRtDhIIBn+7WCcGBE9iY29sGzHhAA==
        =Xmsi
        -----END PGP PUBLIC KEY BLOCK-----
        """
    static let twinWheels = [
        ("twinpkg-1.0-py3-none-any.whl", "UEsDBBQAAAAIAAAAIVA6E9kfEgAAABAAAAATAAAAdHdpbnBrZy9fX2luaXRfXy5weQtzDQr29PdTsFVQN9QzUOcCAFBLAwQUAAAACAAAACFQAPfyWSwAAAAxAAAAHgAAAHR3aW5wa2ctMS4wLmRpc3QtaW5mby9NRVRBREFUQfNNLUlMSSxJ1A1LLSrOzM+zUjDSM+TyS8xNtVIoKc/MK8hO54JLGeoZcAEAUEsDBBQAAAAIAAAAIVA34aygTQAAAEsAAAAbAAAAdHdpbnBrZy0xLjAuZGlzdC1pbmZvL1dIRUVMC89ITc3RDUstKs7Mz7NSMNQz4HJPzUstSizJL7JSyEjMS+EKys8v0fUs1g0oLUrNyUyyUigpKk3lCklMt1IoqDTWzcvPS9VNzKvkAgBQSwMEFAAAAAgAAAAhUIsGjizJAAAAEAEAABwAAAB0d2lucGtnLTEuMC5kaXN0LWluZm8vUkVDT1JEdcxLcoIwAADQvWcJGEAoLLrgE4ItDA4Jg7sMAZWADaZghdu76Lj0HeDNDyFvw2XLmJBiZky/rWDqatN2PlWE0sN1mGLyqFI1Xdtzk1udayZl5ilenH7o0rS9NL64CwxnM/9PmqFDvRXTrAl5HrcZon7kU/+V7u84oEGYMVv6srfahR8qr8a/WpKh0BxGp8HaesROz0uw896kVYJQ+hprdcQxh+XS3VdEVsLGGBLmQg/ml2+mwr9gH42CQmJB8GG/GQsU5kUEwOYJUEsBAhQDFAAAAAgAAAAhUDoT2R8SAAAAEAAAABMAAAAAAAAAAAAAAIABAAAAAHR3aW5wa2cvX19pbml0X18ucHlQSwECFAMUAAAACAAAACFQAPfyWSwAAAAxAAAAHgAAAAAAAAAAAAAAgAFDAAAAdHdpbnBrZy0xLjAuZGlzdC1pbmZvL01FVEFEQVRBUEsBAhQDFAAAAAgAAAAhUDfhrKBNAAAASwAAABsAAAAAAAAAAAAAAIABqwAAAHR3aW5wa2ctMS4wLmRpc3QtaW5mby9XSEVFTFBLAQIUAxQAAAAIAAAAIVCLBo4syQAAABABAAAcAAAAAAAAAAAAAACAATEBAAB0d2lucGtnLTEuMC5kaXN0LWluZm8vUkVDT1JEUEsFBgAAAAAEAAQAIAEAADQCAAAAAA=="),
        ("twinpkg-2.0-py3-none-any.whl", "UEsDBBQAAAAIAAAAIVDqaXlYEgAAABAAAAATAAAAdHdpbnBrZy9fX2luaXRfXy5weQtzDQr29PdTsFVQN9IzUOcCAFBLAwQUAAAACAAAACFQ7lhHSyoAAAAxAAAAHgAAAHR3aW5wa2ctMi4wLmRpc3QtaW5mby9NRVRBREFUQfNNLUlMSSxJ1A1LLSrOzM+zUjDSM+TyS8xNtVIoKc/MK8hO50KSMuACAFBLAwQUAAAACAAAACFQN+GsoE0AAABLAAAAGwAAAHR3aW5wa2ctMi4wLmRpc3QtaW5mby9XSEVFTAvPSE3N0Q1LLSrOzM+zUjDUM+ByT81LLUosyS+yUshIzEvhCsrPL9H1LNYNKC1KzclMslIoKSpN5QpJTLdSKKg01s3Lz0vVTcyr5AIAUEsDBBQAAAAIAAAAIVAoI52WyQAAABABAAAcAAAAdHdpbnBrZy0yLjAuZGlzdC1pbmZvL1JFQ09SRHXMwZKCIAAA0HvfgoaQJYc9WJBlWG1Y1olxy5SaASt2jf36Pex07H3As53S7bXuS6m0slL6rQOPpkTh8COKKkQNwTrBVZLpLJ0FOzdAi2AXd0VxcJ3grSqXhlgIgmHP/k8e8qF/Ug/rKX02/YzlMY3z+JUe00PNf+m9oet7GjJl5zgae2eElnzEdbY2KMSfFfEumoEBeZMWM8b4ayxv+2T6BbfP5tsx4YQ0UyhkBAlc1Qt5m/yM59SoHAoMwSh8M27YZLWhAPT+AFBLAQIUAxQAAAAIAAAAIVDqaXlYEgAAABAAAAATAAAAAAAAAAAAAACAAQAAAAB0d2lucGtnL19faW5pdF9fLnB5UEsBAhQDFAAAAAgAAAAhUO5YR0sqAAAAMQAAAB4AAAAAAAAAAAAAAIABQwAAAHR3aW5wa2ctMi4wLmRpc3QtaW5mby9NRVRBREFUQVBLAQIUAxQAAAAIAAAAIVA34aygTQAAAEsAAAAbAAAAAAAAAAAAAACAAakAAAB0d2lucGtnLTIuMC5kaXN0LWluZm8vV0hFRUxQSwECFAMUAAAACAAAACFQKCOdlskAAAAQAQAAHAAAAAAAAAAAAAAAgAEvAQAAdHdpbnBrZy0yLjAuZGlzdC1pbmZvL1JFQ09SRFBLBQYAAAAABAAEACABAAAyAgAAAAA="),
    ]

    static var keyIndented: String { twinKey.split(separator: "\n", omittingEmptySubsequences: false).map { "      " + $0 }.joined(separator: "\n") }

    static let aptKeyState = "apt-key adv --list-public-keys --keyid-format=long 2>/dev/null | grep -c 59CAFCBF5E1183DA; ls /etc/apt/trusted.gpg.d/twin.gpg 2>&1"

    static var aptKeyCases: [Case] { [
        Case(name: "apt_key from data, then by id", tasks: """
            - apt_key:
                data: |
            \(keyIndented)
              register: r
            - name: probe apt_key result
              debug: {msg: "{{ [r.id, r.fp, r.short_id, r.key_id, r.before, r.after] | to_json }}"}
            - apt_key: {id: "\(twinKeyFingerprint)"}
            - apt_key: {id: "59CAFCBF5E1183DA"}
            """, state: aptKeyState),
        Case(name: "apt_key absent in check mode", tasks: """
            - apt_key: {id: "0x\(twinKeyFingerprint.lowercased())", state: absent}
            """, check: true, state: aptKeyState),
        Case(name: "apt_key absent", tasks: """
            - apt_key: {id: "\(twinKeyFingerprint)", state: absent}
              register: r
            - name: probe apt_key removal
              debug: {msg: "{{ [r.before, r.after] | to_json }}"}
            - apt_key: {id: "5E1183DA", state: absent}
            """, state: aptKeyState),
        Case(name: "apt_key from a file into a keyring", tasks: """
            - copy:
                dest: /root/twin.asc
                content: |
            \(keyIndented)
            - apt_key: {file: /root/twin.asc, keyring: /etc/apt/trusted.gpg.d/twin.gpg}
              check_mode: true
            - apt_key: {file: /root/twin.asc, keyring: /etc/apt/trusted.gpg.d/twin.gpg}
              register: r
            - name: probe apt_key file result
              debug: {msg: "{{ [r.id, r.before, r.after] | to_json }}"}
            - apt_key: {file: /root/twin.asc, keyring: /etc/apt/trusted.gpg.d/twin.gpg}
            - apt_key: {id: "\(twinKeyFingerprint)", keyring: /etc/apt/trusted.gpg.d/twin.gpg, state: absent}
            """, state: aptKeyState),
        Case(name: "apt_key with an invalid id", tasks: "- apt_key: {id: 12345}", badArgument: true),
    ] }

    static let pipState = "/srv/twinvenv/bin/pip3 list --format=freeze 2>/dev/null | grep -i twin; ls /srv/twinvenv/bin/activate"
    static let pipVenv = "virtualenv: /srv/twinvenv, virtualenv_command: python3 -m venv"
    static let pipLocal = "extra_args: --no-index --find-links /srv/twinwheels"

    static var pipCases: [Case] { [
        Case(name: "pip setup: python3-venv, setuptools (for Ansible) and local wheels", tasks: """
            - apt: {name: [python3-venv, python3-setuptools], install_recommends: false}
            - shell: rm -rf /srv/twinvenv
            - file: {path: /srv/twinwheels, state: directory}
            """ + twinWheels.map { "\n- shell: printf '%s' '\($0.1)' | base64 -d > /srv/twinwheels/\($0.0)" }.joined()),
        Case(name: "setup reports the host's python3 as ansible_python", tasks: """
            - setup: {gather_subset: ["!all"]}
            - name: probe python facts
              debug:
                msg: >-
                  {{ [ansible_python.version, ansible_python.version_info, ansible_python.type,
                      ansible_python.executable, ansible_python.has_sslcontext, ansible_python_version,
                      ansible_facts.python.version.minor] | to_json }}
            """),
        Case(name: "pip install into a new virtualenv", tasks: """
            - pip: {name: twinpkg==1.0, \(pipVenv), \(pipLocal)}
              check_mode: true
            - pip: {name: twinpkg==1.0, \(pipVenv), \(pipLocal)}
              register: r
            - name: probe pip result
              debug: {msg: "{{ [r.cmd, r.name, r.version, r.state, r.requirements, r.virtualenv] | to_json }}"}
            - pip: {name: twinpkg==1.0, \(pipVenv), \(pipLocal)}
            """, state: pipState),
        Case(name: "pip check mode reads the installed versions", tasks: """
            - pip: {name: "twinpkg>=1.0", \(pipVenv)}
              register: r
            - name: probe pip check cmd
              debug: {msg: "{{ r.cmd | to_json }}"}
            - pip: {name: twinpkg, version: "2.0", \(pipVenv)}
            - pip: {name: [other-pkg], state: absent, \(pipVenv)}
            """, check: true, state: pipState),
        Case(name: "pip version, latest, absent", tasks: """
            - pip: {name: twinpkg, version: "2.0", \(pipVenv), \(pipLocal)}
            - pip: {name: twinpkg, state: latest, \(pipVenv), \(pipLocal)}
            - pip: {name: twinpkg, state: absent, \(pipVenv)}
              register: r
            - name: probe pip absent
              debug: {msg: "{{ [r.cmd, r.state] | to_json }}"}
            - pip: {name: twinpkg, state: absent, \(pipVenv)}
            """, state: pipState),
        Case(name: "pip requirements file", tasks: """
            - copy: {dest: /srv/twinreq.txt, content: "twinpkg==1.0\\n"}
            - pip: {requirements: /srv/twinreq.txt, \(pipVenv), \(pipLocal)}
              register: r
            - name: probe pip requirements result
              debug: {msg: "{{ [r.cmd, r.name, r.requirements] | to_json }}"}
            - pip: {requirements: /srv/twinreq.txt, \(pipVenv), \(pipLocal)}
            - pip: {requirements: /srv/twinreq.txt, state: absent, \(pipVenv)}
            """, state: pipState),
        Case(name: "pip name and requirements together", tasks: "- pip: {name: twinpkg, requirements: /r.txt}", badArgument: true),
    ] }
}
