package dev.infra.providers.route53;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.CreateHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListHostedZonesByNameResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.TagResourceType;
import software.amazon.awssdk.services.route53.model.VPC;

/**
 * {@code aws_route53_zone}: name (read back as Route 53 reports it, with its trailing dot), vpcId (present = a private
 * zone associated with that VPC of the client's region), comment, tags, zoneId (write-only: an existing public zone
 * adopted rather than made, see {@link #adopted}; never changed nor deleted); computed nameServers (a public zone's
 * delegation set: what its parent domain must name for ACM's DNS validation and the records to resolve). Id: the zone
 * id without {@code /hostedzone/}.
 *
 * <p>CreateHostedZone takes no tags, and its CallerReference must be new: the reference is
 * {@code infra-<hash of stack and address>-<random per create>}: after a failure that may have run, the create looks for
 * a zone with this reference before it sends the call again ({@link #createOnce}; a repeat AWS answers with
 * HostedZoneAlreadyExists is resolved the same way), and {@link #find} recognises a zone whose create was
 * interrupted before it was tagged. Route 53 has no tag filter: readAll is ListHostedZones (100 zones a page) +
 * ListTagsForResources (10 zones a call) + one GetHostedZone per zone of the stack (a private zone's VPC, a public
 * zone's name servers).
 */
public final class HostedZoneProvider extends Route53Provider {

