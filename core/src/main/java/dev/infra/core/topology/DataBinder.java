package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.intOr;
import static dev.infra.core.topology.TopologyLoader.items;
import static dev.infra.core.topology.TopologyLoader.text;
import static dev.infra.core.topology.TopologyLoader.texts;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.topology.Data.Bucket;
import dev.infra.core.topology.Data.Cache;
import dev.infra.core.topology.Data.Index;
import dev.infra.core.topology.Data.Key;
import dev.infra.core.topology.Data.LifecycleRule;
import dev.infra.core.topology.Data.InstanceLogs;
import dev.infra.core.topology.Data.LogArchive;
import dev.infra.core.topology.Data.LogSearch;
import dev.infra.core.topology.Data.LoadBalancerLogs;
import dev.infra.core.topology.Data.Monitoring;
import dev.infra.core.topology.Data.Service;
import dev.infra.core.topology.Data.Table;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.YMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Semantic checks and binding of tables, caches, buckets, services and monitoring. */
final class DataBinder {

    static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
            1096, 1827, 2192, 2557, 2922, 3288, 3653);
    /** Official images for the seed's services; any other service names its image. */
    static final Map<String, String> KNOWN_IMAGES = Map.of(
            "prometheus", "prom/prometheus:v2.54.1",
            "grafana", "grafana/grafana:11.2.2",
            "vault", "hashicorp/vault:1.17.6");

    private DataBinder() {}

    record Bound(Map<String, Table> tables, Map<String, Cache> caches, Map<String, Bucket> buckets,
                 Map<String, Service> services, Monitoring monitoring) {}

    static Bound bind(YMap root, Network network, EdgeBinder.Bound edge, ShapeChecker.Result shape, Diagnostics diags) {
        Map<String, Table> tables = new LinkedHashMap<>();
        each(root, "tables", (name, m) -> tables.put(name, table(name, m, shape, diags)));
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        each(root, "buckets", (name, m) -> buckets.put(name, bucket(name, m, diags)));
        Map<String, Cache> caches = new LinkedHashMap<>();
        each(root, "caches", (name, m) -> caches.put(name, cache(name, m, edge, diags)));
        Map<String, Service> services = new LinkedHashMap<>();
        // Zones refused are zones unknown: a service's zone is then not held against the default ones.
        boolean zonesKnown = !shape.refused("network.zones");
        each(root, "services", (name, m) -> services.put(name, service(name, m, network, zonesKnown, diags)));
        Monitoring monitoring = root.get("monitoring") instanceof YMap m ? monitoring(m, buckets, diags) : null;

        for (String key : List.of("caches", "services")) {
            if (network == null && root.get(key) != null) {
                diags.error(root.entries().get(key).keyAt(), key, "needs the VPC it lives in: add 'network:'");
            }
        }
        if (monitoring != null && monitoring.logSearch() != null && network == null) {
            diags.error(monitoring.at(), "monitoring.logSearch", "needs the VPC it lives in: add 'network:'");
        }
        if (monitoring != null && monitoring.loadBalancerLogs() != null && edge.loadBalancers().isEmpty()) {
            diags.error(monitoring.loadBalancerLogs().at(), "monitoring.loadBalancerLogs",
                    "logs the load balancers' requests, and there are none: add 'loadBalancers:'");
        }
        // Seed §6 and the data issue: every store is encrypted with the stack's key.
        for (String key : List.of("tables", "caches", "buckets", "services", "monitoring")) {
            if (root.get(key) != null && edge.encryption() == null) {
                diags.error(root.entries().get(key).keyAt(), key, "is encrypted with the stack's key: add 'encryption:'");
            }
        }
        return new Bound(tables, caches, buckets, services, monitoring);
    }

    private static void each(YMap root, String key, java.util.function.BiConsumer<String, YMap> f) {
        if (root.get(key) instanceof YMap m) {
            m.entries().forEach((name, e) -> f.accept(name, (YMap) e.value()));
        }
    }

    private static Key key(YNode node) {
        return node instanceof YMap m ? new Key(text(m.get("name")), text(m.get("type"))) : null;
    }

    private static Table table(String name, YMap t, ShapeChecker.Result shape, Diagnostics diags) {
        String path = "tables." + name;
        boolean onDemand = !"provisioned".equals(text(t.get("billing")));
        YMap capacity = t.get("capacity") instanceof YMap c ? c : null;
        if (!onDemand && capacity == null) {
            diags.error(t.at(), path, "provisioned billing needs 'capacity: {read, write}'");
        }
        if (onDemand && capacity != null && !shape.refused(path + ".billing")) {
            diags.error(capacity.at(), path + ".capacity", "on-demand tables have no provisioned capacity; remove it or set 'billing: provisioned'");
        }
        List<Index> indexes = new ArrayList<>();
        if (t.get("indexes") instanceof YMap ix) {
            ix.entries().forEach((iname, e) -> {
                YMap i = (YMap) e.value();
                indexes.add(new Index(iname, key(i.get("partitionKey")), key(i.get("sortKey"))));
            });
        }
        Key pk = key(t.get("partitionKey"));
        Key sk = key(t.get("sortKey"));
        if (sk != null && pk != null && sk.name() != null && sk.name().equals(pk.name())) {
            diags.error(t.get("sortKey").at(), path + ".sortKey", "the sort key must differ from the partition key '" + pk.name() + "'");
        }
        return new Table(name, pk, sk, onDemand,
                capacity == null ? 0 : intOr(capacity.get("read"), 0), capacity == null ? 0 : intOr(capacity.get("write"), 0),
                indexes, !"false".equals(text(t.get("pointInTimeRecovery"))), text(t.get("ttl")),
                !"false".equals(text(t.get("deletionProtection"))), t.at(), TopologyLoader.at(t.get("billing"), t.at()));
    }

    private static Cache cache(String name, YMap c, EdgeBinder.Bound edge, Diagnostics diags) {
        List<String> clients = new ArrayList<>();
        List<YNode> refs = items(c.get("clientsFrom"));
        for (int i = 0; i < refs.size(); i++) {
            String cluster = EdgeBinder.reference(refs.get(i), "clusters.");
            if (!edge.clusters().containsKey(cluster)) {
                diags.error(refs.get(i).at(), "caches." + name + ".clientsFrom[" + i + "]", "no cluster named '" + cluster + "'"
                        + Names.didYouMean(cluster, edge.clusters().keySet()));
            }
            clients.add(cluster);
        }
        boolean global = "true".equals(text(c.get("global")));
        // A Global Datastore needs nodes of size large and above (ElastiCache, "Prerequisites and limitations").
        return new Cache(name, text(c.get("engineVersion"), "7.1"),
                text(c.get("nodeType"), global ? "cache.r7g.large" : "cache.t4g.small"), intOr(c.get("replicas"), 1),
                clients, global, c.at(), TopologyLoader.at(c.get("nodeType"), c.at()));
    }

    private static Bucket bucket(String name, YMap b, Diagnostics diags) {
        List<LifecycleRule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        List<YNode> list = items(b.get("lifecycle"));
        for (int i = 0; i < list.size(); i++) {
            YMap r = (YMap) list.get(i);
            String path = "buckets." + name + ".lifecycle[" + i + "]";
            String id = text(r.get("id"));
            if (id != null && id.startsWith("infra-")) {
                diags.error(r.get("id").at(), path + ".id", "rule ids starting 'infra-' are infra's own (every bucket"
                        + " gets infra-housekeeping): choose another id");
            }
            if (!ids.add(id)) {
                diags.error(r.get("id").at(), path + ".id", "another rule of this bucket is named '" + id + "'");
            }
            boolean transition = r.get("transitionDays") != null;
            boolean noncurrent = r.get("noncurrentTransitionDays") != null;
            if (transition != (r.get("storageClass") != null)) {
                diags.error(r.at(), path, "'transitionDays' and 'storageClass' go together");
            }
            if (noncurrent != (r.get("noncurrentStorageClass") != null)) {
                diags.error(r.at(), path, "'noncurrentTransitionDays' and 'noncurrentStorageClass' go together");
            }
            if (!transition && !noncurrent && r.get("expirationDays") == null && r.get("noncurrentExpirationDays") == null) {
                diags.error(r.at(), path, "a rule needs a transition or an expiration");
            }
            int transitionDays = intOr(r.get("transitionDays"), 0);
            int expirationDays = intOr(r.get("expirationDays"), 0);
            expiresAfterTransition(r, path, "", transitionDays, expirationDays, diags);
            int noncurrentTransitionDays = intOr(r.get("noncurrentTransitionDays"), 0);
            int noncurrentExpirationDays = intOr(r.get("noncurrentExpirationDays"), 0);
            expiresAfterTransition(r, path, "noncurrent", noncurrentTransitionDays, noncurrentExpirationDays, diags);
            if ((noncurrent || noncurrentExpirationDays > 0) && "false".equals(text(b.get("versioning")))) {
                diags.error(r.at(), path, "only a versioned bucket has noncurrent versions: remove the noncurrent"
                        + " settings or 'versioning: false'");
            }
            rules.add(new LifecycleRule(id, text(r.get("prefix"), ""), transitionDays, text(r.get("storageClass")),
                    expirationDays, noncurrentTransitionDays, text(r.get("noncurrentStorageClass")), noncurrentExpirationDays));
        }
        boolean versioning = !"false".equals(text(b.get("versioning")));
        boolean replicate = "true".equals(text(b.get("replicate")));
        if (replicate && !versioning) {
            diags.error(b.get("versioning").at(), "buckets." + name + ".versioning", "a replicated bucket needs"
                    + " versioning (S3 replication copies object versions): remove 'versioning: false' or 'replicate: true'");
        }
        return new Bucket(name, text(b.get("name")), versioning, replicate, rules,
                "true".equals(text(b.get("forceDestroy"))), b.at());
    }

    /** An expiration at or before the transition of the same versions would delete them before they move. */
    private static void expiresAfterTransition(YMap r, String path, String kind, int transitionDays, int expirationDays,
                                               Diagnostics diags) {
        if (transitionDays > 0 && expirationDays > 0 && expirationDays <= transitionDays) {
            String key = kind.isEmpty() ? "expirationDays" : kind + "ExpirationDays";
            diags.error(r.get(key).at(), path + "." + key, "expires after " + expirationDays + " days, before its "
                    + (kind.isEmpty() ? "" : kind + " ") + "transition at " + transitionDays);
        }
    }

    private static Service service(String name, YMap s, Network network, boolean zonesKnown, Diagnostics diags) {
        String path = "services." + name;
        String image = text(s.get("image"), KNOWN_IMAGES.get(name));
        if (image == null) {
            diags.error(s.at(), path, "name the container image ('image:'); only " + String.join(", ",
                    new java.util.TreeSet<>(KNOWN_IMAGES.keySet())) + " have a default");
        }
        String zone = text(s.get("zone"), network == null || network.zones().isEmpty() ? "a" : network.zones().get(0));
        // Without 'zone:' the service takes the network's first zone, and a network without zones is an error already.
        if (network != null && zonesKnown && s.get("zone") != null && !network.zones().contains(zone)) {
            diags.error(s.get("zone").at(), path + ".zone", "the network has no zone '" + zone + "' (zones: "
                    + String.join(", ", network.zones()) + ")");
        }
        List<Integer> ports = new ArrayList<>();
        texts(s.get("ports")).forEach(p -> ports.add((int) ShapeChecker.parseLong(p)));
        return new Service(name, image, text(s.get("instanceType"), "t3.medium"), intOr(s.get("volumeSize"), 20), ports,
                zone, text(s.get("ami"), EdgeBinder.AMAZON_LINUX), s.at());
    }

    private static Monitoring monitoring(YMap m, Map<String, Bucket> buckets, Diagnostics diags) {
        String trail = m.get("cloudTrail") instanceof YMap t ? bucketRef(t.get("bucket"), "monitoring.cloudTrail.bucket", buckets, diags) : null;
        Map<String, Integer> groups = new LinkedHashMap<>();
        if (m.get("logGroups") instanceof YMap lg) {
            lg.entries().forEach((name, e) -> {
                YNode r = ((YMap) e.value()).get("retentionDays");
                int days = intOr(r, 30);
                if (!RETENTION_DAYS.contains(days)) {
                    diags.error(r.at(), "monitoring.logGroups." + name + ".retentionDays", days
                            + " is not a retention CloudWatch offers; use one of " + new java.util.TreeSet<>(RETENTION_DAYS));
                }
                groups.put(name, days);
            });
        }
        LogSearch search = null;
        if (m.get("logSearch") instanceof YMap ls) {
            search = new LogSearch(text(ls.get("engineVersion"), "OpenSearch_2.13"), text(ls.get("instanceType"), "r6g.large.search"),
                    intOr(ls.get("instanceCount"), 2), intOr(ls.get("volumeSize"), 100),
                    bucketRef(ls.get("archiveBucket"), "monitoring.logSearch.archiveBucket", buckets, diags),
                    !"false".equals(text(ls.get("publishLogs"))));
        }
        if (search != null && buckets.containsKey(search.archiveBucket())) {
            checkArchive(buckets.get(search.archiveBucket()), diags);
        }
        String athena = m.get("athena") instanceof YMap a ? bucketRef(a.get("resultsBucket"), "monitoring.athena.resultsBucket", buckets, diags) : null;
        String frequency = m.get("guardDuty") instanceof YMap g ? text(g.get("findingFrequency"), "FIFTEEN_MINUTES") : null;
        LoadBalancerLogs lbLogs = m.get("loadBalancerLogs") instanceof YMap l
                ? new LoadBalancerLogs(intOr(l.get("expirationDays"), 90), l.at()) : null;
        LogArchive archive = m.get("logArchive") instanceof YMap l
                ? new LogArchive(intOr(l.get("expirationDays"), 365), !"false".equals(text(l.get("flowLogs"))),
                        !"false".equals(text(l.get("guardDutyFindings"))), !"false".equals(text(l.get("logGroups"))),
                        l.at()) : null;
        InstanceLogs instanceLogs = null;
        if (m.get("instanceLogs") instanceof YMap il) {
            for (String kind : List.of("proxies", "services")) {
                String group = text(il.get(kind));
                if (group != null && !groups.containsKey(group)) {
                    diags.error(il.get(kind).at(), "monitoring.instanceLogs." + kind, "'" + group
                            + "' is not a log group of monitoring.logGroups" + (groups.isEmpty() ? ""
                            : "; one of " + new java.util.TreeSet<>(groups.keySet())));
                }
            }
            instanceLogs = new InstanceLogs(text(il.get("proxies")), text(il.get("services")), il.at());
        }
        return new Monitoring(trail, groups, !"false".equals(text(m.get("alarms"))), frequency, search, athena, lbLogs,
                archive, instanceLogs, m.at());
    }

    /** Storage classes OpenSearch cannot restore a snapshot from: the S3 Glacier classes. */
    static final Set<String> UNRESTORABLE = Set.of("GLACIER_IR", "GLACIER", "DEEP_ARCHIVE");

    /**
     * The OpenSearch archive holds snapshots: OpenSearch reads them only from storage classes it can read at once (not
     * the S3 Glacier ones), and each snapshot shares files with the earlier ones, which OpenSearch deletes itself when
     * a snapshot goes; an expiration would break every later snapshot's restore. Noncurrent versions (files OpenSearch
     * deleted) may be moved and expired.
     */
    private static void checkArchive(Bucket archive, Diagnostics diags) {
        String path = "buckets." + archive.name() + ".lifecycle";
        for (LifecycleRule r : archive.lifecycle()) {
            String why = r.storageClass() != null && UNRESTORABLE.contains(r.storageClass()) ? "moves snapshots to " + r.storageClass()
                    + ", from which OpenSearch cannot restore them"
                    : r.expirationDays() > 0 ? "expires snapshot files that later snapshots still use" : null;
            if (why != null) {
                diags.error(archive.at(), path, "rule '" + r.id() + "' " + why + "; the bucket is the OpenSearch archive"
                        + " (monitoring.logSearch.archiveBucket): move current versions to STANDARD_IA, ONEZONE_IA or"
                        + " INTELLIGENT_TIERING only, and let OpenSearch delete snapshots");
            }
        }
    }

    private static String bucketRef(YNode node, String path, Map<String, Bucket> buckets, Diagnostics diags) {
        String name = EdgeBinder.reference(node, "buckets.");
        if (name != null && !buckets.containsKey(name)) {
            diags.error(node.at(), path, "no bucket named '" + name + "'" + Names.didYouMean(name, buckets.keySet()));
        }
        return name;
    }

}
