package dev.infra.core.topology;

import static dev.infra.core.testing.Fixtures.invalid;
import static dev.infra.core.testing.Fixtures.rendered;
import static dev.infra.core.testing.Fixtures.topologyFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Every validation problem is one line: {@code file:line:col: error: yaml.path: message}, and all of a
 * file's problems come in one {@link InvalidInputException}, top to bottom.
 */
class TopologyValidationTest {

    private static String file(String scenario) {
        return topologyFile(scenario).toString();
    }

    @Test
    void malformedYamlPointsAtTheProblemAndSaysWhatIsWrong() {
        InvalidInputException e = invalid("invalid-malformed-yaml");

        assertThat(e.diagnostics()).hasSize(1);
        String line = rendered(e).get(0);
        assertThat(line).startsWith(file("invalid-malformed-yaml") + ":6:14: error: malformed YAML: ")
                .contains("expected ',' or ']'")
                .contains("while parsing a flow sequence")
                .doesNotContain("\n");
    }

    @Test
    void unknownKeyIsAnErrorWithDidYouMean() {
        assertThat(rendered(invalid("invalid-unknown-key"))).containsExactly(
                file("invalid-unknown-key") + ":3:1: error: netwrok: unknown key 'netwrok'; did you mean 'network'?");
    }

    @Test
    void duplicateKeyNamesTheFirstOccurrence() {
        assertThat(rendered(invalid("invalid-duplicate-key"))).containsExactly(
                file("invalid-duplicate-key") + ":6:3: error: cidr: duplicate key 'cidr' (first at line 4)");
    }

    @Test
    void wrongTypesAreAllReported() {
        String f = file("invalid-wrong-type");
        assertThat(rendered(invalid("invalid-wrong-type"))).containsExactly(
                f + ":5:10: error: network.zones: expected a zone count (1-6) or a list of zone letters, got a string",
                f + ":6:23: error: network.enableDnsHostnames: expected true or false, got an integer",
                f + ":7:19: error: network.securityGroups: expected a mapping, got a list");
    }

    @Test
    void invalidCidr() {
        assertThat(rendered(invalid("invalid-cidr"))).containsExactly(
                file("invalid-cidr") + ":4:9: error: network.cidr: '10.0.300.0/16' is not a valid IPv4 CIDR block");
    }

    @Test
    void cidrWithHostBitsSuggestsTheNetworkAddress() {
        assertThat(rendered(invalid("invalid-cidr-host-bits"))).containsExactly(
                file("invalid-cidr-host-bits") + ":4:9: error: network.cidr: '10.0.0.1/16' has host bits set;"
                        + " did you mean '10.0.0.0/16'?");
    }

    @Test
    void overlappingExplicitSubnets() {
        assertThat(rendered(invalid("invalid-overlapping-subnets"))).containsExactly(
                file("invalid-overlapping-subnets") + ":7:18: error: network.publicSubnets: subnet 10.0.1.0/24 overlaps 10.0.1.0/24");
    }

    @Test
    void subnetOutsideTheVpc() {
        assertThat(rendered(invalid("invalid-subnet-outside-vpc"))).containsExactly(
                file("invalid-subnet-outside-vpc") + ":6:33: error: network.privateSubnets[1]: '10.1.0.0/24' is outside"
                        + " the VPC block 10.0.0.0/16");
    }

    @Test
    void moreZonesThanTheBlockHoldsIsReportedOnce() {
        assertThat(rendered(invalid("invalid-too-many-zones"))).containsExactly(
                file("invalid-too-many-zones") + ":6:10: error: network.zones: 3 zones need 6 subnets of /26 but"
                        + " 10.0.0.0/24 holds only 4; use a larger VPC block or a longer subnetPrefixLength");
    }

    @Test
    void ruleSourceNamingAMissingGroupSuggestsTheClosest() {
        assertThat(rendered(invalid("invalid-missing-source-group"))).containsExactly(
                file("invalid-missing-source-group") + ":11:55: error: network.securityGroups.nodes.ingress[0].source:"
                        + " no security group named 'public-lab'; did you mean 'public-alb'?");
    }

    @Test
    void dependsOnNamingAMissingComponentSuggestsTheClosest() {
        assertThat(rendered(invalid("invalid-missing-depends-on"))).containsExactly(
                file("invalid-missing-depends-on") + ":8:19: error: network.securityGroups.db.dependsOn[0]:"
                        + " 'network.securityGroups.wbe' names no component; did you mean 'network.securityGroups.web'?");
    }

    @Test
    void severalSemanticErrorsAreReportedTogetherInFileOrder() {
        String f = file("invalid-several-errors");
        assertThat(rendered(invalid("invalid-several-errors"))).containsExactly(
                f + ":9:47: error: network.securityGroups.web.ingress[0].source: no security group named 'lb';"
                        + " did you mean 'db'?",
                f + ":11:19: error: network.securityGroups.db.dependsOn[0]: 'network.securityGroups.api' names no component",
                f + ":13:46: error: network.securityGroups.db.ingress[0].cidr: '10.0.0.0/99' is not a valid IPv4 CIDR block");
    }

