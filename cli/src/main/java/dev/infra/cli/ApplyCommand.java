package dev.infra.cli;

import dev.infra.cli.render.PlanRenderer;
import dev.infra.core.Engine;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.PlanCodec;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Plan, confirm, and carry out the changes in dependency order, in parallel.",
                "With PLAN, carry out exactly that saved plan (refused if the state changed since)."})
final class ApplyCommand extends BaseCommand {

    @Parameters(arity = "0..1", paramLabel = "PLAN", description = "A plan saved with 'infra plan -o'.")
    Path planFile;

    @Mixin
    ApplyingOptions applying;

    @Override
    int execute() {
        Topology t = topology();
        Engine engine = engine(t);
        Engine.ApplyOptions options = applying.toEngine(console());
        if (planFile != null) {
            Plan saved = PlanCodec.read(planFile);
            return finish(engine.applySaved(saved, t, planFile.toString(), options), saved.destroy());
        }
        Engine.Outcome outcome = engine.planAndApply(t, false, plan -> {
            console().progress(new PlanRenderer(console()).render(plan));
            return Confirmation.ask(console(), "Do you want to perform these actions on stack " + t.stack()
                    + " in " + t.region() + "?", applying.autoApprove);
        }, options);
        return report(console(), outcome);
    }

    private int finish(ApplyResult result, boolean destroy) {
        console().progress(result.summary(destroy));
        return result.ok() ? ExitCodes.OK : ExitCodes.ERROR;
    }

    static int report(Console console, Engine.Outcome outcome) {
        if (!outcome.plan().hasChanges()) {
            console.progress(outcome.plan().summary());
            return ExitCodes.OK;
        }
        if (!outcome.applied()) {
            console.progress("Cancelled; nothing was changed.");
            return ExitCodes.ERROR;
        }
        console.progress(outcome.result().summary(outcome.plan().destroy()));
        return outcome.result().ok() ? ExitCodes.OK : ExitCodes.ERROR;
    }
}
