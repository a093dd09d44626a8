package dev.infra.cli.render;

import dev.infra.cli.Console;
import dev.infra.core.stack.Rewrite;
import dev.infra.core.stack.StackEngine.RegionPlan;
import dev.infra.core.stack.StackEngine.StackPlan;
import java.util.List;
import java.util.Locale;

/** The plans of a stack's regions, each under its region's heading, and for {@code replicate} the rewrite table. */
public final class StackRenderer {

    private final Console console;
    private final PlanRenderer plans;

    public StackRenderer(Console console) {
        this.console = console;
        this.plans = new PlanRenderer(console);
    }

    public String render(StackPlan stack) {
        if (stack.regions().size() == 1 && stack.rewrite() == null) {
            return plans.render(stack.only());
        }
        StringBuilder sb = new StringBuilder();
        if (stack.rewrite() != null) {
            sb.append(rewrite(stack.rewrite())).append('\n');
        }
        for (RegionPlan r : stack.regions()) {
            sb.append(console.bold("── " + r.region() + " (" + (r.replica() ? "replica of " + r.topology().placement().primary()
                    : r.topology().placement().replicated() ? "primary" : "single region") + ") ──")).append("\n\n");
            sb.append(plans.render(r.plan())).append('\n');
        }
        return sb.toString();
    }

    /** One line per delete that takes data along, over every region: what the second confirmation lists. */
    public static List<String> dataLost(StackPlan stack) {
        return stack.regions().stream().flatMap(r -> r.plan().changes().stream().filter(c -> c.dataLoss() != null)
                .map(c -> "  - " + c.address() + " (" + c.id() + (stack.regions().size() > 1 ? ", " + r.region() : "")
                        + "): " + c.dataLoss())).toList();
    }

    /** One row per component and treatment: copied, renamed, shared or linked. */
    public String rewrite(Rewrite rewrite) {
        StringBuilder sb = new StringBuilder(console.bold("How " + rewrite.replica() + " replicates " + rewrite.primary()
                + ", component by component:")).append("\n\n");
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"COMPONENT", "HOW", "RESOURCES", "DETAIL"});
        rewrite.rows().forEach(r -> rows.add(new String[] {r.component(), r.how().name().toLowerCase(Locale.ROOT),
                String.valueOf(r.count()), r.detail()}));
        int[] width = new int[3];
        rows.forEach(r -> {
            for (int i = 0; i < 3; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        });
        rows.forEach(r -> sb.append("  ").append(pad(r[0], width[0])).append("  ").append(pad(r[1], width[1]))
                .append("  ").append(pad(r[2], width[2])).append("  ").append(r[3]).append('\n'));
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }
}
