package dev.infra.core.apply;

import java.time.Duration;
import java.util.Map;

/**
 * How long AWS typically takes to create, update or delete a resource of each type: the starting point of the
 * time-left estimate, which the apply refines with what it measures. Types not listed take a few seconds (one API
 * call and a read-back). The slow ones are those a person waits for; the figures (and their sources) are the ones
 * docs/emulator.md lists for the emulator's {@code INFRA_EMULATOR_TIME_SCALE}.
 */
public final class TypicalDurations {

    public enum Kind {
        CREATE, UPDATE, DELETE;

        /** The kind of an operation's verb (creating, re-creating, updating, deleting, deleting (replace)). */
        public static Kind of(String operation) {
            if (operation.startsWith("delet")) {
                return DELETE;
            }
            return operation.startsWith("updat") ? UPDATE : CREATE;
        }
    }

    /** One type's typical create, update and delete. */
    public record Typical(Duration create, Duration update, Duration delete) {
        Duration of(Kind kind) {
            return switch (kind) {
                case CREATE -> create;
                case UPDATE -> update;
                case DELETE -> delete;
            };
        }
    }

    /** What a type not listed takes: an API call or two. */
    public static final Typical QUICK = new Typical(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));

    /** At or above this, an operation is a slow one: AWS makes the caller wait for it. */
    public static final Duration SLOW = Duration.ofMinutes(1);

    private static final Map<String, Typical> BY_TYPE = Map.ofEntries(
            Map.entry("aws_nat_gateway", typical(120, 10, 60)),
            Map.entry("aws_eks_cluster", typical(600, 600, 300)),
            Map.entry("aws_eks_node_group", typical(300, 120, 300)),
            Map.entry("aws_opensearch_domain", typical(1200, 1200, 600)),
            Map.entry("aws_elasticache_replication_group", typical(600, 600, 300)),
            Map.entry("aws_elasticache_global_replication_group", typical(1200, 600, 600)),
            Map.entry("aws_dynamodb_table_replica", typical(300, 60, 300)),
            Map.entry("aws_secretsmanager_secret_replica", typical(10, 1, 10)),
            Map.entry("aws_acm_certificate_validation", typical(120, 2, 2)),
            Map.entry("aws_lb", typical(180, 10, 30)),
            Map.entry("aws_instance", typical(30, 30, 60)),
            Map.entry("aws_autoscaling_group", typical(30, 30, 120)),
            Map.entry("aws_cloudtrail_trail", typical(5, 5, 5)),
            Map.entry("aws_route53_record", typical(30, 30, 30)),
            Map.entry("aws_route53_zone", typical(30, 30, 30)),
            Map.entry("aws_dynamodb_table", typical(20, 20, 20)));

    private TypicalDurations() {}

    private static Typical typical(long createSeconds, long updateSeconds, long deleteSeconds) {
        return new Typical(Duration.ofSeconds(createSeconds), Duration.ofSeconds(updateSeconds),
                Duration.ofSeconds(deleteSeconds));
    }

    /** How long AWS typically takes for this kind of operation on this type. */
    public static Duration of(String type, Kind kind) {
        return BY_TYPE.getOrDefault(type, QUICK).of(kind);
    }
}
