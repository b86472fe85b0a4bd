/// What `DockerTLSAuthority.prepare` hands the module for one host: the files to install on
/// it, and what was (or in check mode would be) done on the controller to get them.
///
/// In check mode, material that does not exist yet is nil. The server key is a `Secret`: it
/// goes to the node through the transport's upload (stdin), never into a message or a diff.
public struct DockerTLSMaterial {
    public var caPEM: String?
    public var serverCertificatePEM: String?
    public var serverKey: Secret?
    /// One line per change on the controller ("created a CA in …").
    public var actions: [String] = []
    public var warnings: [String] = []

    public init() {}
}
