package dev.infra.cli;

import dev.infra.cli.render.StackRenderer;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.PlanCodec;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Plan, confirm, and carry out the changes in dependency order, in parallel: in the stack's"
                + " primary region and every replica, primary first (or only in --region).",
                "With PLAN, carry out exactly that saved plan (refused if the state changed since)."})
final class ApplyCommand extends BaseCommand {

    @Parameters(arity = "0..1", paramLabel = "PLAN", description = "A plan saved with 'infra plan -o'.")
    Path planFile;

    @Mixin
    ApplyingOptions applying;

    @Override
    int execute() {
        Topology t = fileTopology();
        StackEngine stack = stack(t);
        if (planFile != null) {
            // A saved plan names its regions; --region, when given, must agree.
            List<Plan> saved = PlanCodec.readAll(planFile);
            return report(console(), stack.applySaved(saved, t, global.region, planFile.toString(),
                    applying.toEngine(console())));
        }
        StackEngine.Outcome outcome = stack.apply(t, global.region, false, plan -> {
            console().progress(new StackRenderer(console()).render(plan));
            return Confirmation.ask(console(), "Do you want to perform these actions on stack " + t.stack()
                    + " in " + regions(plan) + "?", applying.autoApprove);
        }, applying.toEngine(console()));
        return report(console(), outcome);
    }

    static String regions(StackEngine.StackPlan plan) {
        return String.join(" and ", plan.regions().stream().map(StackEngine.RegionPlan::region).toList());
    }

    /** Each region's closing line; the exit code says whether every region succeeded. */
    static int report(Console console, StackEngine.Outcome outcome) {
        StackEngine.StackPlan plan = outcome.plan();
        if (!plan.hasChanges()) {
            console.progress(plan.regions().size() == 1 ? plan.only().summary()
                    : "No changes in " + regions(plan) + ". The infrastructure matches the topology.");
            return ExitCodes.OK;
        }
        if (!outcome.applied()) {
            console.progress("Cancelled; nothing was changed.");
            return ExitCodes.ERROR;
        }
        boolean several = outcome.results().size() > 1;
        plan.regions().forEach(r -> {
            ApplyResult result = outcome.results().get(r.region());
            console.progress((several ? r.region() + ": " : "") + result.summary(r.plan().destroy()));
        });
        return outcome.ok() ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
