package dev.infra.cli;

import dev.infra.cli.render.PlanRenderer;
import dev.infra.core.Engine;
import dev.infra.core.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "destroy", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Delete everything the stack owns in the region, in reverse dependency order.")
final class DestroyCommand extends BaseCommand {

    @Mixin
    ApplyingOptions applying;

    @Override
    int execute() {
        Topology t = topology();
        Engine.Outcome outcome = engine(t).planAndApply(t, true, plan -> {
            console().progress(new PlanRenderer(console()).render(plan));
            return Confirmation.ask(console(), "Do you really want to destroy everything stack " + t.stack()
                    + " owns in " + t.region() + "? There is no undo.", applying.autoApprove);
        }, applying.toEngine(console()));
        return ApplyCommand.report(console(), outcome);
    }
}
