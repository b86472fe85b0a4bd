import Foundation
import XCTest
import ProvisionCore
import ProvisionTestSupport

/// Differential tests of the community.crypto modules: each case runs through ansible-playbook
/// (the collection itself, twin A) and provision over the loopback sshd (twin B). Keys are
/// random, so results are compared on what must agree (status, message, size, type, comment,
/// the shape of fingerprint and public key) and the twin trees on each file's mode and on the
/// properties `ssh-keygen -l` / `openssl` read from it.
final class CryptoTwinTests: XCTestCase {
    var runner: AnsiblePlaybookRunner!

    override func setUpWithError() throws { runner = try AnsiblePlaybookRunner.make() }
    override func tearDown() { runner?.remove() }

    /// Per task: `changed`/`failed` always, then `keys` (top-level) equal; `shaped` keys only
    /// equally empty or not, and of the same leading word (`ssh-ed25519 …`, `SHA256:…`).
    func compare(_ run: TwinRun, keys: [String], shaped: [String] = [],
                 file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(run.ansible.keys), Set(run.provision.keys), "registered tasks", file: file, line: line)
        func field(_ v: Value?, _ k: String) -> Value {
            guard case .dict(let d)? = v else { return .null }
            let x = d[k] ?? .null
            return (k == "failed" || k == "changed") && x.isNull ? .bool(false) : x
        }
        for (task, a) in run.ansible.sorted(by: { $0.key < $1.key }) {
            let p = run.provision[task]
            let why = "\(task): ansible \(a.jsonString)\nprovision \(p?.jsonString ?? "nil")"
            for k in ["changed", "failed"] + keys {
                // Other modules' messages (copy, file) are not what these tests are about.
                if k == "msg" && field(a, "failed") != .bool(true) { continue }
                XCTAssertEqual(field(a, k), field(p, k), "\(k) of " + why, file: file, line: line)
            }
            for k in shaped {
                // A dict (fingerprints per hash) compares by its keys; text by its first word.
                let lead: (Value) -> String = {
                    if case .dict(let d) = $0 { return d.keys.sorted().joined(separator: ",") }
                    return String($0.renderedString.prefix { $0 != " " && $0 != ":" })
                }
                XCTAssertEqual(lead(field(a, k)), lead(field(p, k)), "\(k) of " + why, file: file, line: line)
            }
        }
    }

    /// Every file of a twin with its mode and what `describe` says of it.
    func tree(_ dir: String, describe: (String) -> String) -> [String: String] {
        var out: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            let full = dir + "/" + name
            let attrs = try? FileManager.default.attributesOfItem(atPath: full)
            let mode = String((attrs?[.posixPermissions] as? NSNumber)?.intValue ?? 0, radix: 8)
            out[name] = mode + " " + describe(full).replacingOccurrences(of: dir, with: "BASE")
        }
        return out
    }

    /// Fails once per file that differs between the twins, showing both sides.
    func compareTrees(_ run: TwinRun, describe: (String) -> String, file: StaticString = #filePath, line: UInt = #line) {
        let a = tree(run.ansibleDir, describe: describe), b = tree(run.provisionDir, describe: describe)
        for name in Set(a.keys).union(b.keys).sorted() where a[name] != b[name] {
            XCTFail("\(name): ansible \(a[name] ?? "missing")\nprovision \(b[name] ?? "missing")", file: file, line: line)
        }
    }

    func sh(_ line: String) -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", line]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try? p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// An OpenSSH key file as size, type and comment (the fingerprint is random).
    func sshKey(_ path: String) -> String {
        if path.hasSuffix(".pub") {
            return sh("cut -d' ' -f1,3- \(Shell.quote(path))")
        }
        return sh("ssh-keygen -l -f \(Shell.quote(path)) 2>&1 | cut -d' ' -f1,3-")
    }

    func testOpenSSHKeypair() throws {
        let k = "community.crypto.openssh_keypair"
        let run = try runner.run("keypair", tasks: [
            "\(k): path={{ base }}/ed type=ed25519",
            "\(k): path={{ base }}/ed type=ed25519",
            "openssh_keypair:\n  path: '{{ base }}/ed'\n  type: ed25519\n  comment: hi there\n  mode: '0600'",
            "\(k): path={{ base }}/ed type=ecdsa size=384",
            "\(k): path={{ base }}/ed type=ed25519 regenerate=fail",
            "\(k): path={{ base }}/ed type=ed25519 regenerate=never",
            // dev-sec's ssh_hardening call, with a templated size.
            "\(k):\n  state: present\n  type: rsa\n  size: \"{{ 1024 + 1024 }}\"\n  path: '{{ base }}/ssh_host_rsa_key'\n  force: false\n  regenerate: partial_idempotence",
            "\(k):\n  state: present\n  type: rsa\n  size: \"{{ 1024 + 1024 }}\"\n  path: '{{ base }}/ssh_host_rsa_key'\n  force: false\n  regenerate: partial_idempotence",
            "file: path={{ base }}/ssh_host_rsa_key.pub state=absent",
            "\(k): path={{ base }}/ssh_host_rsa_key size=2048",
            "\(k): path={{ base }}/ssh_host_rsa_key size=2048 comment=again",
            "\(k): path={{ base }}/ssh_host_rsa_key size=2048 comment=again",
            "\(k): path={{ base }}/checked type=ed25519\ncheck_mode: true",
            "\(k): path={{ base }}/ed state=absent",
            "\(k): path={{ base }}/ed state=absent",
            "\(k): path={{ base }}/missing/dir/key type=ed25519",
            "\(k): path={{ base }}/dsa type=dsa size=2048",
            "\(k): path={{ base }}/small size=512",
            "copy: content=garbage dest={{ base }}/broken mode=0600",
            "\(k): path={{ base }}/broken type=ed25519",
            "\(k): path={{ base }}/broken type=ed25519 regenerate=full_idempotence",
            "\(k): path={{ base }}/open type=ed25519 mode=0644",
            "\(k): path={{ base }}/open type=ed25519",
            "\(k): path={{ base }}/ec type=ecdsa force=true",
            "\(k): path={{ base }}/ec type=ecdsa size=521 force=true",
            "\(k): path={{ base }}/ec type=ecdsa size=521 regenerate=always",
            "\(k): path={{ base }} type=ed25519",
        ])
        compare(run, keys: ["msg", "size", "type", "comment"], shaped: ["fingerprint", "public_key"])
        // filename names each twin's own directory: compare it with the twin written as BASE.
        for (task, a) in run.ansible {
            if case .dict(let d) = a, let f = d["filename"], case .dict(let e)? = run.provision[task] {
                XCTAssertEqual(f, e["filename"], task)
            }
        }
        compareTrees(run, describe: sshKey)
    }

    /// A PEM private key as its first line, its cipher and what openssl says of its kind.
    func pemKey(_ path: String) -> String {
        let p = Shell.quote(path)
        return sh("head -n 1 \(p); grep -o '^DEK-Info: [^,]*' \(p); openssl pkey -in \(p) -passin pass:s3cret -noout -text 2>/dev/null"
                  + " | grep -E '^(RSA )?Private-Key|^[A-Z0-9]+ Private-Key|^ASN1 OID'")
    }

    func testOpenSSLPrivateKey() throws {
        let k = "community.crypto.openssl_privatekey"
        let run = try runner.run("privatekey", tasks: [
            "\(k): path={{ base }}/rsa.pem size=2048",
            "\(k): path={{ base }}/rsa.pem size=2048",
            "\(k): path={{ base }}/rsa.pem size=3072 regenerate=fail",
            "\(k): path={{ base }}/rsa.pem size=3072 regenerate=never",
            "\(k): path={{ base }}/rsa.pem size=3072",
            "\(k): path={{ base }}/ec.pem type=ECC curve=secp256r1",
            "\(k): path={{ base }}/ec.pem type=ECC curve=secp384r1 regenerate=never",
            "\(k): path={{ base }}/ec.pem type=ECC curve=secp384r1 regenerate=partial_idempotence",
            "\(k): path={{ base }}/ed.pem type=Ed25519",
            "\(k): path={{ base }}/ed.pem type=Ed25519 format=pkcs1",
            "\(k): path={{ base }}/rsa.pem size=3072 format=pkcs8 format_mismatch=convert",
            "\(k): path={{ base }}/rsa.pem size=3072 format=pkcs8 format_mismatch=convert",
            "\(k): path={{ base }}/rsa.pem size=3072 format=pkcs1 regenerate=fail",
            "\(k): path={{ base }}/enc.pem type=ECC curve=secp256r1 passphrase=s3cret cipher=auto",
            "\(k): path={{ base }}/enc.pem type=ECC curve=secp256r1 passphrase=s3cret cipher=auto",
            "\(k): path={{ base }}/enc.pem type=ECC curve=secp256r1 regenerate=partial_idempotence",
            "\(k): path={{ base }}/enc.pem type=ECC curve=secp256r1 passphrase=wrong-pass cipher=auto regenerate=never",
            "\(k): path={{ base }}/enc8.pem type=X25519 passphrase=s3cret cipher=auto",
            "\(k): path={{ base }}/dsa.pem type=DSA size=1024",
            "\(k): path={{ base }}/dsa.pem type=DSA size=1024 mode=0640",
            "\(k): path={{ base }}/checked.pem type=Ed448\ncheck_mode: true",
            "\(k): path={{ base }}/small.pem size=512",
            "\(k): path={{ base }}/ecc.pem type=ECC",
            "\(k): path={{ base }}/ed.pem type=Ed25519 return_content=true",
            "copy: content=garbage dest={{ base }}/broken.pem mode=0600",
            "\(k): path={{ base }}/broken.pem type=Ed25519 regenerate=partial_idempotence",
            "\(k): path={{ base }}/broken.pem type=Ed25519",
            "\(k): path={{ base }}/ed.pem state=absent",
            "\(k): path={{ base }}/ed.pem state=absent",
            "\(k): path={{ base }}/nodir/k.pem",
        ])
        compare(run, keys: ["msg", "size", "type", "curve"], shaped: ["fingerprint", "privatekey"])
        // A conversion keeps the key: its fingerprint does not change.
        for side in [run.ansible, run.provision] {
            guard case .dict(let before)? = side["r5"], case .dict(let after)? = side["r11"] else { XCTFail("no r5/r11"); continue }
            XCTAssertEqual(before["fingerprint"], after["fingerprint"])
        }
        compareTrees(run, describe: pemKey)
    }

    /// A public key file: PEM as openssl reads it, else its text (OpenSSH); private keys as `pemKey`.
    func publicKey(_ path: String) -> String {
        let p = Shell.quote(path)
        if path.hasSuffix(".key") { return pemKey(path) }
        return sh("openssl pkey -pubin -in \(p) -noout -text 2>/dev/null | head -n 1 || true; head -c 20 \(p); echo; wc -l < \(p)")
    }

    func testOpenSSLPublicKey() throws {
        let k = "community.crypto.openssl_publickey"
        let key = "community.crypto.openssl_privatekey"
        let run = try runner.run("publickey", tasks: [
            "\(key): path={{ base }}/rsa.key size=2048",
            "\(key): path={{ base }}/ec.key type=ECC curve=secp384r1 passphrase=s3cret cipher=auto",
            "\(key): path={{ base }}/ed.key type=Ed25519",
            "\(k): path={{ base }}/rsa.pub privatekey_path={{ base }}/rsa.key",
            "\(k): path={{ base }}/rsa.pub privatekey_path={{ base }}/rsa.key",
            "\(k): path={{ base }}/rsa.ssh privatekey_path={{ base }}/rsa.key format=OpenSSH",
            "\(k): path={{ base }}/rsa.ssh privatekey_path={{ base }}/rsa.key format=OpenSSH",
            "\(k): path={{ base }}/ec.pub privatekey_path={{ base }}/ec.key privatekey_passphrase=s3cret",
            "\(k): path={{ base }}/ec.ssh privatekey_path={{ base }}/ec.key privatekey_passphrase=s3cret format=OpenSSH mode=0600",
            "\(k): path={{ base }}/ec.ssh privatekey_path={{ base }}/ec.key privatekey_passphrase=s3cret format=OpenSSH",
            "\(k): path={{ base }}/ec.pub privatekey_path={{ base }}/ec.key",
            "\(k): path={{ base }}/ec.pub privatekey_path={{ base }}/ec.key privatekey_passphrase=bad-pass",
            "\(k): path={{ base }}/ed.ssh privatekey_path={{ base }}/ed.key format=OpenSSH return_content=true",
            "\(k): path={{ base }}/ed.ssh privatekey_path={{ base }}/ed.key format=OpenSSH",
            "\(k): path={{ base }}/rsa.pub privatekey_path={{ base }}/ed.key",
            "\(k): path={{ base }}/rsa.pub privatekey_path={{ base }}/ed.key force=true",
            "\(k): path={{ base }}/none.pub privatekey_path={{ base }}/none.key",
            "\(k): path={{ base }}/chk.pub privatekey_path={{ base }}/ed.key\ncheck_mode: true",
            "\(k):\n  path: '{{ base }}/content.pub'\n  privatekey_content: \"{{ lookup('file', base + '/ed.key') }}\"",
            "\(k):\n  path: '{{ base }}/content.pub'\n  privatekey_content: \"{{ lookup('file', base + '/ed.key') }}\"",
            "\(k): path={{ base }}/rsa.ssh state=absent",
            "\(k): path={{ base }}/rsa.ssh state=absent",
        ])
        compare(run, keys: ["msg", "format"], shaped: ["fingerprint", "publickey"])
        compareTrees(run, describe: publicKey)
    }

    /// A CSR as openssl prints it, without its signature and public key (random per twin).
    func request(_ path: String) -> String {
        if path.hasSuffix(".key") { return pemKey(path) }
        return sh("openssl req -in \(Shell.quote(path)) -noout -text -nameopt oneline 2>&1 | sed -e '/Signature Value/,$d' -e '/pub:/,/ASN1 OID/d' -e '/Modulus/,/Exponent/d'")
    }

    func testOpenSSLCSR() throws {
        let k = "community.crypto.openssl_csr"
        let key = "community.crypto.openssl_privatekey"
        let web = "\(k):\n  path: '{{ base }}/web.csr'\n  privatekey_path: '{{ base }}/ec.key'\n  common_name: www.example.org\n"
            + "  organization_name: Example\n  subject:\n    OU: [ops, web]\n    L: Town\n"
            + "  key_usage: [digitalSignature, Key Encipherment]\n  key_usage_critical: true\n"
            + "  extended_key_usage: [serverAuth, clientAuth]\n  basic_constraints: ['CA:FALSE']"
        let run = try runner.run("csr", tasks: [
            "\(key): path={{ base }}/ec.key type=ECC curve=secp256r1",
            "\(key): path={{ base }}/rsa.key size=2048 passphrase=s3cret cipher=auto",
            "\(key): path={{ base }}/ed.key type=Ed25519",
            web,
            web,
            // The same entries in another order ask for the same CSR.
            "\(k):\n  path: '{{ base }}/web.csr'\n  privatekey_path: '{{ base }}/ec.key'\n  subject:\n    L: Town\n    OU: [ops, web]\n"
                + "  O: Example\n  CN: www.example.org\n  keyUsage: [keyEncipherment, digitalSignature]\n  key_usage_critical: true\n"
                + "  extKeyUsage: [clientAuth, serverAuth]\n  basicConstraints: ['CA:FALSE']",
            web + "\n  subject_alt_name: ['DNS:www.example.org', 'DNS:example.org', 'IP:192.0.2.1']",
            web + "\n  subject_alt_name: ['DNS:example.org', 'IP:192.0.2.1', 'DNS:www.example.org']",
            "\(k): path={{ base }}/web.csr privatekey_path={{ base }}/ed.key common_name=www.example.org",
            "\(k): path={{ base }}/rsa.csr privatekey_path={{ base }}/rsa.key privatekey_passphrase=s3cret CN=rsa.example ocsp_must_staple=true create_subject_key_identifier=true",
            "\(k): path={{ base }}/rsa.csr privatekey_path={{ base }}/rsa.key privatekey_passphrase=s3cret CN=rsa.example ocsp_must_staple=true create_subject_key_identifier=true",
            "\(k): path={{ base }}/rsa.csr privatekey_path={{ base }}/rsa.key CN=rsa.example",
            "\(k): path={{ base }}/rsa.csr privatekey_path={{ base }}/rsa.key privatekey_passphrase=s3cret CN=rsa.example use_common_name_for_san=false",
            "\(k):\n  path: '{{ base }}/ord.csr'\n  privatekey_path: '{{ base }}/ec.key'\n  subject_ordered:\n    - CN: a.example\n    - O: Org\n  return_content: true",
            "\(k):\n  path: '{{ base }}/ord.csr'\n  privatekey_path: '{{ base }}/ec.key'\n  subject_ordered:\n    - O: Org\n    - CN: a.example",
            "\(k): path={{ base }}/chk.csr privatekey_path={{ base }}/ec.key CN=check\ncheck_mode: true",
            "\(k): path={{ base }}/none.csr privatekey_path={{ base }}/none.key CN=x",
            "\(k): path={{ base }}/ord.csr state=absent",
            "\(k): path={{ base }}/ord.csr state=absent",
            "\(k): path={{ base }}/ed.csr privatekey_path={{ base }}/ed.key CN=ed.example force=true mode=0640",
        ])
        compare(run, keys: ["msg", "subject", "subjectAltName", "keyUsage", "extendedKeyUsage", "basicConstraints",
                            "ocspMustStaple", "name_constraints_permitted", "name_constraints_excluded"], shaped: ["csr"])
        compareTrees(run, describe: request)
    }

    /// A certificate as openssl prints it, without what is random per twin (serial, dates, keys,
    /// key identifiers, signature), its lines sorted: `openssl ca` puts the key identifiers
    /// before the CSR's extensions, the collection after them; keys and CSRs as `request`.
    func certificate(_ path: String) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        if !text.hasPrefix("-----BEGIN CERTIFICATE-----") { return request(path) }
        return sh("openssl x509 -in \(Shell.quote(path)) -noout -text -certopt no_pubkey,no_sigdump,no_serial,no_validity 2>&1"
                  + " | sed -e '/Key Identifier/{n;d;}' | sort")
    }

    func testX509Certificate() throws {
        let k = "community.crypto.x509_certificate"
        let key = "community.crypto.openssl_privatekey"
        let csr = "community.crypto.openssl_csr"
        let ca = "\(k): path={{ base }}/ca.crt provider=selfsigned privatekey_path={{ base }}/ca.key csr_path={{ base }}/ca.csr"
        let server = "\(k): path={{ base }}/server.crt provider=ownca csr_path={{ base }}/server.csr ownca_path={{ base }}/ca.crt"
            + " ownca_privatekey_path={{ base }}/ca.key ownca_privatekey_passphrase=s3cret ownca_not_after=+365d"
        let run = try runner.run("x509", tasks: [
            "\(key): path={{ base }}/ca.key type=ECC curve=secp384r1 passphrase=s3cret cipher=auto",
            "\(csr):\n  path: '{{ base }}/ca.csr'\n  privatekey_path: '{{ base }}/ca.key'\n  privatekey_passphrase: s3cret\n"
                + "  common_name: Twin CA\n  use_common_name_for_san: false\n  basic_constraints: ['CA:TRUE']\n"
                + "  basic_constraints_critical: true\n  key_usage: [keyCertSign, cRLSign]\n  key_usage_critical: true",
            ca + " privatekey_passphrase=s3cret",
            ca + " privatekey_passphrase=s3cret",
            "\(key): path={{ base }}/server.key size=2048",
            "\(csr): path={{ base }}/server.csr privatekey_path={{ base }}/server.key CN=server.example subject_alt_name=DNS:server.example,IP:127.0.0.1 extended_key_usage=serverAuth",
            server,
            server,
            // Absolute dates: with relative ones ("+0s") the outcome depends on whether a
            // second has passed since the certificate was made, for Ansible and provision alike.
            "\(k): path={{ base }}/server.crt provider=ownca csr_path={{ base }}/server.csr ownca_path={{ base }}/ca.crt"
                + " ownca_privatekey_path={{ base }}/ca.key ownca_privatekey_passphrase=s3cret ignore_timestamps=false"
                + " ownca_not_before=20200101000000Z ownca_not_after=20300101000000Z",
            server + " privatekey_path={{ base }}/server.key return_content=true",
            "\(csr): path={{ base }}/server.csr privatekey_path={{ base }}/server.key CN=other.example",
            server,
            "\(k): path={{ base }}/self.crt provider=selfsigned privatekey_path={{ base }}/server.key csr_path={{ base }}/server.csr selfsigned_not_after=+30d",
            "\(k): path={{ base }}/self.crt provider=selfsigned privatekey_path={{ base }}/server.key csr_path={{ base }}/server.csr selfsigned_not_after=+30d",
            "\(k): path={{ base }}/self.crt provider=selfsigned privatekey_path={{ base }}/server.key csr_path={{ base }}/server.csr force=true mode=0600",
            "\(k): path={{ base }}/chk.crt provider=selfsigned privatekey_path={{ base }}/server.key csr_path={{ base }}/server.csr\ncheck_mode: true",
            "\(k): path={{ base }}/none.crt provider=selfsigned privatekey_path={{ base }}/server.key csr_path={{ base }}/none.csr",
            "\(k): path={{ base }}/bad.crt provider=selfsigned privatekey_path={{ base }}/ca.key csr_path={{ base }}/ca.csr",
            "\(k): path={{ base }}/self.crt state=absent",
            "\(k): path={{ base }}/self.crt state=absent",
        ])
        compare(run, keys: ["msg"], shaped: ["certificate"])
        for (task, a) in run.ansible {
            guard case .dict(let ad) = a, case .dict(let pd)? = run.provision[task], ad["failed"] != .bool(true) else { continue }
            for k in ["notBefore", "notAfter"] {
                XCTAssertEqual(ad[k]?.renderedString.prefix(8), pd[k]?.renderedString.prefix(8), "\(task).\(k)")
            }
            XCTAssertEqual(ad["serial_number"] == nil, pd["serial_number"] == nil, "\(task).serial_number")
        }
        compareTrees(run, describe: certificate)
    }

    func testOpenSSLCSRPipe() throws {
        let k = "community.crypto.openssl_csr_pipe"
        let run = try runner.run("csrpipe", tasks: [
            "community.crypto.openssl_privatekey: path={{ base }}/k.key type=ECC curve=secp256r1",
            "\(k): privatekey_path={{ base }}/k.key common_name=a.example",
            "\(k):\n  privatekey_path: '{{ base }}/k.key'\n  common_name: a.example\n  content: '{{ r2.csr }}'",
            "\(k):\n  privatekey_path: '{{ base }}/k.key'\n  common_name: b.example\n  content: '{{ r2.csr }}'",
            "\(k):\n  privatekey_path: '{{ base }}/k.key'\n  common_name: b.example\n  content: '{{ r2.csr }}'\ncheck_mode: true",
            "\(k): privatekey_path={{ base }}/none.key common_name=a.example",
        ])
        compare(run, keys: ["msg", "subject", "subjectAltName"], shaped: ["csr"])
        // Kept as given when it matches; in check mode the old one is returned.
        for side in [run.ansible, run.provision] {
            guard case .dict(let r2)? = side["r2"], case .dict(let r3)? = side["r3"], case .dict(let r5)? = side["r5"] else {
                XCTFail("no r2/r3/r5"); continue
            }
            XCTAssertEqual(r2["csr"], r3["csr"])
            XCTAssertEqual(r2["csr"], r5["csr"])
        }
    }

    /// Switching tools keeps the keys: what the collection made, provision leaves alone
    /// (changed=0), and the other way round.
    func testFilesMadeByEitherToolAreKeptByTheOther() throws {
        let playbook = """
        - hosts: all
          gather_facts: false
          tasks:
            - community.crypto.openssh_keypair: {path: "{{ d }}/ssh_host_rsa_key", type: rsa, size: 2048, comment: host}
            - community.crypto.openssl_privatekey: {path: "{{ d }}/ca.key", type: ECC, curve: secp256r1, passphrase: s3cret, cipher: auto}
            - community.crypto.openssl_csr: {path: "{{ d }}/ca.csr", privatekey_path: "{{ d }}/ca.key", privatekey_passphrase: s3cret, common_name: CA, basic_constraints: ['CA:TRUE'], key_usage: [keyCertSign]}
            - community.crypto.x509_certificate: {path: "{{ d }}/ca.crt", privatekey_path: "{{ d }}/ca.key", privatekey_passphrase: s3cret, csr_path: "{{ d }}/ca.csr", provider: selfsigned}
            - community.crypto.openssl_privatekey: {path: "{{ d }}/s.key", size: 2048}
            - community.crypto.openssl_publickey: {path: "{{ d }}/s.pub", privatekey_path: "{{ d }}/s.key", format: OpenSSH}
            - community.crypto.openssl_csr: {path: "{{ d }}/s.csr", privatekey_path: "{{ d }}/s.key", common_name: s.example, subject_alt_name: ['DNS:s.example', 'IP:10.0.0.1'], extended_key_usage: [serverAuth]}
            - community.crypto.x509_certificate: {path: "{{ d }}/s.crt", csr_path: "{{ d }}/s.csr", provider: ownca, ownca_path: "{{ d }}/ca.crt", ownca_privatekey_path: "{{ d }}/ca.key", ownca_privatekey_passphrase: s3cret}

        """
        let work = runner.root + "/handover"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try playbook.write(toFile: work + "/site.yml", atomically: true, encoding: .utf8)
        try "twin ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"
            .write(toFile: work + "/hosts.ini", atomically: true, encoding: .utf8)
        let ansible = ProvisionBinary(url: URL(fileURLWithPath: "/usr/bin/ansible-playbook"))
        let env = ["ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "0", "NO_COLOR": "1"]
        func recap(_ out: ProvisionBinary.Output) -> String {
            out.stdout.split(separator: "\n").first { $0.hasPrefix("twin ") }.map(String.init) ?? out.stdout + out.stderr
        }
        for (first, second) in [("ansible", "provision"), ("provision", "ansible")] {
            let d = work + "/" + first
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            for tool in [first, second] {
                let args = ["-i", "hosts.ini", "site.yml", "-e", "d=" + d]
                let out = tool == "ansible" ? try ansible.run(args, in: work, environment: env)
                                            : try runner.binary.run(["run"] + args, in: work, environment: env)
                XCTAssertEqual(out.status, 0, "\(tool) after \(first): \(out.stdout)\(out.stderr)")
                let line = recap(out)
                XCTAssertTrue(line.contains(tool == first ? "changed=8" : "changed=0"), "\(tool) after \(first): \(line)")
            }
        }
    }

    /// The shapes community.docker's own integration tests use for swarm CA and Docker TLS
    /// (docker_swarm options-ca, generic_connection_tests): CSRs without a subject, a
    /// world-readable key, human key usage names, an ownca certificate with its key; run twice.
    func testCommunityDockerTLSShapes() throws {
        let tasks = [
            "community.crypto.openssl_privatekey: path={{ base }}/ca.key size=2048 mode=0666",
            "community.crypto.openssl_csr:\n  path: '{{ base }}/ca.csr'\n  privatekey_path: '{{ base }}/ca.key'\n"
                + "  subject:\n    commonName: Test CA\n  useCommonNameForSAN: false\n  basic_constraints: ['CA:TRUE']\n"
                + "  basic_constraints_critical: true\n  key_usage: [digitalSignature, Certificate Sign]\n  key_usage_critical: true",
            "community.crypto.x509_certificate: path={{ base }}/ca.pem csr_path={{ base }}/ca.csr privatekey_path={{ base }}/ca.key provider=selfsigned",
            "community.crypto.openssl_privatekey: path={{ base }}/cert.key type=ECC curve=secp256r1",
            "community.crypto.openssl_csr:\n  path: '{{ base }}/cert.csr'\n  privatekey_path: '{{ base }}/cert.key'\n"
                + "  subject_alt_name: ['DNS:daemon-tls.example']\n  subject_alt_name_critical: true",
            "community.crypto.x509_certificate:\n  path: '{{ base }}/cert.pem'\n  csr_path: '{{ base }}/cert.csr'\n"
                + "  privatekey_path: '{{ base }}/cert.key'\n  ownca_path: '{{ base }}/ca.pem'\n"
                + "  ownca_privatekey_path: '{{ base }}/ca.key'\n  provider: ownca",
        ]
        let run = try runner.run("docker-tls", tasks: tasks + tasks)
        compare(run, keys: ["msg"])
        for i in 1...tasks.count {
            guard case .dict(let again)? = run.provision["r\(i + tasks.count)"] else { XCTFail("no r\(i + tasks.count)"); continue }
            XCTAssertEqual(again["changed"], .bool(false), "task \(i) run again")
        }
        compareTrees(run, describe: certificate)
    }
}
