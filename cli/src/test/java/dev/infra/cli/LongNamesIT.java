package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DomainInfo;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * The seed with a 31-character stack name and 31-character component names, the longest validation accepts, applies
 * on the emulator, which refuses names past AWS's limits as AWS does: the names infra derives are cut to fit. Read
 * back from the emulator, every one fits; the stack then plans clean and destroys.
 */
class LongNamesIT {

    static final String REGION = "sa-east-1";
    static final String STACK = "payments-platform-production-eu";
    static final String INTERNAL = "internal-entrance-for-the-payer";

    @TempDir
    static Path dir;

    /** The helm infra runs: CI has no real one (and the emulator no Kubernetes API for it). */
    static FakeHelm helm;

    static AwsClients aws;

    @BeforeAll
    static void start() throws IOException {
        helm = FakeHelm.in(dir.resolve("helm-bin"));
        aws = Emulator.clients(REGION);
        String seed = Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("region: us-east-1", "region: " + REGION)
                .replace("stack: shop", "stack: " + STACK)
                .replace("  internal:\n", "  " + INTERNAL + ":\n")
                .replace("loadBalancers.internal", "loadBalancers." + INTERNAL)
                .replace("  apps:\n", "  applications-cluster-for-payers:\n")
                .replace("clusters.apps", "clusters.applications-cluster-for-payers")
                .replace("      general:", "      general-purpose-nodes-for-payer:")
                .replace("  sessions:\n", "  sessions-of-the-payment-clients:\n")
                .replace("  audit:\n", "  audit-trail-of-the-payments-app:\n")
                .replace("buckets.audit", "buckets.audit-trail-of-the-payments-app")
                .replace("deletionProtection: true", "deletionProtection: false");
        Files.writeString(dir.resolve("infra.yaml"), seed);
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2",
                "--helm", helm.binary().toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    void theLongestNamesApplyPlanCleanAndDestroy() {
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);

        ElasticLoadBalancingV2Client elb = aws.client(ElasticLoadBalancingV2Client.class,
                ElasticLoadBalancingV2Client::builder);
        List<String> lbs = elb.describeLoadBalancers().loadBalancers().stream().map(LoadBalancer::loadBalancerName).toList();
        assertThat(lbs).hasSize(2).allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(32))
                .contains(AwsRules.LOAD_BALANCER.fit(STACK + "-" + INTERNAL));
        assertThat(elb.describeTargetGroups().targetGroups()).extracting(TargetGroup::targetGroupName).hasSize(2)
                .allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(32));
        assertThat(aws.client(OpenSearchClient.class, OpenSearchClient::builder).listDomainNames(b -> { }).domainNames())
                .extracting(DomainInfo::domainName).singleElement().satisfies(n -> assertThat(n).hasSize(28));
        assertThat(aws.client(ElastiCacheClient.class, ElastiCacheClient::builder).describeReplicationGroups()
                .replicationGroups()).extracting(ReplicationGroup::replicationGroupId).singleElement()
                .satisfies(n -> assertThat(n).hasSize(40));
        assertThat(aws.client(IamClient.class, IamClient::builder).listRoles(b -> b.pathPrefix("/infra/" + STACK + "/"))
                .roles()).extracting(Role::roleName).isNotEmpty().allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(64));
        assertThat(aws.s3().listBuckets().buckets()).extracting(Bucket::name).filteredOn(n -> n.contains("payments-platform"))
                .hasSizeGreaterThanOrEqualTo(5).allSatisfy(n -> assertThat(n).hasSizeLessThanOrEqualTo(63));

        Cli.Result plan = infra("plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        Cli.Result destroy = infra("destroy", "--auto-approve", "--force-delete-data");
        assertThat(destroy.exit()).as(destroy.toString()).isEqualTo(0);
        assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
    }
}
