package dev.infra.core.catalogue;

/** What a resource type is besides its attributes. */
public enum Trait {
    /** It carries {@code tags} (updatable in place): {@code infra:stack}, {@code infra:address}, {@code Name}, the user's. */
    TAGGED("tagged"),
    /** Listed account-wide, not per region (S3, IAM, Route 53): it carries {@code infra:region}. */
    ACCOUNT_WIDE("listed account-wide (carries infra:region)"),
    /** One per account and region (GuardDuty's detector): borrowed by a stack, never owned. */
    SINGLETON("one per account and region: borrowed, never owned"),
    /** A replica region uses the primary's (IAM roles and instance profiles are global). */
    SHARED_BY_REPLICAS("shared by replicas: a replica uses the primary's"),
    /** Registered in a replica region, it acts on a resource of the primary region. */
    LINKED_TO_PRIMARY("linked to the primary: acts on the primary region's resource"),
    /** A replacement is created before the old one is deleted (what AWS refuses to delete while in use). */
    CREATE_BEFORE_DESTROY("replaced create-before-destroy");

    private final String words;

    Trait(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
