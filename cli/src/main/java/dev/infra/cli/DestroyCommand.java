package dev.infra.cli;

import dev.infra.cli.render.StackRenderer;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "destroy", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Delete everything the stack owns, in reverse dependency order: its replicas first, then the"
                + " primary.", "With --region R, only R: a replica is unlinked from its primary (its table replicas and"
                + " replication rule go first) and the other regions are left as they are."})
final class DestroyCommand extends BaseCommand {

    @Mixin
    ApplyingOptions applying;

    @Override
    int execute() {
        Topology t = fileTopology();
        StackEngine.Outcome outcome = stack(t).apply(t, global.region, true, plan -> {
            console().progress(new StackRenderer(console()).render(plan));
            return Confirmation.ask(console(), "Do you really want to destroy everything stack " + t.stack()
                    + " owns in " + ApplyCommand.regions(plan) + "? There is no undo.", applying.autoApprove);
        }, applyOptions(applying));
        return ApplyCommand.report(console(), outcome, interrupted());
    }
}
