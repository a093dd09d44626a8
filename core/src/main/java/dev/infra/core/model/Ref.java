package dev.infra.core.model;

/** A value taken from another resource once it exists, e.g. the VPC's id for a subnet's {@code vpcId}. */
public record Ref(String address, String attribute) {

    public static Ref to(String address, String attribute) {
        return new Ref(address, attribute);
    }

    public static Ref id(String address) {
        return new Ref(address, "id");
    }

    @Override
    public String toString() {
        return "${" + address + "." + attribute + "}";
    }
}
