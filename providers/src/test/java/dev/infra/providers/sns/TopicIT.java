package dev.infra.providers.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/** SNS topics against the emulator, in me-south-1. */
class TopicIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "me-south-1";
    }

    private SnsClient sns() {
        return clients.client(SnsClient.class, SnsClient::builder);
    }

    private Map<String, String> rawAttributes(String arn) {
        return sns().getTopicAttributes(b -> b.topicArn(arn)).attributes();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        sns().listTagsForResource(b -> b.resourceArn(arn)).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private String kmsKey(String description) {
        return clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description(description))
                .keyMetadata().arn();
    }

    private ResourceSpec topicSpec(String address, String name, String kmsKeyId, Map<String, String> userTags) {
        return spec(address, TopicProvider.TYPE, attributes("name", name, "kmsKeyId", kmsKeyId), userTags);
    }

    @Test
    void topicLifecycle() {
        TopicProvider topics = new TopicProvider(clients);
        String address = "observability/topic.alerts";
        String name = stack + "-alerts";
        String firstKey = kmsKey("sns one");
        String secondKey = kmsKey("sns two");
        ResourceSpec spec = topicSpec(address, name, firstKey, Map.of("team", "platform", "retired", "soon"));
        assertThat(topics.findExisting(stack, spec)).isEmpty();

        LiveResource created = topics.create(spec, ctx(address));

        assertThat(created.id()).endsWith(":" + name).startsWith("arn:aws:sns:me-south-1:");
        assertThat(rawAttributes(created.id())).containsEntry("KmsMasterKeyId", firstKey);
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec plain = topicSpec(address, name, null, Map.of("team", "security"));
        LiveResource cleared = topics.update(created, plain, Set.of("kmsKeyId", "tags"), ctx(address));
        assertThat(rawAttributes(created.id()).get("KmsMasterKeyId")).isNullOrEmpty();
        assertThat(rawTags(created.id())).isEqualTo(plain.tags());
        assertMatchesSpec(cleared, plain);
        assertThat(cleared.attributes()).doesNotContainKey("kmsKeyId");

        ResourceSpec changed = topicSpec(address, name, secondKey, Map.of("team", "security"));
        LiveResource updated = topics.update(cleared, changed, Set.of("kmsKeyId"), ctx(address));
        assertThat(rawAttributes(created.id())).containsEntry("KmsMasterKeyId", secondKey);
        assertMatchesSpec(updated, changed);

        // Another stack's topic in the same region is not read.
        String other = sns().createTopic(b -> b.name(stack + "-other").tags(t -> t.key("infra:stack").value(stack + "-x")))
                .topicArn();

        clients.counter().reset();
        assertThat(topics.readAll(ReadRequest.of(stack, Set.of(created.id())))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, changed));
        // One GetResources for the stack's topics (tags included), GetTopicAttributes per topic (no batch form).
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "Sns", Map.of("GetTopicAttributes", 1L)));

        assertThat(topics.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));
        assertThatThrownBy(() -> topics.findExisting("some-other-stack", changed))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("topic " + name + " already exists and belongs to " + address);

        topics.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawAttributes(created.id())).isInstanceOf(NotFoundException.class);
        assertThat(topics.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(topics.findExisting(stack, changed)).isEmpty();
        topics.delete(updated, ctx(address)); // already gone: fine
        sns().deleteTopic(b -> b.topicArn(other));
    }

    @Test
    void untaggedTopicInStateIsRead() {
        TopicProvider topics = new TopicProvider(clients);
        String address = "observability/topic.alerts";
        LiveResource created = topics.create(topicSpec(address, stack + "-untagged", null, Map.of()), ctx(address));
        sns().untagResource(b -> b.resourceArn(created.id()).tagKeys("infra:stack"));

        assertThat(topics.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        String gone = created.id() + "-gone";
        assertThat(topics.readAll(ReadRequest.of(stack, Set.of(created.id(), gone)))).singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(created.id());
                    assertThat(r.address()).isEqualTo(address);
                    assertThat(r.attributes()).containsEntry("name", stack + "-untagged");
                });
        topics.delete(created, ctx(address));
    }
}