    public static final String TYPE = "aws_route53_zone";
    static final String NAME = "name";
    static final String VPC_ID = "vpcId";
    static final String COMMENT = "comment";
    /** A public zone's name servers (its delegation set): what the parent domain must delegate to. */
    static final String NAME_SERVERS = "nameServers";
    /** An existing public zone the stack uses rather than makes (topology dns.zoneId). */
    static final String ZONE_ID = "zoneId";
    private static final TagResourceType TAGGED_AS = TagResourceType.HOSTEDZONE;
    private static final String NOT_EMPTY = "HostedZoneNotEmpty";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.optional(COMMENT, Kind.STRING).updatable(),
            Attribute.required(NAME, Kind.STRING),
            Attribute.optional(ZONE_ID, Kind.STRING).writeOnly()
                    .doc("an existing public zone of this name to adopt: used as it is (no tags, comment or name server"
                            + " change), never deleted; recorded in state: destroy forgets the zone (plan: left in"
                            + " place), and another zoneId than the one adopted is refused"),
            Attribute.optional(VPC_ID, Kind.REFERENCE)
                    .doc("present = private zone"),
            Attribute.computed(NAME_SERVERS, Kind.LIST)
                    .doc("a public zone's delegation set, from GetHostedZone: readAll makes one per zone of the stack"))
            .with(Trait.TAGGED, Trait.ACCOUNT_WIDE)
            .id("zone id (without /hostedzone/)")
            .notes("With zoneId: create and find read that zone (GetHostedZone; it must be public and carry the name),"
                    + " update changes nothing, delete leaves it");

    public HostedZoneProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    /**
     * A zone the topology names by id (dns.zoneId) is looked up at plan time: a wrong id fails the plan. The state
     * records zoneId with the zone it adopted: a destroy forgets that zone, and another zoneId is refused.
     */
    @Override
    public Optional<String> named(Map<String, Object> attributes) {
        return attributes.get(ZONE_ID) instanceof String id ? Optional.of(zoneId(id)) : Optional.empty();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        List<HostedZone> zones = call("ListHostedZones",
                () -> route53().listHostedZonesPaginator(b -> { }).hostedZones().stream().toList());
        Map<String, Map<String, String>> tagsById = tagsOf(TAGGED_AS, zones.stream().map(z -> zoneId(z.id())).toList());
        return readDetails(zones, zone -> {
            Map<String, String> tags = tagsById.getOrDefault(zoneId(zone.id()), Map.of());
            if (!stack.equals(tags.get(STACK_TAG))) {
                return Optional.empty();
            }
            // ListHostedZones has neither a private zone's VPCs nor a public zone's name servers.
            GetHostedZoneResponse details = details(zone.id());
            return Optional.of(toLive(zone, details.vpCs(), nameServersOf(details), tags));
        });
    }

    /** Zones of the state that no longer carry the stack's tag: one GetHostedZone each. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, id -> ProviderSupport.unless(this::isGone, () -> Optional.of(read(zoneId(id)))));
    }

    /**
     * The zone of this name tagged with this stack and address; else one whose CallerReference says a create for this
     * stack and address made it, and which carries no stack tag yet (the create was interrupted before tagging).
     */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        if (spec.attributes().containsKey(ZONE_ID)) {
            return Optional.of(adopted(spec));
        }
        List<HostedZone> named = zonesNamed(fqdn(SpecValues.string(spec, NAME)));
        Map<String, Map<String, String>> tagsById = tagsOf(TAGGED_AS, named.stream().map(z -> zoneId(z.id())).toList());
        Optional<HostedZone> found = madeFor(stack, spec.address(), named, z -> zoneId(z.id()), HostedZone::callerReference,
                tagsById);
        return found.map(z -> read(zoneId(z.id())));
    }

    private LiveResource read(String id) {
        GetHostedZoneResponse r = details(id);
        return toLive(r.hostedZone(), r.vpCs(), nameServersOf(r), tagsOf(TAGGED_AS, List.of(id)).getOrDefault(id, Map.of()));
    }

    private GetHostedZoneResponse details(String id) {
        return call("GetHostedZone", () -> route53().getHostedZone(b -> b.id(zoneId(id))));
    }

    private static List<String> nameServersOf(GetHostedZoneResponse r) {
        return r.delegationSet() == null ? List.of() : List.copyOf(r.delegationSet().nameServers());
    }

    private LiveResource toLive(HostedZone zone, List<VPC> vpcs, List<String> nameServers, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, unescape(zone.name()));
        putIfPresent(a, COMMENT, zone.config() == null ? null : zone.config().comment());
        if (isPrivate(zone)) {
            // The VPC of this region it was created with; any other association is made outside this tool.
            putIfPresent(a, VPC_ID, vpcs.stream().filter(v -> clients().region().equals(v.vpcRegionAsString()))
                    .map(VPC::vpcId).findFirst().orElse(vpcs.stream().map(VPC::vpcId).findFirst().orElse(null)));
        }
        if (!isPrivate(zone)) {
            a.put(NAME_SERVERS, nameServers);
        }
        return live(zoneId(zone.id()), tags, a);
    }

    private static boolean isPrivate(HostedZone zone) {
        return zone.config() != null && Boolean.TRUE.equals(zone.config().privateZone());
    }

    /** The zones of exactly this name (several may share one), from ListHostedZonesByName. */
    private List<HostedZone> zonesNamed(String name) {
        List<HostedZone> out = new ArrayList<>();
        String dnsName = name;
        String fromZone = null;
        while (true) {
            String start = dnsName;
            String startZone = fromZone;
            ListHostedZonesByNameResponse page = call("ListHostedZonesByName",
                    () -> route53().listHostedZonesByName(b -> b.dnsName(start).hostedZoneId(startZone)));
            page.hostedZones().stream().filter(z -> sameName(z.name(), name)).forEach(out::add);
            if (!Boolean.TRUE.equals(page.isTruncated()) || !sameName(page.nextDNSName(), name)) {
                return out;
            }
            dnsName = page.nextDNSName();
            fromZone = page.nextHostedZoneId();
        }
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * The existing zone {@code zoneId} names, once it is checked to be what the topology says: a public zone of the
     * account with the topology's name. Its attributes carry zoneId, so state records that the stack does not own it.
     */
    private LiveResource adopted(ResourceSpec spec) {
        String zoneId = zoneId(SpecValues.string(spec, ZONE_ID));
        String name = fqdn(SpecValues.string(spec, NAME));
        GetHostedZoneResponse r;
        try {
            r = details(zoneId);
        } catch (AwsCallException e) {
            if (isGone(e)) {
                throw new ProviderException(spec.address(), "dns.zoneId " + zoneId + ": the account has no hosted"
                        + " zone with this id (aws route53 list-hosted-zones-by-name --dns-name " + name + ")", e);
            }
            throw e;
        }
        if (isPrivate(r.hostedZone())) {
            throw new ProviderException(spec.address(), "dns.zoneId " + zoneId + " is a private zone: dns.zoneId takes"
                    + " the public zone of " + name);
        }
        if (!sameName(r.hostedZone().name(), name)) {
            throw new ProviderException(spec.address(), "dns.zoneId " + zoneId + " is the zone of "
                    + unescape(r.hostedZone().name()) + ", not of " + name + " (dns.zone)");
        }
        return with(toLive(r.hostedZone(), r.vpCs(), nameServersOf(r), Map.of()), ZONE_ID, zoneId);
    }

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        if (spec.attributes().containsKey(ZONE_ID)) {
            return adopted(spec);
        }
        String name = fqdn(SpecValues.string(spec, NAME));
        String vpcId = SpecValues.optionalString(spec, VPC_ID);
        String comment = SpecValues.optionalString(spec, COMMENT);
        String reference = newReference(spec);
        AtomicReference<ChangeInfo> change = new AtomicReference<>();
        // The reference is new to this create, so a zone with it was made by an earlier attempt of this very call:
        // Route 53 documents the reference as the way to retry without a second zone.
        String id = createOnce(ctx, spec.address(), () -> {
            CreateHostedZoneResponse r = call("CreateHostedZone", () -> route53ForCreates().createHostedZone(b -> {
                b.name(name).callerReference(reference)
                        .hostedZoneConfig(c -> c.comment(comment).privateZone(vpcId != null));
                if (vpcId != null) {
                    b.vpc(v -> v.vpcId(vpcId).vpcRegion(clients().region()));
                }
            }));
            change.set(r.changeInfo());
            return zoneId(r.hostedZone().id());
        }, () -> zonesNamed(name).stream().filter(z -> reference.equals(z.callerReference())).findFirst()
                .map(z -> zoneId(z.id())), e -> false);
        changeTags(TAGGED_AS, id, Map.of(), spec.tags());
        awaitInSync(change.get(), ctx);
        return read(id);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        if (spec.attributes().containsKey(ZONE_ID)) {
            return adopted(spec); // the user's: nothing of it is infra's to change
        }
        String id = zoneId(current.id());
        LiveResource now = read(id);
        String comment = SpecValues.optionalString(spec, COMMENT);
        if (spec.attributes().containsKey(COMMENT) && !Objects.equals(comment, now.attributes().get(COMMENT))) {
            // Without a comment, UpdateHostedZoneComment removes the one there is.
            call("UpdateHostedZoneComment", () -> route53().updateHostedZoneComment(b -> b.id(id).comment(comment)));
        }
        changeTags(TAGGED_AS, id, tags(now), spec.tags());
        return read(id);
    }

    /**
     * DeleteHostedZone, then waits for the change; an adopted zone (zoneId recorded) is left as it is. Route 53 refuses to delete a zone that still holds records other than
     * its SOA and NS: records this tool manages are their own resources, deleted before their zone, so any left are
     * someone else's, and they are named in the error rather than deleted.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        if (current.attributes().get(ZONE_ID) != null) {
            return; // adopted (dns.zoneId): the stack's records go as their own resources, the zone stays
        }
        String id = zoneId(current.id());
        try {
            change(ctx, "DeleteHostedZone " + id,
                    () -> call("DeleteHostedZone", () -> route53().deleteHostedZone(b -> b.id(id))).changeInfo());
        } catch (AwsCallException e) {
            if (NOT_EMPTY.equals(e.code())) {
                throw new ProviderException(ctx.address(), "hosted zone " + id + " still holds records this stack does"
                        + " not manage: " + foreignRecords(id) + "; delete them, or add them to the topology, first", e);
            }
            throw e;
        }
    }

    /** The zone's records other than its own SOA and NS, for an error message (at most ten named). */
    private String foreignRecords(String id) {
        try {
            HostedZone zone = call("GetHostedZone", () -> route53().getHostedZone(b -> b.id(id))).hostedZone();
            List<ResourceRecordSet> sets = call("ListResourceRecordSets",
                    () -> route53().listResourceRecordSets(b -> b.hostedZoneId(id))).resourceRecordSets();
            List<String> names = sets.stream()
                    .filter(s -> !(sameName(s.name(), zone.name()) && Set.of("SOA", "NS").contains(s.typeAsString())))
                    .map(s -> unescape(s.name()) + " " + s.typeAsString())
                    .toList();
            return names.size() <= 10 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 10)) + " and " + (names.size() - 10) + " more";
        } catch (AwsCallException e) {
            return "(could not list them: " + e.getMessage() + ")";
        }
    }
}
