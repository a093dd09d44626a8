package dev.infra.core.testing;

import dev.infra.core.expand.Expansion;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.provider.ResourceSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** A {@link ResourceProvider} for one type, backed by a {@link FakeCloud}'s map. */
public final class FakeProvider implements ResourceProvider {

    private final String type;
    private final ResourceSchema schema;
    private final FakeCloud cloud;

    public FakeProvider(String type, ResourceSchema schema, FakeCloud cloud) {
        this.type = type;
        this.schema = schema;
        this.cloud = cloud;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public ResourceSchema schema() {
        return schema;
    }

    @Override
    public List<LiveResource> readAll(ReadRequest request) {
        cloud.countRead(type);
        return cloud.all().values().stream()
                .filter(s -> s.type().equals(type))
                .filter(s -> request.stack().equals(s.stack()) || request.ids().contains(s.id()))
                .filter(s -> s.address() == null || !cloud.listedLate.contains(s.address()))
                .map(FakeProvider::live)
                .toList();
    }

    @Override
    public Optional<LiveResource> findExisting(String stack, ResourceSpec spec) {
        cloud.countLookup();
        return cloud.byAddress(spec.address()).stream()
                .filter(s -> s.type().equals(type) && stack.equals(s.stack()))
                .findFirst()
                .map(FakeProvider::live);
    }

    @Override
    public Optional<String> named(Map<String, Object> attributes) {
        String attribute = cloud.namedBy.get(type);
        return attribute != null && attributes.get(attribute) instanceof String id ? Optional.of(id) : Optional.empty();
    }

    @Override
    public boolean foundByTagsAlone() {
        return cloud.foundByTagsAlone.contains(type);
    }

    @Override
    public LiveResource create(ResourceSpec spec, OperationContext ctx) {
        String address = spec.address();
        requireResolved(spec);
        if (cloud.failCreate.remove(address)) {
            throw new ProviderException(address, "InvalidParameterValue: injected failure");
        }
        track(cloud.createsInProgress, cloud.maxCreatesInProgress, 1);
        track(cloud.activeCreates, cloud.maxActiveCreates, 1);
        try {
            BooleanSupplier ready = cloud.createWaitsFor.get(address);
            if (ready != null) {
                cloud.activeCreates.decrementAndGet();
                cloud.awaitsStarted.incrementAndGet();
                try {
                    ctx.await(address + " to become available", Duration.ofSeconds(20), Duration.ofMillis(2),
                            () -> ready.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
                } finally {
                    track(cloud.activeCreates, cloud.maxActiveCreates, 1);
                }
            }
            FakeCloud.Stored s = cloud.put(type, spec.attributes());
            cloud.log("create " + address);
            if (cloud.crashAfterCreate.remove(address)) {
                throw new ProviderException(address, "RequestTimeout: no answer (the create took effect)");
            }
            return live(s);
        } finally {
            cloud.activeCreates.decrementAndGet();
            cloud.createsInProgress.decrementAndGet();
        }
    }

    @Override
    public LiveResource update(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        requireResolved(spec);
        for (String attribute : changed) {
            if (schema.forcesReplacement(attribute)) {
                throw new IllegalStateException(spec.address() + ": asked to update " + attribute
                        + " in place, which forces replacement");
            }
        }
        FakeCloud.Stored s = cloud.get(current.id())
                .orElseThrow(() -> new ProviderException(spec.address(), "NotFound: " + current.id()));
        Map<String, Object> attrs = new TreeMap<>(s.attributes());
        // As real providers do, write only what differs from what the engine says is current: an engine handing in a
        // stale "current" (the state's record instead of what AWS holds) makes the update a silent no-op.
        changed.stream().filter(a -> !Objects.equals(current.attributes().get(a), spec.attributes().get(a)))
                .forEach(a -> attrs.put(a, spec.attributes().get(a)));
        FakeCloud.Stored updated = new FakeCloud.Stored(s.id(), type, attrs);
        cloud.replace(updated);
        cloud.log("update " + spec.address());
        return live(updated);
    }

    @Override
    public Optional<String> prerequisite() {
        return Optional.ofNullable(cloud.missing.get(type));
    }

    @Override
    public List<String> refusals(LiveResource current, Map<String, Object> desired) {
        return cloud.refusals.getOrDefault(type, (c, d) -> List.of()).apply(current, desired);
    }

    @Override
    public void delete(LiveResource current, OperationContext ctx) {
        cloud.remove(current.id(), current.address());
        cloud.log("delete " + current.address());
    }

    private static void requireResolved(ResourceSpec spec) {
        if (!Values.refs(spec.attributes()).isEmpty() || Values.containsUnknown(spec.attributes())) {
            throw new IllegalStateException(spec.address() + ": provider got unresolved attributes " + spec.attributes());
        }
    }

    private static void track(java.util.concurrent.atomic.AtomicInteger now, java.util.concurrent.atomic.AtomicInteger max, int delta) {
        int v = now.addAndGet(delta);
        max.accumulateAndGet(v, Math::max);
    }

    static LiveResource live(FakeCloud.Stored s) {
        return LiveResource.of(s.id(), s.tags().get(Expansion.TAG_ADDRESS), s.attributes());
    }
}
