package dev.infra.cli.render;

import dev.infra.cli.Console;
import dev.infra.core.model.Ref;
import dev.infra.core.model.Unknown;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Adoption;
import dev.infra.core.plan.Drift;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** A plan as a person reads it, Terraform-style: drift first, then the changes, then a summary. */
public final class PlanRenderer {

    private final Console console;

    public PlanRenderer(Console console) {
        this.console = console;
    }

    public String render(Plan plan) {
        StringBuilder sb = new StringBuilder();
        if (!plan.drift().isEmpty() && plan.hasChanges()) {
            sb.append(console.bold("Objects have changed outside infra since the last apply:")).append("\n\n");
            for (Drift d : plan.drift()) {
                if (d.deleted()) {
                    sb.append("  ").append(console.red("x")).append(' ').append(d.address()).append(" was deleted\n");
                } else {
                    sb.append("  ").append(console.yellow("~")).append(' ').append(d.address()).append('\n');
                    d.changes().forEach(c -> attribute(sb, "~", c.name(), c.before(), c.after(), false));
                }
            }
            sb.append('\n');
        }
        adoptions(sb, plan);
        held(sb, plan);
        if (!plan.hasChanges()) {
            return sb.append(plan.summary()).append('\n').toString();
        }
        List<ResourceChange> acting = plan.changes().stream().filter(c -> c.action() != Action.NO_OP).toList();
        if (!acting.isEmpty()) {
            sb.append("infra will perform these actions on stack ").append(plan.stack()).append(" in ")
                    .append(plan.region()).append(":\n\n");
            acting.forEach(c -> change(sb, c));
        }
        return sb.append(console.bold(plan.summary())).append('\n').toString();
    }

    /** Resources the state does not record but the stack's tags claim, grouped by why the state lacks them. */
    private void adoptions(StringBuilder sb, Plan plan) {
        Map<Adoption, List<ResourceChange>> byCause = new java.util.EnumMap<>(Adoption.class);
        plan.changes().stream().filter(ResourceChange::adopts)
                .forEach(c -> byCause.computeIfAbsent(c.adoption(), k -> new ArrayList<>()).add(c));
        if (byCause.isEmpty()) {
            return;
        }
        sb.append(console.bold("infra will adopt these resources into the state, found by their"
                + " infra:address tag unless the topology names them:"))
                .append("\n\n");
        byCause.forEach((cause, changes) -> {
            sb.append("  because ").append(cause.cause()).append(":\n");
            changes.forEach(c -> sb.append("    ").append(console.green("=")).append(' ').append(c.address())
                    .append(" (").append(c.type()).append(") ").append(c.id())
                    .append(c.action() == Action.NO_OP ? "" : ", then " + c.action().name().toLowerCase().replace('_', '-'))
                    .append('\n'));
        });
        sb.append('\n');
    }

    /** Account-wide settings another stack holds: left as they are, said so that nobody expects this stack's. */
    private void held(StringBuilder sb, Plan plan) {
        List<ResourceChange> held = plan.changes().stream().filter(c -> c.heldBy() != null).toList();
        if (held.isEmpty()) {
            return;
        }
        sb.append(console.bold("infra leaves these account-wide settings as they are: another stack holds them"
                + " (the account has one per region):")).append("\n\n");
        held.forEach(c -> sb.append("    ").append(console.yellow("!")).append(' ').append(c.address()).append(" (")
                .append(c.type()).append(") held by stack ").append(c.heldBy()).append('\n'));
        sb.append('\n');
    }

    private void change(StringBuilder sb, ResourceChange c) {
        String symbol = switch (c.action()) {
            case CREATE -> console.green("+");
            case UPDATE -> console.yellow("~");
            case REPLACE -> console.red("-/+");
            case DELETE -> console.red("-");
            case FORGET -> console.yellow(".");
            case NO_OP -> " ";
        };
        sb.append("  ").append(symbol).append(' ').append(console.bold(c.address())).append(" (").append(c.type()).append(')');
        if (c.action() == Action.FORGET) {
            // Terraform's "will no longer be managed": said in words, since a symbol alone reads as a delete.
            sb.append(" will be left in place (adopted: ").append(c.id()).append(", the stack no longer manages it)");
        } else if (c.id() != null) {
            sb.append(' ').append(c.id());
        }
        if (c.action() != Action.CREATE) {
            sb.append("  # ").append(c.reason());
        }
        sb.append('\n');
        if (c.dataLoss() != null) {
            sb.append("      ").append(console.red("! goes with it: " + c.dataLoss())).append('\n');
        }
        switch (c.action()) {
            case CREATE -> c.desired().forEach((k, v) -> attribute(sb, "+", k, null, v, false));
            case UPDATE, REPLACE -> c.changes().forEach(a -> attribute(sb, "~", a.name(), a.before(), a.after(), a.forcesReplacement()));
            default -> { }
        }
        sb.append('\n');
    }

    /** Maps (tags) diff key by key; everything else before → after. */
    private void attribute(StringBuilder sb, String sign, String name, Object before, Object after, boolean forces) {
        String note = forces ? console.red("  # forces replacement") : "";
        if (before instanceof Map<?, ?> b && after instanceof Map<?, ?> a) {
            TreeSet<String> keys = new TreeSet<>();
            b.keySet().forEach(k -> keys.add(String.valueOf(k)));
            a.keySet().forEach(k -> keys.add(String.valueOf(k)));
            for (String k : keys) {
                Object x = b.get(k);
                Object y = a.get(k);
                if (!Objects.equals(x, y)) {
                    String s = x == null ? "+" : y == null ? "-" : "~";
                    sb.append("      ").append(s).append(' ').append(name).append('.').append(k).append(": ")
                            .append(x == null ? show(y) : y == null ? show(x) : show(x) + " -> " + show(y)).append(note).append('\n');
                }
            }
            return;
        }
        sb.append("      ").append(sign).append(' ').append(name).append(": ");
        sb.append(before == null ? show(after) : show(before) + " -> " + show(after)).append(note).append('\n');
    }

    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Ref r && !r.local()) {
            // A replica's value from its primary: say where it comes from.
            return "(" + r.attribute() + " of " + r.address() + " in " + r.region() + ")";
        }
        if (v instanceof Unknown || v instanceof Ref) {
            return "(known after apply)";
        }
        if (v instanceof Map<?, ?> m) {
            // By key: a map's own order (Map.of's changes from run to run) must not change the plan's text.
            return m.entrySet().stream().sorted(Comparator.comparing(e -> String.valueOf(e.getKey())))
                    .map(e -> e.getKey() + " = " + show(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PlanRenderer::show).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(v);
    }
}
