package dev.infra.core.testing;

import dev.infra.core.expand.Expansion;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.ResourceSchema;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * An in-memory "AWS" shared by the {@link FakeProvider}s of one test: resources by id, a log of the
 * calls that changed something, and knobs to make creates fail, crash after taking effect, or wait.
 * Deleting a resource that another one still contains (a VPC with subnets, a subnet with a NAT
 * gateway) fails like AWS's DependencyViolation, so a wrong delete order shows up as a failure.
 */
public final class FakeCloud {

    /** Attributes naming the resource that contains this one: AWS refuses to delete the container first. */
    static final Set<String> CONTAINMENT = Set.of("vpcId", "subnetId", "allocationId", "securityGroupId",
            "referencedGroupId");

    /** One stored resource. */
    public record Stored(String id, String type, Map<String, Object> attributes) {
        public Stored {
            attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        }

        @SuppressWarnings("unchecked")
        public Map<String, String> tags() {
            Object t = attributes.get("tags");
            return t instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
        }

        public String address() {
            return tags().get(Expansion.TAG_ADDRESS);
        }

        public String stack() {
            return tags().get(Expansion.TAG_STACK);
        }
    }

    private final Map<String, Stored> byId = new ConcurrentHashMap<>();
    /** Ids by {@code infra:address} tag, so that finding a resource by address does not scan them all (bench/scale). */
    private final Map<String, Set<String>> idsByAddress = new ConcurrentHashMap<>();
    private final Map<String, ResourceSchema> schemas = new TreeMap<>(defaultSchemas());
    private final AtomicInteger nextId = new AtomicInteger();
    /** Starts every id, so that the ids of two clouds (two regions) never meet. */
    private final String idPrefix;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    final Set<String> failCreate = ConcurrentHashMap.newKeySet();
    final Set<String> crashAfterCreate = ConcurrentHashMap.newKeySet();
    final Set<String> foundByTagsAlone = ConcurrentHashMap.newKeySet();
    final Set<String> listedLate = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lookups = new AtomicInteger();
    final Map<String, BooleanSupplier> createWaitsFor = new ConcurrentHashMap<>();
    final AtomicInteger activeCreates = new AtomicInteger();
    final AtomicInteger maxActiveCreates = new AtomicInteger();
    final AtomicInteger createsInProgress = new AtomicInteger();
    final AtomicInteger awaitsStarted = new AtomicInteger();
    final AtomicInteger maxCreatesInProgress = new AtomicInteger();
    final Map<String, java.util.function.BiFunction<LiveResource, Map<String, Object>, List<String>>> refusals =
            new ConcurrentHashMap<>();

    public FakeCloud() {
        this("");
    }

