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

    public static LiveResource of(String id, String address, Map<String, Object> attributes) {
        return new LiveResource(id, address, attributes);
    }
}
