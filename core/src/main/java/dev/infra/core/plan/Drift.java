package dev.infra.core.plan;

import java.util.List;

/** A resource changed outside infra since the last apply: what state recorded vs what AWS holds. */
public record Drift(String address, String type, boolean deleted, List<AttributeChange> changes) {}
