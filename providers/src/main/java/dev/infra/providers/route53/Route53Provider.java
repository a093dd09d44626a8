package dev.infra.providers.route53;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.ResourceTagSet;
import software.amazon.awssdk.services.route53.model.Tag;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * What the Route 53 types share: the one global client, NoSuchHostedZone meaning "gone", submitting a change and
 * waiting until it is {@code INSYNC}, and zone ids and DNS names as Route 53 spells them (ids with or without
 * {@code /hostedzone/}, names with a trailing dot and special characters escaped as {@code \ddd}); for the tagged
 * types (zones, health checks), whose create calls take no tags: tags read ten resources a call and changed ten at a
 * time, and the CallerReference that lets a create interrupted before tagging be recognised.
 */
public abstract class Route53Provider extends AwsResourceProvider {

    /** Route 53 usually propagates a change to all its DNS servers within 60 seconds. */
    static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration CHANGE_INTERVAL = Duration.ofSeconds(5);
    /** How long a change is submitted again while Route 53 is busy with an earlier one (PriorRequestNotComplete). */
    static final Duration BUSY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration BUSY_INTERVAL = Duration.ofSeconds(5);
    static final String NO_SUCH_ZONE = "NoSuchHostedZone";
    /** ListTagsForResources takes at most 10 ids, ChangeTagsForResource at most 10 tags to add and 10 to remove. */
    static final int TAG_BATCH = 10;
    static final String REFERENCE_PREFIX = "infra-";
    private static final String BUSY = "PriorRequestNotComplete";

    protected Route53Provider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final Route53Client route53() {
        return clients().route53();
    }

    /** The Route 53 client for creates: it retries only what AWS did not run (see {@link #createOnce}). */
    protected final Route53Client route53ForCreates() {
        return clients().forCreates(Route53Client.class, Route53Client::builder);
    }

    /** A zone that is gone takes its records with it. */
    @Override
    protected boolean isGone(AwsCallException e) {
        return NO_SUCH_ZONE.equals(e.code());
    }

    /** Waits until the change AWS answered with has reached every Route 53 DNS server ({@code GetChange} → INSYNC). */
    final void awaitInSync(ChangeInfo change, OperationContext ctx) {
        if (change == null || change.status() == ChangeStatus.INSYNC) {
            return;
        }
        String id = lastSegment(change.id());
        ctx.await("Route 53 change " + id + " to be INSYNC", CHANGE_TIMEOUT, CHANGE_INTERVAL, () -> {
            ChangeInfo now = call("GetChange", () -> route53().getChange(b -> b.id(id))).changeInfo();
            return now.status() == ChangeStatus.INSYNC ? Optional.of(now) : Optional.empty();
        });
    }

    /**
     * Submits a change and waits until it is INSYNC. While Route 53 is still applying an earlier change to the zone it
     * answers PriorRequestNotComplete: the change is submitted again, for a bounded time.
     */
    final void change(OperationContext ctx, String what, Supplier<ChangeInfo> submit) {
        awaitInSync(retrying(ctx, what, BUSY_TIMEOUT, BUSY_INTERVAL, e -> BUSY.equals(e.code()), submit), ctx);
    }

