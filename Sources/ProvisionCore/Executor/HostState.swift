import Foundation

/// One host's variables and standing during a run.
///
/// Written only on the host's own queue (its tasks), but read from other hosts' queues
/// through `hostvars`, so every access takes the lock.
public final class HostState: @unchecked Sendable {
    public let name: String
    /// Its groups; `group_by` and `add_host` add to them during the run.
    public var groups: [String] { lock.withLock { _groups } }
    private var _groups: [String]
    /// Inventory variables (group and host vars merged by the inventory).
    public var inventoryVars: [String: Value] { lock.withLock { _inventoryVars } }
    private var _inventoryVars: [String: Value]
    private let lock = NSLock()
    private var _facts: [String: Value] = [:]
    private var _runtime: [String: Value] = [:]
    private var _registered: Set<String> = []
    private var _nativeText: Set<String> = []
    private var _included: [String: Value] = [:]
    private var _recap = HostRecap()
    private var _notified: [String] = []
    private var _factsGathered = false
    private var _playVarsFiles: [String: Value]?

    public init(name: String, groups: [String], inventoryVars: [String: Value]) {
        self.name = name
        self._groups = groups
        self._inventoryVars = inventoryVars
    }

    /// Gathered facts (`ansible_*`, `ansible_facts`).
    var facts: [String: Value] { lock.withLock { _facts } }
    /// `set_fact` values and registered results (they outlive the play, as in Ansible).
    var runtime: [String: Value] { lock.withLock { _runtime } }
    var recap: HostRecap { lock.withLock { _recap } }
    var factsGathered: Bool { lock.withLock { _factsGathered } }

    /// Adds groups (in order, once each); true when one was new.
    @discardableResult
    func join(_ new: [String]) -> Bool {
        lock.withLock {
            let before = _groups.count
            for g in new where !_groups.contains(g) { _groups.append(g) }
            return _groups.count != before
        }
    }

    /// The current play's `vars_files` variables as read for this host, when the play has
    /// templated entries (nil: the play's shared ones).
    var playVarsFiles: [String: Value]? {
        get { lock.withLock { _playVarsFiles } }
        set { lock.withLock { _playVarsFiles = newValue } }
    }

    /// `meta: clear_facts`: forgets gathered facts.
    func clearFacts() { lock.withLock { _facts = [:]; _factsGathered = false } }

    func setFacts(_ f: [String: Value]) {
        lock.withLock {
            _facts.merge(f) { _, new in new }
            _factsGathered = true
        }
    }

    /// `meta: refresh_inventory`: the host's groups and inventory variables as re-read, with
    /// the variables `add_host` gave it on top.
    func refreshInventory(groups: [String], vars: [String: Value], keepingVars extra: [String: Value]) {
        lock.withLock {
            _groups = groups
            _inventoryVars = vars.merging(extra) { _, n in n }
        }
    }

    /// `add_host` variables: host variables from then on.
    func addInventoryVars(_ v: [String: Value]) { lock.withLock { _inventoryVars.merge(v) { _, n in n } } }

    /// `registered`: a task's result (its strings are a host's, `AnsibleUnsafeText` for `type_debug`).
    func setRuntime(_ name: String, _ value: Value, registered: Bool = false) {
        lock.withLock {
            _runtime[name] = value
            if registered { _registered.insert(name) } else { _registered.remove(name) }
            _nativeText.remove(name)
        }
    }
    /// `set_fact` values; `nativeText`: those whose argument made NativeJinjaText (see
    /// `Templating.isNativeTextDefinition`).
    func setRuntime(_ values: [String: Value], nativeText: Set<String> = []) {
        lock.withLock {
            _runtime.merge(values) { _, new in new }
            _registered.subtract(values.keys)
            _nativeText.subtract(values.keys)
            _nativeText.formUnion(nativeText.intersection(values.keys))
        }
    }
    func holdsNativeText(_ name: String) -> Bool { lock.withLock { _nativeText.contains(name) } }
    func isRegistered(_ name: String) -> Bool { lock.withLock { _registered.contains(name) } }
    func runtimeValue(_ name: String) -> Value? { lock.withLock { _runtime[name] } }
    /// `include_vars` values (below `set_fact`, above task and play vars; kept for the run).
    var included: [String: Value] { lock.withLock { _included } }
    func setIncluded(_ values: [String: Value]) { lock.withLock { _included.merge(values) { _, new in new } } }
    func includedValue(_ name: String) -> Value? { lock.withLock { _included[name] } }
    func factValue(_ name: String) -> Value? { lock.withLock { _facts[name] } }

    func count(_ r: TaskHostResult) { lock.withLock { _recap.count(r) } }
    /// A failure inside a block with a rescue section: counted as rescued, not failed.
    func countRescued() { lock.withLock { _recap.rescued += 1 } }

    func notify(_ names: [String]) {
        lock.withLock { for n in names where !_notified.contains(n) { _notified.append(n) } }
    }
    var notified: [String] { lock.withLock { _notified } }
    func clearNotified(_ names: Set<String>) { lock.withLock { _notified.removeAll { names.contains($0) } } }
}
