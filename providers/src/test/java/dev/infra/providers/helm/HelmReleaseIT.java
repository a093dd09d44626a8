package dev.infra.providers.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.eks.EksToken;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
import dev.infra.providers.testing.ProviderTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * helm_release against an emulator cluster, with the fake helm (which checks each kubeconfig's token against the
 * emulator's STS as EKS's authenticator would); and the token itself sent to the emulator's STS.
 */
class HelmReleaseIT extends ProviderTestSupport {

    private String cluster;

    @TempDir
    Path tmp;

    @Override
    protected String region() {
        return "ap-southeast-4";
    }

    @BeforeAll
    void cluster() {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
        String role = clients.client(IamClient.class, IamClient::builder).createRole(b -> b
                .roleName("helm-it-" + UUID.randomUUID().toString().substring(0, 8)).assumeRolePolicyDocument(trust))
                .role().arn();
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.81.0.0/16")).vpc().vpcId();
        String subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.81.1.0/24")).subnet().subnetId();
        cluster = "helm-it-" + UUID.randomUUID().toString().substring(0, 8);
        clients.eks().createCluster(b -> b.name(cluster).roleArn(role).resourcesVpcConfig(v -> v.subnetIds(subnet)));
    }

    /** The presigned URL's query is a GetCallerIdentity the emulator's STS answers, sent with the cluster header. */
    @Test
    void tokenIsAGetCallerIdentityStsAnswers() throws Exception {
        String token = EksToken.of(cluster, DefaultCredentialsProvider.builder().build().resolveCredentials(), region(),
                Emulator.endpoint(), Clock.systemUTC());
        String url = new String(java.util.Base64.getUrlDecoder().decode(token.substring(EksToken.PREFIX.length())));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header(EksToken.CLUSTER_HEADER, cluster).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("<GetCallerIdentityResult>").contains("<Arn>arn:aws:")
                .contains("<Account>");
    }

    private ResourceSpec release(String version, Map<String, Object> values) {
        Map<String, Object> a = new TreeMap<>();
        a.put("clusterName", cluster);
        a.put("namespace", "kube-system");
        a.put("name", "cilium");
        a.put("repository", "https://helm.cilium.io");
        a.put("chart", "cilium");
        a.put("version", version);
        a.put("values", values);
        a.put("status", "deployed");
        a.put("wait", false);
        return untaggedSpec("cluster.apps/cilium", HelmReleaseProvider.TYPE, a);
    }

    @Test
    void lifecycleThroughHelm() throws Exception {
        FakeHelm fake = FakeHelm.in(tmp.resolve("helm"));
        HelmReleaseProvider releases = new HelmReleaseProvider(clients, Helm.locate(fake.binary()));
        assertThat(releases.prerequisite()).isEmpty();
        String id = cluster + "/kube-system/cilium";
        Map<String, Object> values = Map.of("k8sServiceHost", ResourceSpec.CLUSTER_ENDPOINT_HOST, "ipam", Map.of("mode", "eni"));

        LiveResource created = releases.create(release("1.16.5", values), ctx("cluster.apps/cilium"));
        assertThat(created.id()).isEqualTo(id);
        assertMatchesSpec(created, release("1.16.5", values), "repository", "wait");
        assertThat(created.attributes()).containsEntry("revision", 1L);

        FakeHelm.Call install = fake.calls("upgrade").get(0);
        String endpoint = clients.eks().describeCluster(b -> b.name(cluster)).cluster().endpoint();
        assertThat(install.server()).isEqualTo(endpoint);
        assertThat(install.values().path("k8sServiceHost").asText()).isEqualTo(URI.create(endpoint).getHost());
        assertThat(install.version()).isEqualTo("1.16.5");
        assertThat(install.kubeconfigMode()).isEqualTo("0o600");
        assertThat(install.token().path("ok").asBoolean()).as("token answered by STS: %s", install.token()).isTrue();
        assertThat(install.token().path("signedHeaders").asText()).isEqualTo("host;x-k8s-aws-id");
        assertThat(install.token().path("expires").asText()).isEqualTo("60");
        assertThat(install.token().path("padded").asBoolean()).isFalse();
        assertThat(fake.calls()).allSatisfy(c -> assertThat(Path.of(c.kubeconfig())).doesNotExist());
        assertThat(fake.calls().stream().map(FakeHelm.Call::kubeconfig).toList())
                .noneMatch(k -> k.contains(".kube"));

        List<LiveResource> read = releases.readAll(ReadRequest.of("any", Set.of(id)));
        assertThat(read).singleElement().satisfies(r -> assertMatchesSpec(r, release("1.16.5", values), "repository", "wait"));

        LiveResource updated = releases.update(created, release("1.16.6", values), Set.of("version"), ctx("cluster.apps/cilium"));
        assertThat(updated.attributes()).containsEntry("version", "1.16.6").containsEntry("revision", 2L);

        releases.delete(updated, ctx("cluster.apps/cilium"));
        assertThat(releases.readAll(ReadRequest.of("any", Set.of(id)))).isEmpty();
        assertThat(fake.calls("uninstall")).hasSize(1);
        releases.delete(updated, ctx("cluster.apps/cilium")); // already gone: success
        assertThat(Files.list(tmp).count()).isEqualTo(1);
    }

    @Test
    void missingHelmIsAPrerequisite() {
        HelmReleaseProvider releases = new HelmReleaseProvider(clients, Helm.locate(null, tmp.toString()));
        assertThat(releases.prerequisite()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("Helm is not on PATH").contains("https://helm.sh/docs/intro/install/").contains("--helm PATH"));
        assertThat(new HelmReleaseProvider(clients, Helm.locate(tmp.resolve("nope"))).prerequisite())
                .hasValueSatisfying(m -> assertThat(m).startsWith("--helm " + tmp.resolve("nope")));
    }
}
