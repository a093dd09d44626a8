package dev.infra.core.expand;

import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.topology.Edge.Encryption;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.Data.Monitoring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code encryption:} → the stack's KMS key, its alias, and EBS encryption by default with it. */
final class EncryptionExpander implements ComponentExpander {

    /** The key's ARN, for everything encrypted with it. */
    static Ref keyArn() {
        return Ref.to(Addresses.KEY, "arn");
    }

    /**
     * What anything that makes volumes waits for: with EBS encryption by default on, every volume,
     * root volumes included, is encrypted with the stack key once the setting is in place.
     */
    static Set<Address> volumesWait(Expansion out) {
        Encryption e = out.topology().encryption();
        return e != null && e.ebsDefault() ? Set.of(EBS_DEFAULT) : Set.of();
    }

    static final Address EBS_DEFAULT = Addresses.ENCRYPTION.child("ebs-default");

    /**
     * The services that encrypt with the key on the stack's behalf and so need it in the key policy:
     * CloudTrail (the trail), CloudWatch Logs (the log groups), CloudWatch (alarms publish to the
     * encrypted topic), the log delivery service (VPC flow logs to the SSE-KMS log archive), GuardDuty (findings
     * exported to the log archive). Sorted: the policy's principals are a set.
     */
    static List<String> servicePrincipals(Topology t) {
        Monitoring m = t.monitoring();
        Partition partition = Partition.of(t.region());
        List<String> out = new ArrayList<>();
        if (m != null && m.trailBucket() != null) {
            out.add(partition.servicePrincipal("cloudtrail"));
        }
        if (m != null && m.alarms()) {
            out.add(partition.servicePrincipal("cloudwatch"));
        }
        if (m != null && m.logArchive() != null && LogArchiveExpander.flowLogs(t)) {
            out.add(partition.servicePrincipal("delivery.logs"));
        }
        if (m != null && m.logArchive() != null && LogArchiveExpander.findings(t)) {
            out.add(partition.servicePrincipal("guardduty"));
        }
        if (m != null && (!m.logGroups().isEmpty() || m.logSearch() != null && m.logSearch().publishLogs())) {
            out.add(partition.servicePrincipal("logs." + t.region()));
        }
        return out.stream().sorted().toList();
    }

    /**
     * Services whose service-linked role launches instances with volumes under the key: Auto Scaling, for the proxy
     * groups and the clusters' managed node groups. Without it in the key policy, AWS cannot launch them.
     */
    static List<String> serviceLinkedRoles(Topology t) {
        boolean groups = t.egressProxy() != null || t.accessProxy() != null || !t.clusters().isEmpty();
        return groups ? List.of(Partition.of(t.region()).servicePrincipal("autoscaling")) : List.of();
    }

    @Override
    public void expand(Topology topology, Expansion out) {
        Encryption e = topology.encryption();
        if (e == null) {
            return;
        }
        String description = "infra stack " + topology.stack() + ": volumes, cluster secrets, data stores";
        if (topology.replica() && e.multiRegion()) {
            // The same key material in every region (rotation follows the primary); policy and aliases are per region.
            out.add(Addresses.KEY, "aws_kms_replica_key", "key", Map.of(
                    "primaryKeyArn", Ref.in(topology.placement().primary(), Addresses.KEY, "arn"),
                    "description", description,
                    "deletionWindowDays", (long) e.deletionWindowDays(),
                    "servicePrincipals", servicePrincipals(topology),
                    "serviceLinkedRoles", serviceLinkedRoles(topology)), e.at());
        } else {
            out.add(Addresses.KEY, "aws_kms_key", "key", Map.of(
                    "description", description,
                    "enableKeyRotation", e.rotation(),
                    "multiRegion", e.multiRegion(),
                    "deletionWindowDays", (long) e.deletionWindowDays(),
                    "servicePrincipals", servicePrincipals(topology),
                    "serviceLinkedRoles", serviceLinkedRoles(topology)), e.at());
        }
        out.addUntagged(Addresses.ENCRYPTION.child("alias"), "aws_kms_alias", Map.of(
                "name", "alias/infra-" + topology.stack(),
                "targetKeyId", Ref.id(Addresses.KEY)), Set.of(), e.at());
        if (e.ebsDefault()) {
            out.addUntagged(EBS_DEFAULT, "aws_ebs_encryption_by_default", Map.of(
                    "enabled", true,
                    "kmsKeyId", keyArn()), Set.of(), e.at());
        }
    }
}
