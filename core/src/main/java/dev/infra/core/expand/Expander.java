package dev.infra.core.expand;

import dev.infra.core.catalogue.Catalogue;
import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Topology;
import java.util.List;

/** Turns a topology's components into the resources they need. */
public final class Expander {

    /** One per topology key; a new component is one more entry here. */
    private static final List<ComponentExpander> COMPONENTS = List.of(new NetworkExpander(), new EncryptionExpander(),
            new ProxyExpander(), new ClusterExpander(), new EdgeExpander(), new DataExpander(), new MonitoringExpander(),
            new LogArchiveExpander());

    private Expander() {}

    public static List<ResourceSpec> expand(Topology topology) {
        ReplicationRules.check(topology);
        return specs(topology);
    }

    /**
     * The resources, each checked against its type's entry in {@code catalogue}: what AWS would refuse of the placed
     * topology and of any value is refused at once, every problem at its YAML line.
     */
    public static List<ResourceSpec> expand(Topology topology, Catalogue catalogue) {
        Diagnostics diags = new Diagnostics();
        ReplicationRules.check(topology, diags);
        List<ResourceSpec> specs = specs(topology);
        catalogue.problems(specs).forEach(diags::add);
        if (diags.hasErrors()) {
            throw new InvalidInputException(diags.all());
        }
        return specs;
    }

    private static List<ResourceSpec> specs(Topology topology) {
        Expansion out = new Expansion(topology);
        COMPONENTS.forEach(c -> c.expand(topology, out));
        return Replication.shareGlobals(topology, RouteOrdering.apply(out.specs()));
    }
}
