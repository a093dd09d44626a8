package dev.infra.providers.sns;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Tag;

/**
 * {@code aws_sns_topic} (id: the topic ARN): name, kmsKeyId (absent: no SSE), tags. Created with its key and tags
 * (CreateTopic Attributes KmsMasterKeyId, Tags; CreateTopic is idempotent on the name, so the ordinary retrying client
 * is safe); the key changes with SetTopicAttributes ("" turns SSE off).
 *
 * <p>readAll: ListTopics has no tag filter, so the stack's topics come from one GetResources call of the Resource
 * Groups Tagging API (tags included), then one GetTopicAttributes per topic (SNS has no batch form).
 */
public final class TopicProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_sns_topic";
    static final String NAME = "name";
    static final String KMS_KEY = "kmsKeyId";
    static final String KMS_ATTRIBUTE = "KmsMasterKeyId";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(KMS_KEY, Kind.REFERENCE).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.TOPIC))
            .with(Trait.TAGGED)
            .id("topic ARN");

    public TopicProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private SnsClient sns() {
        return clients().client(SnsClient.class, SnsClient::builder);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> topics = new TreeMap<>(taggedResources("sns", Map.of(STACK_TAG, stack)));
        topics.keySet().removeIf(arn -> !isTopicArn(arn));
        return readDetails(topics.entrySet(), e -> attributes(e.getKey()).map(a -> toLive(e.getKey(), a, e.getValue())));
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::readTopic);
    }

    /**
     * By name (unique in the region; CreateTopic would return the existing topic): ListTopics, all pages, adopted when
     * untagged or tagged for this address and stack.
     */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        Optional<String> arn = call("ListTopics", () -> sns().listTopicsPaginator(b -> { }).topics().stream()
                .map(t -> t.topicArn())
                .filter(a -> a.endsWith(":" + name) && isTopicArn(a))
                .findFirst());
        return claimed(spec.address(), stack, "topic " + name, arn.flatMap(this::readTopic));
    }

    private Optional<LiveResource> readTopic(String arn) {
        return attributes(arn).map(a -> toLive(arn, a, tagsOf(arn)));
    }

    /** GetTopicAttributes; empty when the topic is gone. */
    private Optional<Map<String, String>> attributes(String arn) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(call("GetTopicAttributes",
                () -> sns().getTopicAttributes(b -> b.topicArn(arn))).attributes()));
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = new TreeMap<>();
        call("ListTagsForResource", () -> sns().listTagsForResource(b -> b.resourceArn(arn))).tags()
                .forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    private LiveResource toLive(String arn, Map<String, String> attributes, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, arn.substring(arn.lastIndexOf(':') + 1));
        String key = attributes.get(KMS_ATTRIBUTE);
        if (key != null && !key.isEmpty()) {
            a.put(KMS_KEY, key);
        }
        return live(arn, tags, a);
    }

    /** A topic ARN, {@code arn:aws:sns:<region>:<account>:<name>}, not a subscription's (one more part). */
    private static boolean isTopicArn(String arn) {
        return arn.split(":", -1).length == 6;
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return e.isNotFound() || "NotFoundException".equals(e.code());
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        String key = SpecValues.optionalString(spec, KMS_KEY);
        Map<String, String> attributes = key == null ? Map.of() : Map.of(KMS_ATTRIBUTE, key);
        String arn = call("CreateTopic", () -> sns().createTopic(b -> b.name(name).attributes(attributes)
                .tags(snsTags(spec.tags())))).topicArn();
        return readBack(ctx, arn);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String arn = current.id();
        updateTags(current, spec, changed, t -> call("TagResource", () -> sns().tagResource(b -> b.resourceArn(arn)
                        .tags(snsTags(t)))),
                keys -> call("UntagResource", () -> sns().untagResource(b -> b.resourceArn(arn).tagKeys(keys))));
        String key = SpecValues.optionalString(spec, KMS_KEY);
        if (changed.contains(KMS_KEY)) {
            call("SetTopicAttributes", () -> sns().setTopicAttributes(b -> b.topicArn(arn)
                    .attributeName(KMS_ATTRIBUTE).attributeValue(key == null ? "" : key)));
        }
        return readBack(ctx, arn);
    }

    private LiveResource readBack(OperationContext ctx, String arn) {
        return awaitPropagation(ctx, "topic " + arn + " to become readable", () -> readTopic(arn));
    }

    /** DeleteTopic (AWS answers success for a topic already gone), then waits until it reads as gone. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DeleteTopic", () -> sns().deleteTopic(b -> b.topicArn(current.id())));
        awaitGone(ctx, "topic " + current.id(), () -> attributes(current.id()));
    }

    private static List<Tag> snsTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
