/// The package and system modules of issue 11, for the module registry (one line each).
public enum SystemModules {
    public static let all: [any Module.Type] = [
        SysctlModule.self,
        ModprobeModule.self,
        TimezoneModule.self,
        LocaleGenModule.self,
        CronModule.self,
        AptRepositoryModule.self,
        DpkgSelectionsModule.self,
        ServiceFactsModule.self,
        PackageFactsModule.self,
        DebconfModule.self,
        AlternativesModule.self,
        MountModule.self,
        UfwModule.self,
        AptKeyModule.self,
        PipModule.self,
        Deb822RepositoryModule.self,
        IptablesModule.self,
        PamLimitsModule.self,
        SudoersModule.self,
        ArchiveModule.self,
        CapabilitiesModule.self,
        FilesystemModule.self,
    ]
}
