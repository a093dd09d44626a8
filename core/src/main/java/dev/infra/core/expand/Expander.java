package dev.infra.core.expand;

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
        Expansion out = new Expansion(topology);
        COMPONENTS.forEach(c -> c.expand(topology, out));
        return Replication.shareGlobals(topology, RouteOrdering.apply(out.specs()));
    }
}