    @Test
    void severalShapeErrorsAreReportedTogetherInFileOrder() {
        String f = file("invalid-several-shape-errors");
        InvalidInputException e = invalid("invalid-several-shape-errors");
        assertThat(rendered(e)).containsExactly(
                f + ":1:8: error: stack: 'Shop' is not a stack name: lower-case letters, digits and dashes",
                f + ":7:10: error: network.zones: must be between 1 and 6, got 9",
                f + ":8:3: error: network.natGatways: unknown key 'natGatways'; did you mean 'natGateways'?",
                f + ":11:7: error: network.securityGroups.web.ingres: unknown key 'ingres'; did you mean 'ingress'?");
        assertThat(e.diagnostics()).allMatch(Diagnostic::isError);
        assertThat(e.getMessage()).isEqualTo(rendered(e).get(0));
    }

    @Test
    void validTopologyLoadsWithoutWarnings() {
        TopologyLoader.Loaded loaded = TopologyLoader.load(topologyFile("network"));

        assertThat(loaded.warnings()).isEmpty();
        Topology t = loaded.topology();
        assertThat(t.stack()).isEqualTo("shop");
        assertThat(t.region()).isEqualTo("us-east-1");
        assertThat(t.tags()).containsExactly(
                java.util.Map.entry("owner", "platform"), java.util.Map.entry("environment", "production"));
        assertThat(t.network().zones()).containsExactly("a", "b", "c");
        assertThat(t.network().securityGroups()).containsOnlyKeys("public-alb", "nodes");
        assertThat(t.digest()).hasSize(64);
    }

    @Test
    void backendBindsWithItsOwnRegion() {
        Topology t = TopologyLoader.load(topologyFile("backend-s3")).topology();

        assertThat(t.backend().s3()).satisfies(s3 -> {
            assertThat(s3.bucket()).isEqualTo("acme-infra-state");
            assertThat(s3.prefix()).isEqualTo("teams/platform");
            assertThat(s3.lockTable()).isEqualTo("infra-locks");
            assertThat(s3.region()).isEqualTo("eu-west-1");
            assertThat(s3.at().line()).isEqualTo(5);
        });
        assertThat(t.inRegion("ap-south-1").backend()).as("one bucket serves every region").isEqualTo(t.backend());
        assertThat(Fixtures.load("network").backend()).as("absent: local state").isNull();
    }

    @Test
    void backendShapeErrorsPointAtTheirLines() {
        String f = file("invalid-backend-shape");
        assertThat(rendered(invalid("invalid-backend-shape"))).containsExactly(
                f + ":5:13: error: backend.s3.bucket: 'Acme_State' is not an S3 bucket name (an existing bucket, versioned and encrypted by default)",
                f + ":6:13: error: backend.s3.prefix: '/teams/' is not a key prefix such as teams/platform, without leading or trailing slash",
                f + ":7:5: error: backend.s3.lockTabel: unknown key 'lockTabel'; did you mean 'lockTable'?");
    }

    @Test
    void theStateBucketMustNotBeOneTheStackOwns() {
        String f = file("invalid-backend-own-bucket");
        assertThat(rendered(invalid("invalid-backend-own-bucket"))).containsExactly(
                f + ":4:16: error: backend.s3.bucket: 'shop-audit-us-east-1' is the stack's own bucket buckets.audit: keep the"
                        + " state in a bucket made apart from the stack, or a destroy would delete the state with it");
    }

    @Test
    void aRequestedCertificateNeedsItsNameUnderTheZoneAndNoGivenCertificate() {
        String f = file("invalid-lb-domain");
        assertThat(rendered(invalid("invalid-lb-domain"))).containsExactly(
                f + ":7:68: error: loadBalancers.public.domain: 'www.shop.example.org' is not under the zone"
                        + " shop.example.com, where its certificate is validated",
                f + ":8:63: error: loadBalancers.internal.domain: give 'certificateArn' or 'domain', not both: with"
                        + " 'domain', infra requests the certificate itself");
    }

    @Test
    void lifecycleRulesForNoncurrentVersionsNeedVersioningAndInfrasIdsAreReserved() {
        String f = file("invalid-bucket-lifecycle");
        assertThat(rendered(invalid("invalid-bucket-lifecycle"))).containsExactly(
                f + ":8:9: error: buckets.plain.lifecycle[0]: only a versioned bucket has noncurrent versions: remove the"
                        + " noncurrent settings or 'versioning: false'",
                f + ":11:14: error: buckets.kept.lifecycle[0].id: rule ids starting 'infra-' are infra's own (every bucket"
                        + " gets infra-housekeeping): choose another id",
                f + ":12:9: error: buckets.kept.lifecycle[1]: 'noncurrentTransitionDays' and 'noncurrentStorageClass' go"
                        + " together",
                f + ":13:114: error: buckets.kept.lifecycle[2].noncurrentExpirationDays: expires after 30 days, before its"
                        + " noncurrent transition at 60");
    }

    /** The OpenSearch archive keeps snapshots restorable: no Glacier class, no expiration of current versions. */
    @Test
    void theOpenSearchArchiveKeepsItsSnapshotsRestorable(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path seed = dir.resolve("infra.yaml");
        java.nio.file.Files.writeString(seed, java.nio.file.Files.readString(java.nio.file.Path.of(
                "../samples/seed-architecture.yaml")).replace("{id: archive, transitionDays: 30, storageClass: STANDARD_IA,"
                + " noncurrentExpirationDays: 30}", "{id: archive, transitionDays: 30, storageClass: GLACIER, expirationDays: 365}"));
        assertThat(rendered(invalid(seed))).singleElement().asString().contains("error: buckets.elk-logs.lifecycle: rule"
                + " 'archive' moves snapshots to GLACIER, from which OpenSearch cannot restore them; the bucket is the"
                + " OpenSearch archive (monitoring.logSearch.archiveBucket)");
    }
}
