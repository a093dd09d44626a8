package dev.infra.providers.route53;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * {@code aws_route53_record}: an alias record. zoneId, name (FQDN with its trailing dot), type, aliasDnsName (read
 * back lower-case without a trailing dot, as a load balancer reports its DNS name), aliasZoneId; no tags. Id:
 * {@code <zoneId>_<name>_<type>}.
 *
 * <p>Create and update are one UPSERT (alias target health evaluated); delete is a DELETE with the record's current
 * values, as Route 53 requires; each waits until the change is INSYNC. Records carry no tags, so readAll reads the
 * records the state names: one ListResourceRecordSets (300 records a page) per zone they are in.
 */
public final class ResourceRecordSetProvider extends Route53Provider {

    public static final String TYPE = "aws_route53_record";
    static final String ZONE_ID = "zoneId";
    static final String NAME = "name";
    static final String RECORD_TYPE = "type";
    static final String ALIAS_DNS_NAME = "aliasDnsName";
    static final String ALIAS_ZONE_ID = "aliasZoneId";

    public ResourceRecordSetProvider(AwsClients clients) {
        super(clients, TYPE, false, Set.of(ALIAS_DNS_NAME, ALIAS_ZONE_ID), Set.of());
    }

    /** A record's natural key, which is also its id. */
    record Key(String zoneId, String name, String type) {

        static Key of(ResourceSpec spec) {
            return new Key(Route53Provider.zoneId(SpecValues.string(spec, ZONE_ID)), fqdn(SpecValues.string(spec, NAME)),
                    SpecValues.string(spec, RECORD_TYPE).toUpperCase(Locale.ROOT));
        }

        /** Parses {@code <zoneId>_<name>_<type>}: zone ids and types hold no {@code _}, names may. */
        static Key parse(String id) {
            int first = id.indexOf('_');
            int last = id.lastIndexOf('_');
            if (first <= 0 || last <= first + 1 || last == id.length() - 1) {
                throw new IllegalArgumentException("not a record id (<zoneId>_<name>_<type>): " + id);
            }
            return new Key(id.substring(0, first), id.substring(first + 1, last), id.substring(last + 1));
        }

        String id() {
            return zoneId + "_" + name + "_" + type;
        }

        /** The simple record of this name and type (not one of a weighted, latency… set). */
        boolean matches(ResourceRecordSet set) {
            return set.setIdentifier() == null && type.equals(set.typeAsString()) && sameName(set.name(), name);
        }
    }

    /** Records carry no tags: the ones state names, one ListResourceRecordSets (all pages) per zone they are in. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Map<String, List<Key>> byZone = ids.stream().map(ResourceRecordSetProvider::key)
                .collect(Collectors.groupingBy(Key::zoneId, TreeMap::new, Collectors.toList()));
        List<LiveResource> out = new ArrayList<>();
        byZone.forEach((zone, keys) -> {
            List<ResourceRecordSet> sets;
            try {
                sets = call("ListResourceRecordSets", () -> route53().listResourceRecordSetsPaginator(
                        b -> b.hostedZoneId(zone)).resourceRecordSets().stream().toList());
            } catch (AwsCallException e) {
                if (isGone(e)) {
                    return;
                }
                throw e;
            }
            for (Key key : keys) {
                sets.stream().filter(key::matches).findFirst().ifPresent(s -> out.add(toLive(key, s)));
            }
        });
        return out;
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
        AliasTarget alias = AliasTarget.builder()
                .dnsName(aliasName(SpecValues.string(spec, ALIAS_DNS_NAME)))
                .hostedZoneId(SpecValues.string(spec, ALIAS_ZONE_ID))
                .evaluateTargetHealth(true)
                .build();
        ResourceRecordSet record = ResourceRecordSet.builder().name(key.name()).type(key.type()).aliasTarget(alias).build();
        change(ctx, "UPSERT of " + key.id(), () -> call("ChangeResourceRecordSets",
                () -> route53().changeResourceRecordSets(b -> b.hostedZoneId(key.zoneId()).changeBatch(
                        c -> c.changes(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(record).build()))))
                .changeInfo());
        return lookup(key).map(s -> toLive(key, s)).orElseThrow(() -> new ProviderException(spec.address(),
                "record " + key.id() + " is not listed after its UPSERT was applied"));
    }

    /** The record, from one ListResourceRecordSets starting at its name and type; empty when it or its zone is gone. */
    private Optional<ResourceRecordSet> lookup(Key key) {
        try {
            return call("ListResourceRecordSets", () -> route53().listResourceRecordSets(b -> b.hostedZoneId(key.zoneId())
                    .startRecordName(key.name()).startRecordType(key.type()).maxItems("10")))
                    .resourceRecordSets().stream().filter(key::matches).findFirst();
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
        }
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
