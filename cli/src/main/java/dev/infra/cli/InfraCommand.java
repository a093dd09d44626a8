package dev.infra.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "infra", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Provision a production AWS architecture from one YAML topology: plan, apply, replicate, destroy.",
        footer = ExitCodes.HELP,
        subcommands = {ValidateCommand.class, PlanCommand.class, ApplyCommand.class, DestroyCommand.class,
                ReplicateCommand.class,
                GraphCommand.class, OutputCommand.class, StateCommand.class, SchemaCommand.class, CompletionCommand.class})
final class InfraCommand implements Runnable {

    @Spec
    CommandSpec spec;

    /** What Ctrl-C does: every command reaches it through the root. */
    final Interrupts interrupts;

    InfraCommand(Interrupts interrupts) {
        this.interrupts = interrupts;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }
}
