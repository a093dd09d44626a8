package dev.infra.cli;

import dev.infra.cli.render.PlanRenderer;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.PlanCodec;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Read live AWS state, diff it against the topology and the state, and show the changes.")
final class PlanCommand extends BaseCommand {

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Save the plan for 'infra apply FILE'.")
    Path out;

    @Option(names = "--json", description = "Print the plan as JSON on stdout.")
    boolean json;

    @Option(names = "--destroy", description = "Plan the deletion of everything the stack owns.")
    boolean destroy;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes, 0 when it has none.")
    boolean detailedExitcode;

    @Override
    int execute() {
        Topology t = topology();
        Plan plan = engine(t).plan(t, destroy);
        if (json) {
            console().result(PlanCodec.toJson(plan));
        } else {
            console().out().print(new PlanRenderer(console()).render(plan));
            console().out().flush();
        }
        if (out != null) {
            PlanCodec.write(plan, out);
            console().progress("Saved the plan to " + out + "; apply it with: infra apply " + out);
        }
        return detailedExitcode && plan.hasChanges() ? ExitCodes.CHANGES : ExitCodes.OK;
    }
}
