package dev.infra.core.provider;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A resource as AWS reports it.
 *
 * @param id the provider's identifier (vpc-…, an ARN, a name)
 * @param address the {@code infra:address} tag, or {@code null} when the resource carries none
 * @param attributes the same attribute names a {@code ResourceSpec} uses, plus computed ones
 */
public record LiveResource(String id, String address, Map<String, Object> attributes) {

    public LiveResource {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /**
     * The tag naming the region whose state owns a resource of an account-wide type (an S3 bucket, an IAM role, a
     * Route 53 zone or health check): every region's listing shows it, and only its own region may adopt or delete it.
     */
    public static final String REGION_TAG = "infra:region";

    /**
     * For a setting the account has one of per region ({@link ResourceProvider#singleton}), the stack that holds it when
     * another does: the plan leaves it as it is, and this stack's state never records it.
     */
    public static final String HELD_BY = "heldBy";

    public static LiveResource of(String id, String address, Map<String, Object> attributes) {
        return new LiveResource(id, address, attributes);
    }

    /** Whether the resource is tagged as another region's than {@code region} (untagged: no region claims it). */
    public boolean ownedByOtherRegion(String region) {
        Object tags = attributes.get("tags");
        Object owner = tags instanceof Map<?, ?> m ? m.get(REGION_TAG) : null;
        return owner != null && !owner.equals(region);
    }
}
