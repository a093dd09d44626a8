package dev.infra.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = InfraCommand.class.getPackage().getImplementationVersion();
        return new String[] {"infra " + (v == null ? "development build" : v)};
    }
}
