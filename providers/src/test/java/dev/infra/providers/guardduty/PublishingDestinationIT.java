package dev.infra.providers.guardduty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.BadRequestException;
import software.amazon.awssdk.services.guardduty.model.DescribePublishingDestinationResponse;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * GuardDuty publishing destinations as the API reference has them (moto_launcher.py's
 * patch_guardduty_publishing_destinations), through raw SDK calls: Create/Describe/List/Update/Delete, and the refusals
 * (no such bucket, no such key, an alias where a key ARN belongs, another type than S3, an unknown destination); then
 * the provider on the region's detector.
 */
class PublishingDestinationIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "ap-northeast-3";
    }

    private GuardDutyClient guardDuty() {
        return clients.client(GuardDutyClient.class, GuardDutyClient::builder);
    }

    private String bucket() {
        String name = stack + "-findings";
        clients.s3().createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region())));
        return name;
    }

    private String key() {
        return clients.client(KmsClient.class, KmsClient::builder).createKey(b -> { }).keyMetadata().arn();
    }

    private String detector() {
        List<String> ids = guardDuty().listDetectors(b -> { }).detectorIds();
        return ids.isEmpty() ? guardDuty().createDetector(b -> b.enable(true)).detectorId() : ids.get(0);
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BadRequestException.class,
                e -> assertThat(e.awsErrorDetails().errorMessage()).contains(message));
    }

    @Test
    void destinationsAreMadeReadChangedAndDeleted() {
        String detector = detector();
        String bucket = bucket();
        String key = key();
        String id = guardDuty().createPublishingDestination(b -> b.detectorId(detector).destinationType("S3")
                .destinationProperties(p -> p.destinationArn("arn:aws:s3:::" + bucket + "/guardduty").kmsKeyArn(key)))
                .destinationId();
        DescribePublishingDestinationResponse d = guardDuty().describePublishingDestination(
                b -> b.detectorId(detector).destinationId(id));
        assertThat(d.destinationTypeAsString()).isEqualTo("S3");
        assertThat(d.destinationProperties().destinationArn()).isEqualTo("arn:aws:s3:::" + bucket + "/guardduty");
        assertThat(d.destinationProperties().kmsKeyArn()).isEqualTo(key);
        assertThat(guardDuty().listPublishingDestinations(b -> b.detectorId(detector)).destinations())
                .anySatisfy(x -> assertThat(x.destinationId()).isEqualTo(id));

        guardDuty().updatePublishingDestination(b -> b.detectorId(detector).destinationId(id)
                .destinationProperties(p -> p.destinationArn("arn:aws:s3:::" + bucket + "/other")));
        d = guardDuty().describePublishingDestination(b -> b.detectorId(detector).destinationId(id));
        assertThat(d.destinationProperties().destinationArn()).isEqualTo("arn:aws:s3:::" + bucket + "/other");
        assertThat(d.destinationProperties().kmsKeyArn()).isEqualTo(key);

        guardDuty().deletePublishingDestination(b -> b.detectorId(detector).destinationId(id));
        assertRefused(() -> guardDuty().describePublishingDestination(b -> b.detectorId(detector).destinationId(id)),
                "does not exist");
        assertThat(guardDuty().listPublishingDestinations(b -> b.detectorId(detector)).destinations())
                .noneSatisfy(x -> assertThat(x.destinationId()).isEqualTo(id));
    }

    @Test
    void theBucketAndTheKeyMustExist() {
        String detector = detector();
        String bucket = bucket();
        String key = key();
        assertRefused(() -> guardDuty().createPublishingDestination(b -> b.detectorId(detector).destinationType("S3")
                .destinationProperties(p -> p.destinationArn("arn:aws:s3:::" + stack + "-missing").kmsKeyArn(key))),
                "destination bucket " + stack + "-missing does not exist");
        String unknownKey = key.substring(0, key.lastIndexOf('/') + 1) + "00000000-0000-0000-0000-000000000000";
        assertRefused(() -> guardDuty().createPublishingDestination(b -> b.detectorId(detector).destinationType("S3")
                .destinationProperties(p -> p.destinationArn("arn:aws:s3:::" + bucket).kmsKeyArn(unknownKey))),
                "does not exist or is not enabled");
        String alias = key.substring(0, key.indexOf(":key/")) + ":alias/findings";
        assertRefused(() -> guardDuty().createPublishingDestination(b -> b.detectorId(detector).destinationType("S3")
                .destinationProperties(p -> p.destinationArn("arn:aws:s3:::" + bucket).kmsKeyArn(alias))),
                "is not a KMS key ARN");
        assertRefused(() -> guardDuty().createPublishingDestination(b -> b.detectorId("0123456789abcdef")
                .destinationType("S3").destinationProperties(p -> p.destinationArn("arn:aws:s3:::" + bucket).kmsKeyArn(key))),
                "detectorId");
        assertThat(guardDuty().listPublishingDestinations(b -> b.detectorId(detector)).destinations().stream()
                .map(x -> guardDuty().describePublishingDestination(b -> b.detectorId(detector)
                        .destinationId(x.destinationId())).destinationProperties().destinationArn()))
                .noneMatch(arn -> arn.contains(bucket) || arn.contains("-missing"));
    }

    /** The provider takes the region's detector, reads back what it made, finds it again, updates and deletes it. */
    @Test
    void theProviderPublishesFromTheRegionsDetector() {
        String detector = detector();
        String bucket = bucket();
        PublishingDestinationProvider provider = new PublishingDestinationProvider(clients);
        ResourceSpec spec = untaggedSpec("monitoring/guardduty-destination", PublishingDestinationProvider.TYPE, Map.of(
                "destinationType", "S3", "destinationArn", "arn:aws:s3:::" + bucket + "/guardduty", "kmsKeyArn", key()));
        LiveResource made = provider.create(spec, ctx(spec.address()));
        assertThat(made.id()).startsWith(detector + "/");
        assertThat(made.attributes()).containsEntry("detectorId", detector);
        assertMatchesSpec(made, spec);
        assertThat(provider.findExisting(stack, spec)).hasValueSatisfying(f -> assertThat(f.id()).isEqualTo(made.id()));

        String otherKey = key();
        ResourceSpec changed = untaggedSpec(spec.address(), spec.type(), Map.of("destinationType", "S3",
                "destinationArn", "arn:aws:s3:::" + bucket + "/guardduty", "kmsKeyArn", otherKey));
        provider.update(made, changed, java.util.Set.of("kmsKeyArn"), ctx(spec.address()));
        String destinationId = made.id().substring(made.id().indexOf('/') + 1);
        assertThat(guardDuty().describePublishingDestination(b -> b.detectorId(detector).destinationId(destinationId))
                .destinationProperties().kmsKeyArn()).isEqualTo(otherKey);

        provider.delete(made, ctx(spec.address()));
        assertRefused(() -> guardDuty().describePublishingDestination(b -> b.detectorId(detector)
                .destinationId(destinationId)), "does not exist");
        provider.delete(made, ctx(spec.address()));
    }
}
