/// The community.crypto modules, for the module registry (one line each).
public enum CryptoModules {
    public static let all: [any Module.Type] = [
        OpenSSHKeypairModule.self,
        OpenSSLPrivateKeyModule.self,
        OpenSSLPublicKeyModule.self,
        OpenSSLCSRModule.self,
        OpenSSLCSRPipeModule.self,
        X509CertificateModule.self,
    ]
}
