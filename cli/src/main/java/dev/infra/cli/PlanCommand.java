package dev.infra.cli;

import dev.infra.cli.render.StackRenderer;
import dev.infra.core.plan.Plan;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import java.util.List;
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

    @Option(names = "--force-delete-data", description = ApplyingOptions.FORCE_DELETE_DATA + " A plan saved with it"
            + " carries the permission to its apply.")
    boolean forceDeleteData;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when the plan has changes, 0 when it has none.")
    boolean detailedExitcode;

    @Override
    int execute() {
        Topology t = fileTopology();
        StackRequest.Scope scope = StackRequest.Scope.of(global.region);
        StackEngine.StackPlan plan = stack(t).plan(destroy ? new StackRequest.Destroy(t, scope)
                : new StackRequest.Apply(t, scope), forceDeleteData);
        // One region: the plan object; several: an array of them, in the order they apply.
        List<Plan> plans = plan.regions().stream().map(StackEngine.RegionPlan::plan).toList();
        if (json) {
            console().result(PlanCodec.toJson(plans));
        } else {
            console().out().print(new StackRenderer(console()).render(plan));
            console().out().flush();
        }
        if (out != null) {
            PlanCodec.write(plans, out);
            console().progress("Saved the plan to " + out + "; apply it with: infra apply " + out + sameTarget());
        }
        return detailedExitcode && plan.hasChanges() ? ExitCodes.CHANGES : ExitCodes.OK;
    }

    /** The options that chose this plan's topology, region and state, as the apply of it must repeat them. */
    private String sameTarget() {
        StringBuilder sb = new StringBuilder();
        if (!global.file.equals(java.nio.file.Path.of(GlobalOptions.DEFAULT_FILE))) {
            sb.append(" -f ").append(global.file);
        }
        if (global.region != null) {
            sb.append(" --region ").append(global.region);
        }
        if (!global.stateDir.equals(java.nio.file.Path.of(GlobalOptions.DEFAULT_STATE_DIR))) {
            sb.append(" --state-dir ").append(global.stateDir);
        }
        if (global.backendBucket != null) {
            sb.append(" --backend-bucket ").append(global.backendBucket);
        }
        if (global.backendLockTable != null) {
            sb.append(" --backend-lock-table ").append(global.backendLockTable);
        }
        return sb.toString();
    }
}
