package dev.infra.core.topology;

import static dev.infra.core.testing.Fixtures.invalid;
import static dev.infra.core.testing.Fixtures.rendered;
import static dev.infra.core.testing.Fixtures.topologyFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every validation problem is one line: {@code file:line:col: error: yaml.path: message}, and all of a
 * file's problems come in one {@link InvalidInputException}, top to bottom.
 */
class TopologyValidationTest {

    private static final String HEAD = "stack: shop\nregion: us-east-1\n";

    @TempDir
    Path dir;

    private static String file(String scenario) {
        return topologyFile(scenario).toString();
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("infra.yaml"), yaml);
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
                file("invalid-duplicate-key") + ":6:3: error: network.cidr: duplicate key 'cidr' (first at line 4)");
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
    void overlappingExplicitSubnetsNameEachOther() {
        assertThat(rendered(invalid("invalid-overlapping-subnets"))).containsExactly(
                file("invalid-overlapping-subnets") + ":7:19: error: network.publicSubnets[0]: subnet 10.0.1.0/24 overlaps"
                        + " network.privateSubnets[1] (10.0.1.0/24)");
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
                        + " 10.0.0.0/24 holds only 4: use subnetPrefixLength 27, or a /23 VPC block, or at most 2 zones");
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
    void shapeAndSemanticErrorsAreReportedTogetherInFileOrder() {
        String f = file("invalid-several-shape-errors");
        InvalidInputException e = invalid("invalid-several-shape-errors");
        assertThat(rendered(e)).containsExactly(
                f + ":1:8: error: stack: 'Shop' is not a stack name: lower-case letters, digits and dashes,"
                        + " starting with a letter, at most 31 characters",
                f + ":4:3: error: tags.infra:stack: tag keys starting with 'infra:' or 'aws:' are reserved",
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
                f + ":5:13: error: backend.s3.bucket: 'Acme_State' is not an S3 bucket name: it may hold only lower-case"
                        + " letters, digits, dots and dashes",
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

    /** ACM certificates are regional: one from another region is refused when the file is read, before any plan. */
    @Test
    void aCertificateFromAnotherRegionIsRefusedAtItsLoadBalancer() {
        String f = file("certificate-other-region");
        assertThat(rendered(invalid("certificate-other-region"))).containsExactly(
                f + ":7:5: error: loadBalancers.public.certificateArn: the certificate is in eu-west-1 but the load"
                        + " balancer in us-east-1; ACM certificates are regional: request one in us-east-1");
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

    /**
     * Issue 18: each of these was a crash, went unreported, or came out only once the others were fixed. (Its derived
     * bucket names, once too long, are now shortened to fit: DerivedNamesTest.)
     */
    @Test
    void everyProblemOfAFileComesOutInOneRunAtItsLine() {
        String f = file("invalid-one-run");
        assertThat(rendered(invalid("invalid-one-run"))).containsExactly(
                f + ":5:16: error: backend.s3.bucket: 'a-stack-name-of-thirty-one-char-lb-logs-eu-west-2' is the stack's"
                        + " own bucket monitoring.loadBalancerLogs in eu-west-2: keep the state in a bucket made apart from"
                        + " the stack, or a destroy would delete the state with it",
                f + ":5:75: error: backend.s3.region: 'eu-wset-1x' is not an AWS region name such as us-east-1; did you"
                        + " mean 'eu-west-1'?",
                f + ":8:10: error: network.zones: at least one zone is required",
                f + ":12:22: error: network.securityGroups.web.ingress[0].protocol: 'tcpp' is not one of tcp, udp, icmp,"
                        + " all; did you mean 'tcp'?",
                f + ":12:35: error: network.securityGroups.web.ingress[0].ports: '443-80' runs backwards; did you mean"
                        + " '80-443'?",
                f + ":12:49: error: network.securityGroups.web.ingress[0].cidr: '10.0.0.1/8' has host bits set; did you"
                        + " mean '10.0.0.0/8'?",
                f + ":29:21: error: regions.eu-west-1.network.cidr: '10.0.0.0/16' overlaps network.cidr 10.0.0.0/16:"
                        + " every region of the stack has a VPC block of its own; 10.2.0.0/16 is free",
                f + ":33:21: error: regions.eu-west-3.network.cidr: '10.1.0.0/16' overlaps regions.eu-west-2.network.cidr"
                        + " 10.1.0.0/16: every region of the stack has a VPC block of its own; 10.2.0.0/16 is free",
                f + ":35:21: error: regions.eu-central-1.network.cidr: '10.3.0.0/15': AWS allows block sizes from /16 to"
                        + " /28; did you mean '10.3.0.0/16'?");
    }

    @Test
    void noZonesIsAnErrorEvenWithAServiceThatTakesTheFirstZone() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  zones: []\nencryption: {}\n"
                + "services:\n  prometheus: {ports: [9090]}\n");
        assertThat(rendered(invalid(f))).containsExactly(f + ":5:10: error: network.zones: at least one zone is required");
    }

    @Test
    void aReplicaBlockOverlappingThePrimaryOrAnotherReplicaIsAnError() throws IOException {
        Path f = write(HEAD + "network: {cidr: 10.0.0.0/16}\nregions:\n"
                + "  eu-west-1: {network: {cidr: 10.0.0.0/16}}\n"
                + "  eu-west-2: {network: {cidr: 10.1.0.0/16}}\n"
                + "  eu-west-3: {network: {cidr: 10.1.0.0/16}}\n"
                + "  eu-north-1: {network: {cidr: 10.5.0.0/16}}\n");
        assertThat(rendered(invalid(f))).containsExactly(
                f + ":5:31: error: regions.eu-west-1.network.cidr: '10.0.0.0/16' overlaps network.cidr 10.0.0.0/16:"
                        + " every region of the stack has a VPC block of its own; 10.2.0.0/16 is free",
                f + ":7:31: error: regions.eu-west-3.network.cidr: '10.1.0.0/16' overlaps regions.eu-west-2.network.cidr"
                        + " 10.1.0.0/16: every region of the stack has a VPC block of its own; 10.2.0.0/16 is free");
    }

    @Test
    void aBackwardsPortRangeComesOutWithTheOtherErrorsOfItsGroup() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    web:\n      ingress:\n"
                + "        - {protocol: tcpp, ports: 443-80, source: wbe}\n");
        assertThat(rendered(invalid(f))).containsExactly(
                f + ":8:22: error: network.securityGroups.web.ingress[0].protocol: 'tcpp' is not one of tcp, udp, icmp,"
                        + " all; did you mean 'tcp'?",
                f + ":8:35: error: network.securityGroups.web.ingress[0].ports: '443-80' runs backwards; did you mean"
                        + " '80-443'?",
                f + ":8:51: error: network.securityGroups.web.ingress[0].source: no security group named 'wbe'; did you"
                        + " mean 'web'?");
    }

    @Test
    void aBlockOfTheWrongSizeSuggestsOneOfARightSize() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.1.0.0/15\n  privateSubnets: [10.0.0.0/29, 10.0.1.0/24, 10.0.2.0/24]\n");
        assertThat(rendered(invalid(f))).containsExactly(
                f + ":4:9: error: network.cidr: '10.1.0.0/15': AWS allows block sizes from /16 to /28; did you mean"
                        + " '10.1.0.0/16'?",
                f + ":5:20: error: network.privateSubnets[0]: '10.0.0.0/29': AWS allows block sizes from /16 to /28; did"
                        + " you mean '10.0.0.0/28'?");
    }

    @Test
    void aVpcBlockTooSmallForItsZonesSuggestsOnlyWhatAwsAllows() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  subnetPrefixLength: 17\n  zones: 3\n");
        assertThat(rendered(invalid(f))).containsExactly(f + ":6:10: error: network.zones: 3 zones need 6 subnets of /17"
                + " but 10.0.0.0/16 holds only 2: use subnetPrefixLength 19, or at most 1 zone");
    }

    @Test
    void anOverlapNamesTheSubnetItOverlaps() {
        assertThat(rendered(invalid("invalid-subnet-overlaps"))).containsExactly(
                file("invalid-subnet-overlaps") + ":7:19: error: network.publicSubnets[0]: subnet 10.0.16.0/20 overlaps"
                        + " the computed private subnet of zone b (10.0.16.0/20)");
    }

    /** A refused name says the rule it breaks, the length included. */
    @Test
    void aTooLongStackNameIsToldTheLengthLimit() throws IOException {
        String name = "shop-" + "x".repeat(27);
        Path f = write("stack: " + name + "\nregion: us-east-1\n");
        assertThat(rendered(invalid(f))).containsExactly(f + ":1:8: error: stack: '" + name + "' is not a stack name:"
                + " lower-case letters, digits and dashes, starting with a letter, at most 31 characters (it has 32)");
    }

    @Test
    void theRegionIsOneAwsHasOrAtLeastLooksLikeOne() throws IOException {
        Path foo = write("stack: shop\nregion: us-east1\nregions:\n  foo: {}\n");
        assertThat(rendered(invalid(foo))).containsExactly(
                foo + ":2:9: error: region: 'us-east1' is not an AWS region name such as us-east-1; did you mean 'us-east-1'?",
                foo + ":4:3: error: regions.foo: 'foo' is not an AWS region name such as us-east-1");

        Path unlisted = write("stack: shop\nregion: ap-southeast-9\nregions:\n  us-gov-east-1: {}\n  cn-north-1: {}\n");
        TopologyLoader.Loaded loaded = TopologyLoader.load(unlisted);
        assertThat(loaded.topology().region()).isEqualTo("ap-southeast-9");
        assertThat(loaded.warnings()).extracting(Diagnostic::render).containsExactly(
                unlisted + ":2:9: warning: region: 'ap-southeast-9' is not a region infra knows; did you mean"
                        + " 'ap-southeast-1'? (if it is newer than this version of infra, ignore this)");
    }

    @Test
    void bucketNamesFollowS3sRules() throws IOException {
        Path f = write(HEAD + "encryption: {}\nbuckets:\n"
                + "  a: {name: my..bucket}\n  b: {name: 192.168.1.1}\n  c: {name: xn--bucket}\n  d: {name: logs-s3alias}\n"
                + "  e: {name: " + "x".repeat(60) + "}\n");
        assertThat(rendered(invalid(f))).containsExactly(
                f + ":5:13: error: buckets.a.name: 'my..bucket' is not an S3 bucket name: it must not hold two adjacent dots",
                f + ":6:13: error: buckets.b.name: '192.168.1.1' is not an S3 bucket name: it must not look like an IP address",
                f + ":7:13: error: buckets.c.name: 'xn--bucket' is not an S3 bucket name: it must not start with 'xn--',"
                        + " which S3 reserves",
                f + ":8:13: error: buckets.d.name: 'logs-s3alias' is not an S3 bucket name: it must not end with"
                        + " '-s3alias', which S3 reserves");
        // 60 characters are fine where the file's region is, and too many once another region is appended.
        Path replicated = write(HEAD + "encryption: {}\nbuckets:\n  e: {name: " + "x".repeat(60) + "}\n"
                + "regions:\n  eu-west-1: {}\n");
        assertThat(rendered(invalid(replicated))).containsExactly(replicated + ":5:6: error: buckets.e: its S3 name in"
                + " eu-west-1, '" + "x".repeat(60) + "-eu-west-1', has 70 characters, not 3 to 63");
    }

    /**
     * A refused value is left out of what the semantic checks see; what they would then say of it (missing, or its
     * default) is not said: a malformed network is still a network, a refused billing is not taken as on-demand.
     */
    @Test
    void whatOnlyFollowsFromARefusedValueIsNotReported() throws IOException {
        Path f = write(HEAD + "network: 10.0.0.0/16\nencryption: {}\n"
                + "egressProxy: {capacity: {min: 2, max: many}, allowedDomains: 5}\n"
                + "tables:\n  orders: {partitionKey: {name: id, type: S}, billing: provisoned, capacity: {read: 1, write: 1}}\n");
        assertThat(rendered(invalid(f))).containsExactly(
                f + ":3:10: error: network: expected a mapping, got a string",
                f + ":5:39: error: egressProxy.capacity.max: expected an integer, got a string",
                f + ":5:62: error: egressProxy.allowedDomains: expected a list, got an integer",
                f + ":7:56: error: tables.orders.billing: 'provisoned' is not one of on-demand, provisioned; did you mean"
                        + " 'provisioned'?");
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