    /**
     * Tags by resource id (without a {@code /hostedzone/} prefix), ten resources a ListTagsForResources call; a
     * resource gone meanwhile ({@link #isGone}) is left out.
     */
    final Map<String, Map<String, String>> tagsOf(TagResourceType kind, List<String> ids) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i += TAG_BATCH) {
            List<String> batch = ids.subList(i, Math.min(ids.size(), i + TAG_BATCH));
            List<ResourceTagSet> sets;
            try {
                sets = call("ListTagsForResources", () -> route53().listTagsForResources(
                        b -> b.resourceType(kind).resourceIds(batch))).resourceTagSets();
            } catch (AwsCallException e) {
                if (!isGone(e)) {
                    throw e;
                }
                if (batch.size() > 1) {
                    // One of them went away and Route 53 failed the whole batch: ask one by one.
                    batch.forEach(id -> out.putAll(tagsOf(kind, List.of(id))));
                }
                continue;
            }
            for (ResourceTagSet set : sets) {
                Map<String, String> tags = new TreeMap<>();
                set.tags().forEach(t -> tags.put(t.key(), t.value()));
                out.put(lastSegment(set.resourceId()), tags);
            }
        }
        return out;
    }

    /** ChangeTagsForResource calls bringing a resource's tags from {@code current} to {@code desired}, ten at a time. */
    final void changeTags(TagResourceType kind, String id, Map<String, String> current, Map<String, String> desired) {
        TagChanges changes = tagChanges(current, desired);
        List<Tag> add = changes.put().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
        List<String> remove = changes.remove();
        for (int i = 0; i < Math.max(add.size(), remove.size()); i += TAG_BATCH) {
            List<Tag> addNow = add.subList(Math.min(i, add.size()), Math.min(add.size(), i + TAG_BATCH));
            List<String> removeNow = remove.subList(Math.min(i, remove.size()), Math.min(remove.size(), i + TAG_BATCH));
            call("ChangeTagsForResource", () -> route53().changeTagsForResource(b -> b
                    .resourceType(kind)
                    .resourceId(id)
                    .addTags(addNow.isEmpty() ? null : addNow)
                    .removeTagKeys(removeNow.isEmpty() ? null : removeNow)));
        }
    }

    /**
     * Of {@code candidates} (with their tags by id), the one tagged with this stack and address; else one whose
     * CallerReference says a create for this stack and address made it, and which carries no stack tag yet (the create
     * was interrupted before tagging). The lowest id wins a tie.
     */
    static <T> Optional<T> madeFor(String stack, String address, List<T> candidates, Function<T, String> id,
                                   Function<T, String> reference, Map<String, Map<String, String>> tagsById) {
        String prefix = referencePrefix(stack, address);
        Comparator<T> byId = Comparator.comparing(id);
        Function<T, Map<String, String>> tags = c -> tagsById.getOrDefault(id.apply(c), Map.of());
        return candidates.stream()
                .filter(c -> address.equals(tags.apply(c).get(ADDRESS_TAG)) && stack.equals(tags.apply(c).get(STACK_TAG)))
                .min(byId)
                .or(() -> candidates.stream()
                        .filter(c -> reference.apply(c) != null && reference.apply(c).startsWith(prefix))
                        .filter(c -> !tags.apply(c).containsKey(STACK_TAG))
                        .min(byId));
    }

    /** {@code infra-<24 hex digits of SHA-256(stack, address)>-}: the CallerReference prefix of this stack and address. */
    static String referencePrefix(String stack, String address) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((stack + "\n" + address).getBytes(StandardCharsets.UTF_8));
            return REFERENCE_PREFIX + HexFormat.of().formatHex(digest).substring(0, 24) + "-";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A CallerReference new to this create (47 characters, within both CreateHostedZone's 128 and CreateHealthCheck's
     * 64): {@link #referencePrefix} of the spec's stack and address, then 16 random hex digits. Only the retries of
     * the one call send it again (the SDK's after throttling, {@link #createOnce}'s once a lookup found nothing); a later create (after a delete, or a replacement) gets a new one, which
     * Route 53 requires (it refuses a zone's reference used before, and a deleted health check's for some days).
     */
    static String newReference(ResourceSpec spec) {
        return referencePrefix(spec.tags().get(STACK_TAG), spec.address())
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** A zone id without its {@code /hostedzone/} prefix (the SDK strips it from answers; state may hold either). */
    static String zoneId(String id) {
        return lastSegment(id);
    }

    private static String lastSegment(String id) {
        return id == null ? null : id.substring(id.lastIndexOf('/') + 1);
    }

    /** A DNS name as an FQDN: with its trailing dot. */
    static String fqdn(String name) {
        return name.endsWith(".") ? name : name + ".";
    }

    /**
     * A name as Route 53 reports it, made readable: Route 53 answers with special characters as {@code \ddd} octal
     * escapes ({@code *.example.com.} comes back as {@code \052.example.com.}).
     */
    static String unescape(String name) {
        if (name == null || name.indexOf('\\') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\\' && isOctal(name, i + 1, 3)) {
                out.append((char) Integer.parseInt(name.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from, int count) {
        if (from + count > s.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    /** Whether two DNS names are the same name: case-insensitive, escapes and a trailing dot aside. */
    static boolean sameName(String a, String b) {
        return a != null && b != null
                && fqdn(unescape(a)).toLowerCase(Locale.ROOT).equals(fqdn(unescape(b)).toLowerCase(Locale.ROOT));
    }
}
