package dev.infra.providers.guardduty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.BadRequestException;
import software.amazon.awssdk.services.guardduty.model.DetectorStatus;
import software.amazon.awssdk.services.guardduty.model.GetDetectorResponse;

/** GuardDuty detectors against the emulator, in eu-west-3 (no other test class makes detectors there). */
class DetectorIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "eu-west-3";
    }

    private GuardDutyClient guardDuty() {
        return clients.client(GuardDutyClient.class, GuardDutyClient::builder);
    }

    private List<String> rawDetectorIds() {
        return guardDuty().listDetectors().detectorIds();
    }

    private GetDetectorResponse rawDetector(String id) {
        return guardDuty().getDetector(b -> b.detectorId(id));
    }

    private String arn(String id) {
        return "arn:aws:guardduty:" + region() + ":123456789012:detector/" + id;
    }

    /** One detector per region, as on AWS: each test starts and ends with none. */
    @BeforeEach
    @AfterEach
    void noDetectors() {
        rawDetectorIds().forEach(id -> guardDuty().deleteDetector(b -> b.detectorId(id)));
    }

    private ResourceSpec detectorSpec(String address, boolean enable, String frequency, Map<String, String> userTags) {
        return spec(address, DetectorProvider.TYPE, Map.of("enable", enable, "findingPublishingFrequency", frequency),
                userTags);
    }

    @Test
    void detectorLifecycle() {
        DetectorProvider detectors = new DetectorProvider(clients);
        String address = "security/detector";
        ResourceSpec spec = detectorSpec(address, true, "SIX_HOURS", Map.of("team", "platform", "retired", "soon"));
        assertThat(detectors.findExisting(stack, spec)).isEmpty();

        LiveResource created = detectors.create(spec, ctx(address));

        assertThat(rawDetectorIds()).containsExactly(created.id());
        GetDetectorResponse raw = rawDetector(created.id());
        assertThat(raw.status()).isEqualTo(DetectorStatus.ENABLED);
        assertThat(raw.findingPublishingFrequencyAsString()).isEqualTo("SIX_HOURS");
        assertThat(raw.tags()).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = detectorSpec(address, false, "FIFTEEN_MINUTES", Map.of("team", "security"));
        LiveResource updated = detectors.update(created, changed, Set.of("enable", "findingPublishingFrequency", "tags"),
                ctx(address));

        raw = rawDetector(created.id());
        assertThat(raw.status()).isEqualTo(DetectorStatus.DISABLED);
        assertThat(raw.findingPublishingFrequencyAsString()).isEqualTo("FIFTEEN_MINUTES");
        assertThat(raw.tags()).isEqualTo(changed.tags());
        assertThat(guardDuty().listTagsForResource(b -> b.resourceArn(arn(created.id()))).tags())
                .isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        clients.counter().reset();
        assertThat(detectors.readAll(ReadRequest.of(stack, Set.of(created.id())))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, changed));
        // ListDetectors, then GetDetector (tags included) for the region's one detector.
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "GuardDuty", Map.of("ListDetectors", 1L, "GetDetector", 1L)));
        assertThat(detectors.readAll(ReadRequest.of("some-other-stack", Set.of()))).isEmpty();

        assertThat(detectors.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));

        detectors.delete(updated, ctx(address));
        assertThat(rawDetectorIds()).isEmpty();
        assertThat(detectors.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(detectors.findExisting(stack, changed)).isEmpty();
        detectors.delete(updated, ctx(address)); // already gone: fine
    }

    @Test
    void theRegionsDetectorIsAdoptedNotDuplicated() {
        DetectorProvider detectors = new DetectorProvider(clients);
        String existing = guardDuty().createDetector(b -> b.enable(false).findingPublishingFrequency("ONE_HOUR")
                .tags(Map.of("owner", "someone-else"))).detectorId();
        String address = "security/detector";
        ResourceSpec spec = detectorSpec(address, true, "SIX_HOURS", Map.of());

        assertThat(detectors.findExisting(stack, spec)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(existing));
        LiveResource created = detectors.create(spec, ctx(address));
        ResourceSpec second = detectorSpec("security/detector.again", true, "FIFTEEN_MINUTES", Map.of());
        LiveResource again = detectors.create(second, ctx("security/detector.again"));

        assertThat(created.id()).isEqualTo(existing);
        assertThat(again.id()).isEqualTo(existing);
        assertThat(rawDetectorIds()).containsExactly(existing);
        GetDetectorResponse raw = rawDetector(existing);
        assertThat(raw.status()).isEqualTo(DetectorStatus.ENABLED);
        assertThat(raw.findingPublishingFrequencyAsString()).isEqualTo("FIFTEEN_MINUTES");
        assertThat(raw.tags()).isEqualTo(second.tags()).doesNotContainKey("owner");
        assertMatchesSpec(again, second);
    }

    /**
     * A detector the account had is borrowed: found with what it is now, brought to the spec, and put back as it was
     * on delete (settings and tags), never deleted.
     */
    @Test
    void aBorrowedDetectorIsPutBackAsItWas() {
        DetectorProvider detectors = new DetectorProvider(clients);
        String existing = guardDuty().createDetector(b -> b.enable(false).findingPublishingFrequency("ONE_HOUR")
                .tags(Map.of("owner", "security-team"))).detectorId();
        String address = "monitoring/guardduty";
        ResourceSpec spec = detectorSpec(address, true, "SIX_HOURS", Map.of());

        assertThat(detectors.findExisting(stack, spec)).hasValueSatisfying(found -> assertThat(found.attributes())
                .containsEntry("previous", Map.of("existed", true, "enable", false, "findingPublishingFrequency",
                        "ONE_HOUR", "tags", Map.of("owner", "security-team"))));
        LiveResource borrowed = detectors.create(spec, ctx(address));
        assertThat(borrowed.id()).isEqualTo(existing);
        assertThat(rawDetector(existing).tags()).isEqualTo(spec.tags());
        ResourceSpec changed = detectorSpec(address, true, "FIFTEEN_MINUTES", Map.of());
        LiveResource updated = detectors.update(borrowed, changed, Set.of("findingPublishingFrequency"), ctx(address));
        assertThat(updated.attributes().get("previous")).isEqualTo(borrowed.attributes().get("previous"));
        assertThat(rawDetector(existing).findingPublishingFrequencyAsString()).isEqualTo("FIFTEEN_MINUTES");

        detectors.delete(updated, ctx(address));
        assertThat(rawDetectorIds()).containsExactly(existing);
        GetDetectorResponse raw = rawDetector(existing);
        assertThat(raw.status()).isEqualTo(DetectorStatus.DISABLED);
        assertThat(raw.findingPublishingFrequencyAsString()).isEqualTo("ONE_HOUR");
        assertThat(raw.tags()).isEqualTo(Map.of("owner", "security-team"));
    }

    /** Another stack's detector (its infra:stack tag) is held by it: found as such, and neither changed nor taken. */
    @Test
    void anotherStacksDetectorIsLeftAlone() {
        DetectorProvider detectors = new DetectorProvider(clients);
        Map<String, String> theirs = Map.of("infra:stack", "other-" + stack, "infra:address", "monitoring/guardduty");
        String existing = guardDuty().createDetector(b -> b.enable(true).findingPublishingFrequency("ONE_HOUR")
                .tags(theirs)).detectorId();
        String address = "monitoring/guardduty";
        ResourceSpec spec = detectorSpec(address, true, "SIX_HOURS", Map.of());

        assertThat(detectors.findExisting(stack, spec)).hasValueSatisfying(found ->
                assertThat(found.attributes()).containsEntry("heldBy", "other-" + stack).doesNotContainKey("previous"));
        assertThatThrownBy(() -> detectors.create(spec, ctx(address))).hasMessageContaining(address)
                .hasMessageContaining("held by stack other-" + stack);
        GetDetectorResponse raw = rawDetector(existing);
        assertThat(raw.findingPublishingFrequencyAsString()).isEqualTo("ONE_HOUR");
        assertThat(raw.tags()).isEqualTo(theirs);
        assertThat(detectors.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateDetector", 1))) {
            String address = "security/detector";
            ResourceSpec spec = detectorSpec(address, true, "SIX_HOURS", Map.of());

            LiveResource created = new DetectorProvider(flaky).create(spec, ctx(address));

            assertThat(flaky.counter().count("GuardDuty", "CreateDetector")).isEqualTo(1);
            assertThat(rawDetectorIds()).containsExactly(created.id());
            assertMatchesSpec(created, spec);
        }
    }

    /** The moto gap filled by moto_launcher.py: detector tagging calls, BadRequestException for an unknown ARN. */
    @Test
    void taggingAnUnknownDetectorIsABadRequest() {
        assertThatThrownBy(() -> guardDuty().tagResource(b -> b.resourceArn(arn("0123456789abcdef0123456789abcdef"))
                .tags(Map.of("a", "b")))).isInstanceOf(BadRequestException.class);
    }
}
