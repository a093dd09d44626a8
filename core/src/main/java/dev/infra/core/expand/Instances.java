package dev.infra.core.expand;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.topology.Edge.Capacity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Launch templates (encrypted root volume) and auto-scaling groups, shared by the proxies. */
final class Instances {

    private Instances() {}

    /** {@code logs}: the files the instance's software writes, shipped with the CloudWatch agent when the topology says. */
    static void launchTemplate(Expansion out, Address address, String nameSuffix, String ami, String instanceType,
                               String userData, List<Ref> securityGroups, InstanceLogShipping.Source logs,
                               SourceLocation at) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", out.name(nameSuffix));
        attrs.put("imageId", ami);
        attrs.put("instanceType", instanceType);
        attrs.put("userData", InstanceLogShipping.userData(out.topology(), userData, logs));
        Ref profile = InstanceLogShipping.profile(out.topology(), logs);
        if (profile != null) {
            attrs.put("iamInstanceProfileArn", profile);
        }
        attrs.put("securityGroupIds", List.copyOf(securityGroups));
        attrs.put("rootVolumeSize", 20L);
        attrs.put("kmsKeyId", EncryptionExpander.keyArn());
        out.add(address, "aws_launch_template", nameSuffix, attrs, EncryptionExpander.volumesWait(out), at);
    }

    /** A group on the template's latest version: a new template version rolls the group. */
    static void group(Expansion out, Address address, String nameSuffix, Address launchTemplate, Capacity capacity,
                      List<Ref> subnets, List<Ref> targetGroups, SourceLocation at) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", out.name(nameSuffix));
        attrs.put("launchTemplateId", Ref.id(launchTemplate));
        attrs.put("launchTemplateVersion", Ref.to(launchTemplate, "latestVersion"));
        attrs.put("minSize", (long) capacity.min());
        attrs.put("maxSize", (long) capacity.max());
        attrs.put("desiredCapacity", (long) capacity.desired());
        attrs.put("subnetIds", List.copyOf(subnets));
        attrs.put("targetGroupArns", List.copyOf(targetGroups));
        out.add(address, "aws_autoscaling_group", nameSuffix, attrs, at);
    }

    /**
     * An instance from a launch template in the private subnet of {@code zone}, and its data on an
     * encrypted volume that is a resource of its own, attached: replacing the instance re-attaches
     * the same volume.
     */
    static void serverWithVolume(Expansion out, Address instance, Address volume, Address attachment, String nameSuffix,
                                 Address launchTemplate, String instanceType, String region, String zone, int volumeSize,
                                 SourceLocation at) {
        out.add(instance, "aws_instance", nameSuffix, Map.of(
                "launchTemplateId", Ref.id(launchTemplate),
                "subnetId", Ref.id(Addresses.subnet("private", zone)),
                "instanceType", instanceType), at);
        out.add(volume, "aws_ebs_volume", nameSuffix + "-data", Map.of(
                "availabilityZone", region + zone,
                "size", (long) volumeSize,
                "volumeType", "gp3",
                "encrypted", true,
                "kmsKeyId", EncryptionExpander.keyArn()), EncryptionExpander.volumesWait(out), at);
        out.addUntagged(attachment, "aws_volume_attachment", Map.of(
                "volumeId", Ref.id(volume),
                "instanceId", Ref.id(instance),
                "deviceName", DATA_DEVICE), Set.of(), at);
    }

    /** Where the data volume appears; Nitro instances show it as the second NVMe disk instead. */
    static final String DATA_DEVICE = "/dev/sdf";

    /** User-data lines that wait for the data volume, format it once, and mount it at {@code mountPoint}. */
    static String mountDataVolume(String mountPoint) {
        return "until [ -e /dev/sdf ] || [ -e /dev/nvme1n1 ]; do sleep 2; done\n"
                + "dev=$( [ -e /dev/nvme1n1 ] && echo /dev/nvme1n1 || echo /dev/sdf )\n"
                + "blkid \"$dev\" || mkfs.ext4 \"$dev\"\nmkdir -p " + mountPoint + "\n"
                + "echo \"$dev " + mountPoint + " ext4 defaults,nofail 0 2\" >> /etc/fstab\nmount -a\n";
    }

    static List<Ref> subnets(String kind, List<String> zones) {
        return zones.stream().map(z -> Ref.id(Addresses.subnet(kind, z))).toList();
    }
}
