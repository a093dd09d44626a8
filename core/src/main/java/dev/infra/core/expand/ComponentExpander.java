package dev.infra.core.expand;

import dev.infra.core.topology.Topology;

/** Expands one component of the topology (network, clusters, tables…) into resources. */
interface ComponentExpander {

    void expand(Topology topology, Expansion out);
}