    private FakeCloud(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /** A cloud whose ids all start with {@code prefix}: one per region when a test spans regions. */
    public static FakeCloud withIdPrefix(String prefix) {
        return new FakeCloud(prefix);
    }

    /** Schemas shaped like the EC2 providers': tags (and a few more) updatable, the rest forces replacement. */
    static Map<String, ResourceSchema> defaultSchemas() {
        Set<String> computed = Set.of("arn");
        Map<String, ResourceSchema> m = new TreeMap<>();
        m.put("aws_vpc", ResourceSchema.of(Set.of("tags", "enableDnsSupport", "enableDnsHostnames"), computed));
        m.put("aws_internet_gateway", ResourceSchema.of(Set.of("tags"), computed));
        m.put("aws_subnet", ResourceSchema.of(Set.of("tags", "mapPublicIpOnLaunch"), computed));
        m.put("aws_eip", ResourceSchema.of(Set.of("tags"), computed));
        m.put("aws_nat_gateway", ResourceSchema.of(Set.of("tags"), computed));
        m.put("aws_route_table", ResourceSchema.of(Set.of("tags", "routes", "subnetIds"), computed)
                .withUnordered("subnetIds"));
        m.put("aws_security_group", ResourceSchema.of(Set.of("tags"), computed));
        m.put("aws_security_group_rule", ResourceSchema.of(Set.of("tags", "description"), computed));
        return m;
    }

    /** Replaces the schema of a type; call before {@link #registry()}. */
    public FakeCloud schema(String type, ResourceSchema schema) {
        schemas.put(type, schema);
        return this;
    }

    public ProviderRegistry registry() {
        List<FakeProvider> providers = new ArrayList<>();
        schemas.forEach((type, schema) -> providers.add(new FakeProvider(type, schema, this)));
        return ProviderRegistry.of(providers);
    }

    /** The next create of {@code address} fails with a ProviderException; nothing is created. */
    public FakeCloud failCreate(String address) {
        failCreate.add(address);
        return this;
    }

    /** The next create of {@code address} takes effect and then fails, like a timeout after AWS acted. */
    public FakeCloud crashAfterCreate(String address) {
        crashAfterCreate.add(address);
        return this;
    }

    /**
     * The providers of these types say they are found by their tags alone (as EC2's tagged types):
     * {@link dev.infra.core.provider.ResourceProvider#foundByTagsAlone}. The fake's findExisting is its listing
     * narrowed to the address for every type.
     */
    public FakeCloud foundByTagsAlone(String... types) {
        foundByTagsAlone.addAll(List.of(types));
        return this;
    }

    /** Listings leave out what is tagged with {@code address}, as EC2's may just after a create; findExisting finds it. */
    public FakeCloud listedLate(String address) {
        listedLate.add(address);
        return this;
    }

    void countLookup() {
        lookups.incrementAndGet();
    }

    /** How many findExisting calls all types got. */
    public int lookups() {
        return lookups.get();
    }

    /** What the providers of a type lack on this machine ({@link dev.infra.core.provider.ResourceProvider#prerequisite}). */
    final Map<String, String> missing = new ConcurrentHashMap<>();

    /** Per type, the attribute naming an existing resource to adopt rather than make (dns.zoneId's role). */
    final Map<String, String> namedBy = new ConcurrentHashMap<>();

    /** Resources of {@code type} whose {@code attribute} is set are adopted by name ({@code ResourceProvider#named}). */
    public FakeCloud adoptsNamed(String type, String attribute) {
        namedBy.put(type, attribute);
        return this;
    }

    /** The providers of {@code type} lack a program: {@code reason} says what to install. */
    public void lack(String type, String reason) {
        missing.put(type, reason);
    }

    /** Changes of {@code type} are refused at plan time with what {@code rule} says (its providers' refusals). */
    public FakeCloud refuse(String type, java.util.function.BiFunction<LiveResource, Map<String, Object>, List<String>> rule) {
        refusals.put(type, rule);
        return this;
    }

    /** Creating {@code address} waits, through {@code ctx.await}, until {@code ready} holds. */
    public FakeCloud createWaitsFor(String address, BooleanSupplier ready) {
        createWaitsFor.put(address, ready);
        return this;
    }

    public Stored put(String type, Map<String, Object> attributes) {
        String id = idPrefix + type.replace("aws_", "").replace('_', '-') + "-" + String.format("%04d", nextId.incrementAndGet());
        Map<String, Object> attrs = new TreeMap<>(attributes);
        attrs.put("arn", "arn:fake:" + id);
        Stored s = new Stored(id, type, attrs);
        store(s);
        return s;
    }

    private void store(Stored s) {
        unindex(byId.put(s.id(), s));
        if (s.address() != null) {
            idsByAddress.computeIfAbsent(s.address(), a -> ConcurrentHashMap.newKeySet()).add(s.id());
        }
    }

    private void unindex(Stored gone) {
        if (gone != null && gone.address() != null) {
            idsByAddress.getOrDefault(gone.address(), Set.of()).remove(gone.id());
        }
    }

    /** Stores {@code s} over the resource with its id: a change made outside infra. */
    public void replace(Stored s) {
        store(s);
    }

    /** Removes a resource without any check: a deletion made outside infra. */
    public void forget(String id) {
        unindex(byId.remove(id));
    }

    synchronized void remove(String id, String address) {
        Stored gone = byId.get(id);
        if (gone == null) {
            return;
        }
        for (Stored other : byId.values()) {
            for (String attr : CONTAINMENT) {
                if (!other.id().equals(id) && id.equals(other.attributes().get(attr))) {
                    throw new dev.infra.core.provider.ProviderException(address,
                            "DependencyViolation: " + id + " is still used by " + other.id() + " (" + other.address() + ")");
                }
            }
        }
        unindex(byId.remove(id));
    }

    public Optional<Stored> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Everything stored, by id. */
    public Map<String, Stored> all() {
        return new TreeMap<>(byId);
    }

    /** Stored resources carrying the {@code infra:address} tag. */
    public List<Stored> byAddress(String address) {
        return idsByAddress.getOrDefault(address, Set.of()).stream().sorted().map(byId::get)
                .filter(java.util.Objects::nonNull).toList();
    }

    public int size() {
        return byId.size();
    }

    void log(String line) {
        log.add(line);
    }

    /** "create a", "update b", "delete c" in the order they happened. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public void clearLog() {
        log.clear();
    }

    void countRead(String type) {
        reads.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
    }

    /** How many readAll calls each type got. */
    public Map<String, Integer> reads() {
        Map<String, Integer> m = new TreeMap<>();
        reads.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** The most creates that ran at once outside {@code ctx.await} (i.e. holding a slot). */
    public int maxActiveCreates() {
        return maxActiveCreates.get();
    }

    /** How many creates have started waiting in {@code ctx.await}. */
    public int awaitsStarted() {
        return awaitsStarted.get();
    }

    /** The most creates in progress at once, waiting ones included. */
    public int maxCreatesInProgress() {
        return maxCreatesInProgress.get();
    }
}
