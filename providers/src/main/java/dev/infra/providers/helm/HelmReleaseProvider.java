package dev.infra.providers.helm;

import static dev.infra.providers.AwsCallException.call;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.state.Json;
import dev.infra.core.topology.Partition;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import dev.infra.providers.eks.EksToken;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code helm_release}: a Helm chart installed in an EKS cluster of the stack. clusterName F, namespace F, name F,
 * repository W (the chart repository's URL, {@code --repo}), chart A, version A (the chart version, pinned), values A
 * (a map; {@value ResourceSpec#CLUSTER_ENDPOINT_HOST} in it is written as the cluster endpoint's host and read back
 * as the token), status A (always {@code deployed}: a failed or pending release is an update, which upgrades it
 * again), wait W (helm waits for the release's pods); C revision, appVersion. Id: {@code <cluster>/<namespace>/<name>}.
 *
 * <p>Helm runs as a subprocess: create and update are {@code helm upgrade --install … --version … -f values.json},
 * reads {@code helm status -o json} and {@code helm get values -o json}, delete {@code helm uninstall}. Each call gets
 * a kubeconfig of its own, in a 0600 temporary file deleted after: the cluster's endpoint and CA from DescribeCluster,
 * and a bearer token infra makes ({@link EksToken}) from the credentials of every other call, so the principal that
 * created the cluster (its admin) acts; the user's {@code ~/.kube/config} is never read or written. Releases carry no
 * tags: the state's ids are read, and a create that was interrupted is found by its name in its cluster.
 */
public final class HelmReleaseProvider extends AwsResourceProvider {

    public static final String TYPE = "helm_release";
    static final String CLUSTER_NAME = "clusterName";
    static final String NAMESPACE = "namespace";
    static final String NAME = "name";
    static final String REPOSITORY = "repository";
    static final String CHART = "chart";
    static final String VERSION = "version";
    static final String VALUES = "values";
    static final String STATUS = "status";
    static final String WAIT = "wait";
    static final String REVISION = "revision";
    static final String APP_VERSION = "appVersion";
    static final String DEPLOYED = "deployed";
    /** What helm may take to install and, with wait, to see the pods ready; the token stays valid 15 minutes. */
    static final String HELM_TIMEOUT = "10m0s";
    static final Duration CALL_TIMEOUT = Duration.ofMinutes(12);
    static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private final Helm helm;
    private final Clock clock;

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(CLUSTER_NAME, Kind.REFERENCE),
            Attribute.required(NAMESPACE, Kind.STRING),
            Attribute.required(NAME, Kind.STRING),
            Attribute.required(REPOSITORY, Kind.STRING).writeOnly().doc("the chart repository, `--repo`"),
            Attribute.required(CHART, Kind.STRING).updatable(),
            Attribute.required(VERSION, Kind.STRING).updatable()
                    .doc("the chart version, pinned: a new one is an in-place `helm upgrade`"),
            Attribute.required(VALUES, Kind.MAP).updatable()
                    .doc("`${infra:cluster-endpoint-host}` in it is written as the cluster endpoint's host and read back as the token"),
            Attribute.required(STATUS, Kind.STRING).updatable()
                    .doc("always `deployed`: a failed or pending release plans an update, which upgrades it again"),
            Attribute.required(WAIT, Kind.BOOL).writeOnly().doc("`--wait --timeout 10m0s`"),
            Attribute.computed(REVISION, Kind.NUMBER),
            Attribute.computed(APP_VERSION, Kind.STRING))
            .id("`<cluster>/<namespace>/<name>`")
            .notes("No tags. Helm 3 as a subprocess (`--helm PATH`, else `helm` on PATH; missing, the plan fails before any read, `ResourceProvider.prerequisite`): create and update `helm upgrade --install NAME CHART --repo … --version … --namespace … --create-namespace -f values.json`, read `helm status -o json` (chart name and version, status, revision) and `helm get values -o json`, delete `helm uninstall --wait` (a release or a cluster already gone is success). Every call gets its own kubeconfig in a 0600 temporary file, deleted after: DescribeCluster's endpoint and CA and a bearer token infra makes (`EksToken`: STS GetCallerIdentity presigned for 60 s with `x-k8s-aws-id` signed, `k8s-aws-v1.` + base64url without padding). readAll: the state's ids, one DescribeCluster and one kubeconfig per cluster; findExisting: the spec's name in its cluster (releases carry no tags)");

    public HelmReleaseProvider(AwsClients clients, Helm helm) {
        this(clients, helm, Clock.systemUTC());
    }

    HelmReleaseProvider(AwsClients clients, Helm helm, Clock clock) {
        super(clients, ENTRY);
        this.helm = helm;
        this.clock = clock;
    }

    @Override
    public Optional<String> prerequisite() {
        return helm instanceof Helm.Missing m ? Optional.of(m.reason()) : Optional.empty();
    }

    // ---- reads --------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Map<String, List<String>> byCluster = new TreeMap<>();
        ids.forEach(id -> byCluster.computeIfAbsent(split(id)[0], c -> new ArrayList<>()).add(id));
        List<LiveResource> out = new ArrayList<>();
        byCluster.forEach((cluster, releases) -> describeCluster(cluster).ifPresent(c -> {
            try (Access access = access(c)) {
                releases.forEach(id -> read(access, id).ifPresent(out::add));
            }
        }));
        return out;
    }

    /** By its name in its cluster: releases carry no tags, and a name is unique within a namespace. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return readIds(List.of(idOf(spec))).stream().findFirst();
    }

    private Optional<LiveResource> read(Access access, String id) {
        String[] key = split(id);
        Helm.Result status = access.helm(READ_TIMEOUT, "status", key[2], "--namespace", key[1], "--output", "json");
        if (status.notFound()) {
            return Optional.empty();
        }
        JsonNode release = json(id, "status", status);
        Helm.Result values = access.helm(READ_TIMEOUT, "get", "values", key[2], "--namespace", key[1], "--output", "json");
        Map<String, Object> given = values.out().isBlank() || values.out().strip().equals("null") ? Map.of()
                : Json.MAPPER.convertValue(json(id, "get values", values), new TypeReference<Map<String, Object>>() {});
        JsonNode chart = release.path("chart").path("metadata");
        Map<String, Object> a = new TreeMap<>();
        a.put(CLUSTER_NAME, key[0]);
        a.put(NAMESPACE, key[1]);
        a.put(NAME, key[2]);
        putIfPresent(a, CHART, text(chart.path("name")));
        putIfPresent(a, VERSION, text(chart.path("version")));
        putIfPresent(a, APP_VERSION, text(chart.path("appVersion")));
        putIfPresent(a, STATUS, text(release.path("info").path("status")));
        if (release.path("version").isNumber()) {
            a.put(REVISION, release.path("version").asLong());
        }
        a.put(VALUES, access.tokenized(given));
        return Optional.of(LiveResource.of(id, null, a));
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private JsonNode json(String id, String what, Helm.Result r) {
        if (!r.ok()) {
            throw new ProviderException(id, "helm " + what + " failed: " + firstLine(r.err()));
        }
        try {
            return Json.MAPPER.readTree(r.out());
        } catch (IOException e) {
            throw new ProviderException(id, "helm " + what + " printed no JSON: " + firstLine(r.out()), e);
        }
    }

    // ---- changes ------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        return install(spec);
    }

    /** A chart version, values or status change: the same upgrade --install, which makes a new revision. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return install(spec);
    }

    private LiveResource install(ResourceSpec spec) {
        String id = idOf(spec);
        Cluster cluster = describeCluster(SpecValues.string(spec, CLUSTER_NAME)).orElseThrow(() ->
                new ProviderException(spec.address(), "EKS cluster " + SpecValues.string(spec, CLUSTER_NAME)
                        + " does not exist"));
        try (Access access = access(cluster);
             Helm.PrivateFile values = Helm.privateFile("infra-values-", access.written(values(spec)))) {
            List<String> args = new ArrayList<>(List.of("upgrade", "--install", SpecValues.string(spec, NAME),
                    SpecValues.string(spec, CHART)));
            String repository = SpecValues.optionalString(spec, REPOSITORY);
            if (repository != null) {
                args.addAll(List.of("--repo", repository));
            }
            args.addAll(List.of("--version", SpecValues.string(spec, VERSION), "--namespace",
                    SpecValues.string(spec, NAMESPACE), "--create-namespace", "-f", values.path().toString()));
            if (SpecValues.bool(spec, WAIT, false)) {
                args.addAll(List.of("--wait", "--timeout", HELM_TIMEOUT));
            }
            Helm.Result r = access.helm(CALL_TIMEOUT, args.toArray(String[]::new));
            if (!r.ok()) {
                throw new ProviderException(spec.address(), "helm upgrade --install " + SpecValues.string(spec, NAME)
                        + " failed: " + firstLine(r.err()));
            }
            return read(access, id).orElseThrow(() -> new ProviderException(spec.address(),
                    "helm installed release " + id + " but does not show it"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> values(ResourceSpec spec) {
        Object v = spec.attributes().get(VALUES);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** helm uninstall; a release or a cluster already gone is success. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String[] key = split(current.id());
        describeCluster(key[0]).ifPresent(cluster -> {
            try (Access access = access(cluster)) {
                Helm.Result r = access.helm(CALL_TIMEOUT, "uninstall", key[2], "--namespace", key[1], "--wait",
                        "--timeout", HELM_TIMEOUT);
                if (!r.ok() && !r.notFound()) {
                    throw new ProviderException(current.id(), "helm uninstall failed: " + firstLine(r.err()));
                }
            }
        });
    }

    // ---- reaching the cluster -----------------------------------------------------------------------

    private static String idOf(ResourceSpec spec) {
        return SpecValues.string(spec, CLUSTER_NAME) + "/" + SpecValues.string(spec, NAMESPACE) + "/"
                + SpecValues.string(spec, NAME);
    }

    /** {@code <cluster>/<namespace>/<name>} as its three parts. */
    private static String[] split(String id) {
        String[] parts = id.split("/", -1);
        if (parts.length != 3 || List.of(parts).contains("")) {
            throw new ProviderException(id, "not a Helm release id (<cluster>/<namespace>/<name>): " + id);
        }
        return parts;
    }

    private Optional<Cluster> describeCluster(String name) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(
                call("DescribeCluster", () -> clients().eks().describeCluster(b -> b.name(name))).cluster()));
    }

    /** A kubeconfig for {@code cluster} with a fresh token, in a private file deleted when the access closes. */
    private Access access(Cluster cluster) {
        if (!(helm instanceof Helm.Found found)) {
            throw new ProviderException(TYPE, ((Helm.Missing) helm).reason());
        }
        if (cluster.endpoint() == null || cluster.certificateAuthority() == null) {
            throw new ProviderException(cluster.name(), "EKS cluster " + cluster.name() + " has no endpoint yet");
        }
        StsClient sts = clients().client(StsClient.class, StsClient::builder);
        AwsCredentialsIdentity credentials = call("resolve credentials",
                () -> sts.serviceClientConfiguration().credentialsProvider().resolveIdentity().join());
        String region = clients().region();
        URI endpoint = sts.serviceClientConfiguration().endpointOverride()
                .orElse(URI.create("https://sts." + region + "." + Partition.of(region).dnsSuffix()));
        String token = EksToken.of(cluster.name(), credentials, region, endpoint, clock);
        Map<String, Object> kubeconfig = new LinkedHashMap<>();
        kubeconfig.put("apiVersion", "v1");
        kubeconfig.put("kind", "Config");
        kubeconfig.put("clusters", List.of(Map.of("name", cluster.name(), "cluster", Map.of(
                "server", cluster.endpoint(), "certificate-authority-data", cluster.certificateAuthority().data()))));
        kubeconfig.put("users", List.of(Map.of("name", "infra", "user", Map.of("token", token))));
        kubeconfig.put("contexts", List.of(Map.of("name", cluster.name(), "context",
                Map.of("cluster", cluster.name(), "user", "infra"))));
        kubeconfig.put("current-context", cluster.name());
        return new Access(found, Helm.privateFile("infra-kubeconfig-", kubeconfig),
                URI.create(cluster.endpoint()).getHost());
    }

    /** Helm pointed at one cluster through a private kubeconfig, and that cluster's endpoint host. */
    private record Access(Helm.Found helm, Helm.PrivateFile kubeconfig, String host) implements AutoCloseable {

        Helm.Result helm(Duration timeout, String... args) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--kubeconfig", kubeconfig.path().toString()));
            return helm.run(all, timeout);
        }

        /** The values as helm gets them: the endpoint host token replaced by the host. */
        Map<String, Object> written(Map<String, Object> values) {
            return swap(values, ResourceSpec.CLUSTER_ENDPOINT_HOST, host);
        }

        /** The values as the spec has them: the host back to its token. */
        Map<String, Object> tokenized(Map<String, Object> values) {
            return swap(values, host, ResourceSpec.CLUSTER_ENDPOINT_HOST);
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object> swap(Map<String, Object> values, String from, String to) {
            Map<String, Object> out = new TreeMap<>();
            values.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? swap((Map<String, Object>) m, from, to)
                    : from.equals(v) ? to : v));
            return out;
        }

        @Override
        public void close() {
            kubeconfig.close();
        }
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        return t.isEmpty() ? "(no output)" : t.lines().findFirst().orElse(t);
    }

    /** DescribeCluster's answer for a cluster that is gone, and with it its releases. */
    @Override
    protected boolean isGone(AwsCallException e) {
        return "ResourceNotFoundException".equals(e.code());
    }
}
