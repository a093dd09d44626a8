package dev.infra.core.model;

/**
 * A value taken from another resource once it exists, e.g. the VPC's id for a subnet's {@code vpcId}.
 *
 * @param region {@code null} for a resource of the same region's graph; else the region whose state holds it
 *     (a replica region uses its primary's IAM roles, zone and tables): no graph edge, the value is read from
 *     that region's plan and state
 */
public record Ref(String address, String attribute, String region) {

    public static Ref to(String address, String attribute) {
        return new Ref(address, attribute, null);
    }

    public static Ref to(Address address, String attribute) {
        return to(address.toString(), attribute);
    }

    public static Ref id(String address) {
        return new Ref(address, "id", null);
    }

    public static Ref id(Address address) {
        return id(address.toString());
    }

    /** A ref to {@code address} in another region's state. */
    public static Ref in(String region, String address, String attribute) {
        return new Ref(address, attribute, region);
    }

    public static Ref in(String region, Address address, String attribute) {
        return in(region, address.toString(), attribute);
    }

    public boolean local() {
        return region == null;
    }

    @Override
    public String toString() {
        return "${" + (region == null ? "" : region + ":") + address + "." + attribute + "}";
    }
}
