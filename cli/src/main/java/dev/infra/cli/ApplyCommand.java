package dev.infra.cli;

import dev.infra.cli.render.ProgressRenderer;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.PlanCodec;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.Collection;
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
        StackRequest.Scope scope = StackRequest.Scope.of(global.region);
        if (planFile != null) {
            // A saved plan names its regions; --region, when given, must agree.
            List<Plan> saved = PlanCodec.readAll(planFile);
            return applyAndReport(applying, options -> stack.run(new StackRequest.ApplySaved(t, saved, scope,
                    planFile.toString()), options));
        }
        return applyAndReport(applying, options -> stack.run(new StackRequest.Apply(t, scope), plan -> applying.confirm(
                console(), plan, "Do you want to perform these actions on stack " + t.stack() + " in " + regions(plan)
                        + "?"), options));
    }

    static String regions(StackEngine.StackPlan plan) {
        return String.join(" and ", plan.regions().stream().map(StackEngine.RegionPlan::region).toList());
    }

    /**
     * Each region's closing line and timing (wall time, critical path); the exit code says whether every region
     * succeeded. Called once the locks are released, so an interrupted apply can say so.
     */
    static int report(Console console, ApplyingOptions applying, StackEngine.Outcome outcome, boolean interrupted) {
        StackEngine.StackPlan plan = outcome.plan();
        if (!plan.hasChanges()) {
            applying.say(console, plan.regions().size() == 1 ? plan.only().summary()
                    : "No changes in " + regions(plan) + ". The infrastructure matches the topology.");
            return ExitCodes.OK;
        }
        if (!outcome.applied()) {
            applying.say(console, interrupted ? "Interrupted before any change; the lock is released."
                    : "Cancelled; nothing was changed.");
            return interrupted ? ExitCodes.INTERRUPTED : ExitCodes.ERROR;
        }
        boolean several = outcome.results().size() > 1;
        plan.regions().forEach(r -> {
            ApplyResult result = outcome.results().get(r.region());
            String region = several ? r.region() + ": " : "";
            applying.say(console, region + result.summary(r.plan().destroy()));
            ProgressRenderer.timing(result.timing()).forEach(line -> applying.say(console, line.startsWith(" ")
                    ? line : region + line));
        });
        if (interrupted) {
            applying.say(console, interruption(outcome));
            return ExitCodes.INTERRUPTED;
        }
        return outcome.ok() ? ExitCodes.OK : ExitCodes.ERROR;
    }

    /** What an interrupted apply did and left, over every region. */
    private static String interruption(StackEngine.Outcome outcome) {
        Collection<ApplyResult> results = outcome.results().values();
        int finished = results.stream().mapToInt(ApplyResult::finished).sum();
        int failed = results.stream().mapToInt(r -> r.failures().size()).sum();
        int notStarted = results.stream().mapToInt(r -> r.notStarted().size()).sum();
        String command = outcome.plan().regions().get(0).plan().destroy() ? "destroy" : "apply";
        return "Interrupted: " + finished + (finished == 1 ? " operation" : " operations") + " finished, "
                + (failed > 0 ? failed + " failed, " : "")
                + notStarted + " not started; the state is saved; the lock is released"
                + (notStarted > 0 ? "; run 'infra " + command + "' again to continue." : ".");
    }
}
