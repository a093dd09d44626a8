package dev.infra.core.provider;

import java.util.List;

/** Facts about the target region that planning checks the topology against. */
public interface RegionCatalog {

    /** The availability zones open to this account in the region, e.g. {@code [us-east-1a, us-east-1b]}. */
    List<String> availabilityZones();
}
