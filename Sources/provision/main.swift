import ProvisionCLI

ProvisionCommand.main()
