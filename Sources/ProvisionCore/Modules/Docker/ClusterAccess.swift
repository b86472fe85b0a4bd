/// One host of the play as other hosts' modules see it: its name, groups and variables.
public struct ClusterHost: Sendable {
    /// The inventory name.
    public var name: String
    /// The groups it belongs to (`managers`, `workers`, …), parents included.
    public var groups: [String]
    /// Its variables, merged as for its own tasks (`ansible_host` among them).
    public var vars: [String: Value]
    /// How commands on it become root, as its own tasks would (its `become_password_file`
    /// already read into the `Secret`).
    public var become: Become?
    /// False for an inventory host outside the play's hosts (left out by `--limit`, `serial`
    /// or the play's pattern): it may serve as a live manager to join through, connected on
    /// demand, but it never runs the play's step, so nobody waits for it to start a swarm.
    public var inPlay: Bool

    public init(name: String, groups: [String] = [], vars: [String: Value] = [:], become: Become? = nil,
                inPlay: Bool = true) {
        self.name = name
        self.groups = groups
        self.vars = vars
        self.become = become
        self.inPlay = inPlay
    }

    /// The address its SSH connection uses: `ansible_host`, else its name.
    public var address: String { Self.address(name: name, vars: vars) }

    /// The address a host with these inventory variables is reached at: `ansible_host`, else
    /// `address`, else its inventory name. Modules that only have a `HostContext` use it too.
    public static func address(name: String, vars: [String: Value]) -> String {
        vars["ansible_host"]?.stringValue ?? vars["address"]?.stringValue ?? name
    }
}

/// The other hosts of the play, for modules whose step on one host needs another host: a
/// swarm join needs a token from a live manager, and the manager's view of the node list.
///
/// The executor provides it. `transport(for:)` returns the host's own run-long transport, so
/// commands sent through it are serialised on that host's connection (Transport implementations
/// confine their session to their own queue); it throws `TransportError` when the host is
/// unreachable or was never connected, which callers treat as "not a live manager".
public protocol ClusterAccess: AnyObject {
    /// Every host of the inventory, in inventory order (the order decides who initialises a
    /// swarm); those outside the play have `inPlay == false`.
    var hosts: [ClusterHost] { get }

    /// The transport of `host` (an inventory name from `hosts`).
    func transport(for host: String) throws -> Transport
}

extension ClusterAccess {
    /// The hosts of the inventory in `group`, in inventory order, outside the play included.
    public func hosts(in group: String) -> [ClusterHost] {
        hosts.filter { $0.groups.contains(group) }
    }

    public func host(named name: String) -> ClusterHost? {
        hosts.first { $0.name == name }
    }
}
