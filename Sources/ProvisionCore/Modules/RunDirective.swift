/// What a `meta` task (or any `RunDirectiveModule`) asks the executor to do.
public enum RunDirective: String, CaseIterable, Sendable {
    /// Run the handlers notified so far, now.
    case flushHandlers = "flush_handlers"
    /// Stop the play for every host (the run goes on with the next play).
    case endPlay = "end_play"
    /// Stop the play for this host only (not a failure).
    case endHost = "end_host"
    /// Stop the current batch (`serial`) for every host.
    case endBatch = "end_batch"
    /// Forget the facts gathered for this host.
    case clearFacts = "clear_facts"
    /// Make failed hosts of this play eligible again.
    case clearHostErrors = "clear_host_errors"
    /// Close and reopen the connection (after adding the user to a group, say).
    case resetConnection = "reset_connection"
    /// Reload the inventory.
    case refreshInventory = "refresh_inventory"
    case noop
}
