package dev.infra.providers.route53;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@code aws_route53_record}: an alias record or a plain one. zoneId, name (FQDN with its trailing dot), type; an alias
 * record: aliasDnsName (read back lower-case without a trailing dot, as a load balancer reports its DNS name),
 * aliasZoneId, evaluateTargetHealth (true when absent); a plain record (no aliasDnsName): values (its ResourceRecords, a
 * set) and ttl (Long seconds), e.g. the CNAME that validates an ACM certificate; routing: setIdentifier (absent = simple routing), failover (PRIMARY | SECONDARY), region
 * (latency routing: the AWS region of the target), healthCheckId; no tags. Id: {@code <zoneId>_<name>_<type>}, and
 * {@code <zoneId>_<name>_<type>_<setIdentifier>} for a record of a failover, latency… set, so that the records
 * sharing a name and type have distinct ids.
 *
 * <p>Create and update are one UPSERT of the record set identified by name, type and set identifier; delete is a
 * DELETE with the record's current values, as Route 53 requires; each waits until the change is INSYNC. Records
 * carry no tags, so readAll reads the records the state names: one ListResourceRecordSets (300 records a page) per
 * zone they are in.
 */
public final class ResourceRecordSetProvider extends Route53Provider {

    public static final String TYPE = "aws_route53_record";
    static final String ZONE_ID = "zoneId";
    static final String NAME = "name";
    static final String RECORD_TYPE = "type";
    static final String ALIAS_DNS_NAME = "aliasDnsName";
    static final String ALIAS_ZONE_ID = "aliasZoneId";
    static final String EVALUATE_TARGET_HEALTH = "evaluateTargetHealth";
    static final String SET_IDENTIFIER = "setIdentifier";
    static final String FAILOVER = "failover";
    static final String REGION = "region";
    static final String HEALTH_CHECK_ID = "healthCheckId";
    static final String VALUES = "values";
    static final String TTL = "ttl";
    /** What an alias record evaluates when the spec does not say: its target's health (as it always did). */
    static final boolean EVALUATE_TARGET_HEALTH_DEFAULT = true;
    /** How many record sets one lookup asks for a page: those of one name and type (a latency set may be large). */
    private static final String LOOKUP_PAGE = "100";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.optional(ALIAS_DNS_NAME, Kind.REFERENCE).updatable(),
            Attribute.optional(ALIAS_ZONE_ID, Kind.REFERENCE).updatable(),
            Attribute.optional(EVALUATE_TARGET_HEALTH, Kind.BOOL).updatable(),
            Attribute.optional(FAILOVER, Kind.STRING).rule(Rule.OneOf.of("failover role", "PRIMARY", "SECONDARY")).updatable().absentMeansNone()
                    .doc("failover routing only"),
            Attribute.optional(HEALTH_CHECK_ID, Kind.REFERENCE).updatable().absentMeansNone()
                    .doc("absent = none"),
            Attribute.required(NAME, Kind.STRING)
                    .doc("FQDN with trailing dot"),
            // A record routed across regions that goes back to one region becomes a simple record again.
            Attribute.optional(SET_IDENTIFIER, Kind.STRING).absentMeansNone()
                    .doc("absent = simple routing"),
            Attribute.required(RECORD_TYPE, Kind.STRING),
            Attribute.required(ZONE_ID, Kind.REFERENCE),
            Attribute.optional(REGION, Kind.STRING).updatable().absentMeansNone()
                    .doc("latency routing: the AWS region of the record's target"),
            Attribute.optional(TTL, Kind.NUMBER).updatable(),
            Attribute.optional(VALUES, Kind.SET).updatable())
            .id("`<zone>_<name>_<type>` (simple), `<zone>_<name>_<type>_<setIdentifier>` (with a set identifier; parsed at the first `._<TYPE>` followed by `_` or the end)")
            .notes("An alias record: aliasDnsName A, a plain record (no aliasDnsName): values A *set* (List of String: the ResourceRecords, e.g. an ACM validation CNAME's value) and ttl A (Long seconds; required with values). evaluateTargetHealth A (Boolean, alias targets; absent = true, what the provider always sent). Create/update = UPSERT of the record set identified by name, type and setIdentifier; delete = DELETE of it; simple ↔ routed is a new setIdentifier, so a replacement");

    public ResourceRecordSetProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    /** A record's natural key, which is also its id; {@code setIdentifier} is null for a simple record. */
    record Key(String zoneId, String name, String type, String setIdentifier) {

        static Key of(ResourceSpec spec) {
            return new Key(Route53Provider.zoneId(SpecValues.string(spec, ZONE_ID)), fqdn(SpecValues.string(spec, NAME)),
                    SpecValues.string(spec, RECORD_TYPE).toUpperCase(Locale.ROOT),
                    SpecValues.optionalString(spec, SET_IDENTIFIER));
        }

        /**
         * Parses {@code <zoneId>_<name>_<type>[_<setIdentifier>]}. Zone ids hold no {@code _}; names may, and end with a
         * dot; set identifiers may hold anything. The name ends at the first {@code ._<TYPE>} (a Route 53 record type,
         * upper-case) followed by {@code _} or the end: only a name with an upper-case label {@code _<TYPE>_…} (such
         * as {@code _A_x}) would be misread.
         */
        static Key parse(String id) {
            int first = id.indexOf('_');
            if (first > 0) {
                for (int dot = id.indexOf("._", first + 1); dot >= 0; dot = id.indexOf("._", dot + 1)) {
                    int typeStart = dot + 2;
                    int typeEnd = id.indexOf('_', typeStart);
                    String type = id.substring(typeStart, typeEnd < 0 ? id.length() : typeEnd);
                    boolean withSet = typeEnd >= 0;
                    if (RECORD_TYPES.contains(type) && (!withSet || typeEnd < id.length() - 1)) {
                        return new Key(id.substring(0, first), id.substring(first + 1, dot + 1), type,
                                withSet ? id.substring(typeEnd + 1) : null);
                    }
                }
            }
            throw new IllegalArgumentException("not a record id (<zoneId>_<name>_<type>[_<setIdentifier>]): " + id);
        }

        String id() {
            return zoneId + "_" + name + "_" + type + (setIdentifier == null ? "" : "_" + setIdentifier);
        }

        /** Whether {@code set} is of this name and type. */
        boolean named(ResourceRecordSet set) {
            return type.equals(set.typeAsString()) && sameName(set.name(), name);
        }

        /** The record set of this name, type and set identifier (a simple record when it has none). */
        boolean matches(ResourceRecordSet set) {
            return named(set) && Objects.equals(setIdentifier, set.setIdentifier());
        }
    }

    /** Route 53's record types, as ids spell them. */
    private static final Set<String> RECORD_TYPES = RRType.knownValues().stream().map(RRType::toString)
            .collect(Collectors.toUnmodifiableSet());

    /** Records carry no tags: the ones state names, one ListResourceRecordSets (all pages) per zone they are in. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Map<String, List<Key>> byZone = ids.stream().map(ResourceRecordSetProvider::key)
                .collect(Collectors.groupingBy(Key::zoneId, TreeMap::new, Collectors.toList()));
        return ParallelReads.each(byZone.entrySet(), zone -> ProviderSupport.unless(this::isGone, () -> {
            List<ResourceRecordSet> sets = call("ListResourceRecordSets", () -> route53().listResourceRecordSetsPaginator(
                    b -> b.hostedZoneId(zone.getKey())).resourceRecordSets().stream().toList());
            return Optional.of(zone.getValue().stream().flatMap(key -> sets.stream().filter(key::matches).findFirst()
                    .map(s -> toLive(key, s)).stream()).toList());
        })).stream().flatMap(List::stream).toList();
    }

    /** The record of this zone, name and type, whoever made it (records carry no tags). */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        Key key = Key.of(spec);
        return lookup(key).map(s -> toLive(key, s));
    }

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        return upsert(Key.of(spec), spec, ctx);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return upsert(key(current.id()), spec, ctx);
    }

    /** A DELETE with the record's current values, as Route 53 requires: what it reported is sent back. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        Key key = key(current.id());
        Optional<ResourceRecordSet> now = lookup(key);
        if (now.isPresent()) {
            change(ctx, "delete of " + key.id(), () -> call("ChangeResourceRecordSets",
                    () -> route53().changeResourceRecordSets(b -> b.hostedZoneId(key.zoneId()).changeBatch(c -> c.changes(
                            Change.builder().action(ChangeAction.DELETE).resourceRecordSet(now.get()).build()))))
                    .changeInfo());
        }
    }

    /** Its zone gone, or (a DELETE racing another) "Tried to delete resource record set … but it was not found". */
    @Override
    protected boolean isGone(AwsCallException e) {
        return super.isGone(e)
                || ("InvalidChangeBatch".equals(e.code()) && e.getMessage() != null && e.getMessage().contains("not found"));
    }

    // ---- internals ----------------------------------------------------------------------------------

    private LiveResource upsert(Key key, ResourceSpec spec, OperationContext ctx) {
        ResourceRecordSet.Builder builder = ResourceRecordSet.builder()
                .name(key.name())
                .type(key.type())
                .setIdentifier(key.setIdentifier())
                .failover(SpecValues.optionalString(spec, FAILOVER))
                .region(SpecValues.optionalString(spec, REGION))
                .healthCheckId(SpecValues.optionalString(spec, HEALTH_CHECK_ID));
        if (SpecValues.optionalString(spec, ALIAS_DNS_NAME) != null) {
            builder.aliasTarget(AliasTarget.builder()
                    .dnsName(aliasName(SpecValues.string(spec, ALIAS_DNS_NAME)))
                    .hostedZoneId(SpecValues.string(spec, ALIAS_ZONE_ID))
                    .evaluateTargetHealth(SpecValues.bool(spec, EVALUATE_TARGET_HEALTH, EVALUATE_TARGET_HEALTH_DEFAULT))
                    .build());
        } else {
            // A plain record: its values and TTL (Route 53 requires both when there is no alias target).
            List<String> values = SpecValues.strings(spec, VALUES);
            if (values.isEmpty()) {
                throw new ProviderException(spec.address(), "a record needs aliasDnsName or values");
            }
            builder.ttl(SpecValues.number(spec, TTL))
                    .resourceRecords(values.stream().map(v -> ResourceRecord.builder().value(v).build()).toList());
        }
        ResourceRecordSet record = builder.build();
        change(ctx, "UPSERT of " + key.id(), () -> call("ChangeResourceRecordSets",
                () -> route53().changeResourceRecordSets(b -> b.hostedZoneId(key.zoneId()).changeBatch(
                        c -> c.changes(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(record).build()))))
                .changeInfo());
        return lookup(key).map(s -> toLive(key, s)).orElseThrow(() -> new ProviderException(spec.address(),
                "record " + key.id() + " is not listed after its UPSERT was applied"));
    }

    /**
     * The record, from ListResourceRecordSets starting at its name and type, read only as far as the record sets of
     * that name and type go (one call unless they fill more than a page); empty when it or its zone is gone.
     */
    private Optional<ResourceRecordSet> lookup(Key key) {
        try {
            return call("ListResourceRecordSets", () -> route53().listResourceRecordSetsPaginator(b -> b
                    .hostedZoneId(key.zoneId()).startRecordName(key.name()).startRecordType(key.type())
                    .maxItems(LOOKUP_PAGE))
                    .resourceRecordSets().stream().takeWhile(key::named).filter(key::matches).findFirst());
        } catch (AwsCallException e) {
            if (super.isGone(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private LiveResource toLive(Key key, ResourceRecordSet set) {
        Map<String, Object> a = new TreeMap<>();
        a.put(ZONE_ID, key.zoneId());
        a.put(NAME, unescape(set.name()));
        a.put(RECORD_TYPE, set.typeAsString());
        AliasTarget alias = set.aliasTarget();
        if (alias != null) {
            a.put(ALIAS_DNS_NAME, aliasName(alias.dnsName()));
            a.put(ALIAS_ZONE_ID, alias.hostedZoneId());
            putIfPresent(a, EVALUATE_TARGET_HEALTH, alias.evaluateTargetHealth());
        } else if (set.hasResourceRecords() && !set.resourceRecords().isEmpty()) {
            a.put(VALUES, set.resourceRecords().stream().map(ResourceRecord::value).toList());
            putIfPresent(a, TTL, set.ttl());
        }
        putIfPresent(a, SET_IDENTIFIER, set.setIdentifier());
        putIfPresent(a, FAILOVER, set.failoverAsString());
        putIfPresent(a, REGION, set.regionAsString());
        putIfPresent(a, HEALTH_CHECK_ID, set.healthCheckId());
        return live(key.id(), Map.of(), a);
    }

    /** An alias target's DNS name as load balancers report it: lower-case, no trailing dot (Route 53 adds one). */
    static String aliasName(String dnsName) {
        String n = dnsName.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static Key key(String id) {
        try {
            return Key.parse(id);
        } catch (IllegalArgumentException e) {
            throw new ProviderException(id, e.getMessage(), e);
        }
    }
}
