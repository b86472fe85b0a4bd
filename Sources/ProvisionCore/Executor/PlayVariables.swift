/// What the variables of one play are made of, shared by every host's scope in the play.
struct PlayVariables {
    var vars: [String: Value]
    var varsFilesVars: [String: Value]
    var name: String
    /// Every host of the play (`ansible_play_hosts_all`).
    var hosts: [String]
    /// The hosts of the current batch still running (`ansible_play_batch`, `play_hosts`).
    var batch: [String]
    /// Every host of the play not failed or unreachable so far (`ansible_play_hosts`); nil:
    /// the batch.
    var liveHosts: [String]?
    /// For `hostvars`: a host's own variables, without the play's vars and vars_files.
    var hostOnly = false
    /// `ansible_play_role_names` and `ansible_dependent_role_names` (see Play.roleNames).
    var roleNames: [String] = []
    var dependentRoleNames: [String] = []
}
