package dev.infra.core.provider;

import dev.infra.core.catalogue.Catalogue;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** Providers keyed by the resource type they manage. */
public final class ProviderRegistry {

    private final Map<String, ResourceProvider> byType = new TreeMap<>();

    private ProviderRegistry() {}

    public static ProviderRegistry of(Collection<? extends ResourceProvider> providers) {
        ProviderRegistry r = new ProviderRegistry();
        for (ResourceProvider p : providers) {
            if (r.byType.put(p.type(), p) != null) {
                throw new IllegalArgumentException("two providers for type " + p.type());
            }
        }
        return r;
    }

    public ResourceProvider get(String type) {
        ResourceProvider p = byType.get(type);
        if (p == null) {
            throw new IllegalArgumentException("no provider for resource type " + type);
        }
        return p;
    }

    /** The entries of the providers that declare one. */
    public Catalogue catalogue() {
        return Catalogue.of(byType.values().stream().flatMap(p -> p.entry().stream()).toList());
    }

    public Collection<ResourceProvider> all() {
        return byType.values();
    }
}
