package dev.infra.core.expand;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Ref;
import dev.infra.core.topology.Edge.Capacity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Launch templates (encrypted root volume) and auto-scaling groups, shared by the proxies. */
final class Instances {

    private Instances() {}

    static void launchTemplate(Expansion out, String address, String nameSuffix, String ami, String instanceType,
                               String userData, List<Ref> securityGroups, SourceLocation at) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", out.name(nameSuffix));
        attrs.put("imageId", ami);
        attrs.put("instanceType", instanceType);
        attrs.put("userData", userData);
        attrs.put("securityGroupIds", List.copyOf(securityGroups));
        attrs.put("rootVolumeSize", 20L);
        attrs.put("kmsKeyId", EncryptionExpander.keyArn());
        out.add(address, "aws_launch_template", nameSuffix, attrs, at);
    }

    /** A group on the template's latest version: a new template version rolls the group. */
    static void group(Expansion out, String address, String nameSuffix, String launchTemplate, Capacity capacity,
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

    static List<Ref> subnets(String kind, List<String> zones) {
        return zones.stream().map(z -> Ref.id("network/subnet." + kind + "-" + z)).toList();
    }
}
