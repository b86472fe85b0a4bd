/// The Docker modules of issue 5, for the module registry.
public enum DockerModules {
    public static let all: [any Module.Type] = [
        DockerInstallModule.self, DockerDaemonModule.self, DockerSwarmModule.self, DockerNetworkModule.self,
    ]
}
