import CLibSSH2
import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An unencrypted ed25519 identity file, decoded once per run and kept in memory, that signs
/// publickey authentication through libssh2's callback.
///
/// `libssh2_userauth_publickey_fromfile` reads and decodes the key file and derives the
/// public key for every host (OpenSSL's key import alone was 15% of a 200-host run's CPU);
/// this signs with swift-crypto's Ed25519, which is deterministic: the signature is the one
/// libssh2 would have made. Encrypted and non-ed25519 keys still go through libssh2.
final class Ed25519Identity {
    /// The public key in SSH wire format, as sent to the server.
    let publicBlob: Data
    private let key: Curve25519.Signing.PrivateKey

    init(publicBlob: Data, key: Curve25519.Signing.PrivateKey) {
        self.publicBlob = publicBlob
        self.key = key
    }

    /// Reads the private section of an unencrypted `openssh-key-v1` file: uint32 check, uint32
    /// check (equal), string "ssh-ed25519", string public (32), string seed‖public (64), …
    /// nil when anything is off, so libssh2 gets the file and reports the problem itself.
    static func decode(privateSection: Data, publicBlob: Data) -> Ed25519Identity? {
        var reader = WireReader(data: privateSection)
        guard let check1 = reader.uint32(), let check2 = reader.uint32(), check1 == check2,
              let type = reader.string(), String(decoding: type, as: UTF8.self) == "ssh-ed25519",
              let publicKey = reader.bytes(), publicKey.count == 32,
              let secret = reader.bytes(), secret.count == 64,
              secret.suffix(32) == publicKey,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: secret.prefix(32)),
              key.publicKey.rawRepresentation == publicKey else { return nil }
        // The embedded public blob must be the same key, or the server would be shown one key
        // and given another's signature.
        var blobReader = WireReader(data: publicBlob)
        guard blobReader.string() != nil, blobReader.bytes() == publicKey else { return nil }
        return Ed25519Identity(publicBlob: publicBlob, key: key)
    }

    /// One step of publickey authentication as `user` (libssh2's return code; EAGAIN means
    /// call again once the socket is ready).
    func authenticate(_ session: OpaquePointer, user: String) -> Int32 {
        var context: UnsafeMutableRawPointer? = Unmanaged.passUnretained(self).toOpaque()
        return publicBlob.withUnsafeBytes { blob -> Int32 in
            libssh2_userauth_publickey(session, user, blob.bindMemory(to: UInt8.self).baseAddress,
                                       blob.count, { _, signature, length, data, dataLength, abstract in
                guard let signature, let length, let data,
                      let raw = abstract?.pointee else { return -1 }
                let identity = Unmanaged<Ed25519Identity>.fromOpaque(raw).takeUnretainedValue()
                return identity.sign(UnsafeRawBufferPointer(start: data, count: dataLength),
                                     into: signature, length: length)
            }, &context)
        }
    }

    /// The raw 64-byte Ed25519 signature of `data` (what libssh2 puts in the request).
    func signature<D: DataProtocol>(for data: D) -> Data? { try? key.signature(for: data) }

    /// Signs `data` into a buffer from `malloc`, which libssh2 frees with its default
    /// allocator (sessions here are created with the default, malloc/free).
    private func sign(_ data: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                      length: UnsafeMutablePointer<Int>) -> Int32 {
        guard let signature = signature(for: data), !signature.isEmpty,
              let buffer = malloc(signature.count)?.assumingMemoryBound(to: UInt8.self) else { return -1 }
        signature.copyBytes(to: buffer, count: signature.count)
        out.pointee = buffer
        length.pointee = signature.count
        return 0
    }
}
