/// The Docker modules: provision's own (install, daemon, swarm cluster, swarm network, image
/// shipping) and the community.docker-compatible ones, for the module registry.
public enum DockerModules {
    public static let all: [any Module.Type] = [
        DockerInstallModule.self, DockerDaemonModule.self, SwarmClusterModule.self, SwarmNetworkModule.self,
        ImageShipModule.self,
        DockerSwarmCompatModule.self, DockerSwarmInfoModule.self, DockerNodeModule.self, DockerNodeInfoModule.self,
        DockerNetworkCompatModule.self, DockerNetworkInfoModule.self, DockerContainerModule.self,
        DockerImageModule.self, DockerImageLoadModule.self, DockerStackModule.self, DockerSwarmServiceModule.self,
        DockerVolumeModule.self, DockerVolumeInfoModule.self, DockerContainerInfoModule.self, DockerImageInfoModule.self,
        DockerHostInfoModule.self, DockerPruneModule.self, DockerContainerExecModule.self,
        DockerImagePullModule.self, DockerImageRemoveModule.self, DockerImageTagModule.self, DockerImageExportModule.self,
        DockerSecretModule.self, DockerConfigModule.self, DockerSwarmServiceInfoModule.self, DockerStackInfoModule.self,
        DockerStackTaskInfoModule.self, DockerImageBuildModule.self, DockerImagePushModule.self,
        DockerContainerCopyIntoModule.self,
    ]
}
