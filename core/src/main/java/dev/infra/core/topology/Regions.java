package dev.infra.core.topology;

import dev.infra.core.diag.SourceLocation;
import java.util.List;
import java.util.Map;

/** The stack across regions: per-region settings from the topology, and which regions the stack spans. */
public final class Regions {

    private Regions() {}

    /**
     * {@code regions.<R>}: what differs in R from the file's region, for a copy ({@code apply --region R}) or a
     * replica ({@code replicate --to R}).
     *
     * @param cidr the VPC block in R; {@code null}: a copy keeps the file's, a replica gets one chosen to overlap no
     *     other region's
     * @param zones zone letters in R; {@code null}: the file's letters, or R's first zones when R lacks one
     * @param certificates ACM certificate ARNs in R by load balancer name (certificates are regional)
     */
    public record Settings(String region, String cidr, List<String> zones, Map<String, String> certificates,
                           SourceLocation at) {}

    /**
     * The regions this topology is planned among.
     *
     * @param primary the stack's primary region (the file's {@code region:})
     * @param replicas the regions that replicate it, in the order they were added; empty for a single region
     * @param nameSuffix what the global names infra derives end with ({@code -<suffix>}), as the primary's state says
     *     ({@link dev.infra.core.state.State#nameSuffix}); null: none (a state from before, or no state read yet)
     */
    public record Placement(String primary, List<String> replicas, String nameSuffix) {

        public Placement {
            replicas = List.copyOf(replicas);
        }

        public static Placement single(String region) {
            return new Placement(region, List.of(), null);
        }

        /** {@code derived}, a global name infra derives (a bucket's), made unique with the stack's suffix. */
        public String unique(String derived) {
            return nameSuffix == null ? derived : derived + "-" + nameSuffix;
        }

        public boolean replicated() {
            return !replicas.isEmpty();
        }
    }
}
