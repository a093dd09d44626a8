package dev.infra.core.state;

import java.nio.file.Path;

/**
 * Moves a stack's local state to a remote backend ({@code infra state migrate}). Both locks are held throughout, so
 * no apply writes either side meanwhile. The state moves unchanged (same lineage and serial): plans saved before the
 * move still apply after it. Afterwards the local file is renamed, so nothing reads it by mistake.
 */
public final class StateMigration {

    private StateMigration() {}

    /** What a migration did. */
    public record Result(Outcome outcome, State state, long remoteSerial, String from, String to, Path retiredAs) {}

    public enum Outcome {
        /** The remote had no state, or an older serial of the same lineage: the local state was written. */
        COPIED,
        /** The remote already had this lineage at the same or a later serial: nothing was written. */
        ALREADY_THERE
    }

    public static Result migrate(LocalBackend from, StateBackend to) {
        try (StateBackend.Lock local = from.lock("migrate"); StateBackend.Lock remote = to.lock("migrate")) {
            State state = from.read().orElseThrow(() -> new StateBackendException(
                    "no local state at " + from.describe() + " to migrate"));
            State existing = to.read().orElse(null);
            if (existing != null && !existing.lineage().equals(state.lineage())) {
                // Another stack's (or another start of this stack's) history: overwriting it would orphan its resources.
                throw new StateBackendException(to.describe() + " already holds a different state (lineage "
                        + existing.lineage() + ", serial " + existing.serial() + ", " + existing.resources().size()
                        + " resources) than " + from.describe() + " (lineage " + state.lineage()
                        + "); nothing was changed. Remove one of them deliberately, then migrate again");
            }
            Outcome outcome;
            if (existing != null && existing.serial() >= state.serial()) {
                outcome = Outcome.ALREADY_THERE; // the local copy is the same or older: writing it would go back in time
            } else {
                to.write(state);
                outcome = Outcome.COPIED;
            }
            return new Result(outcome, state, existing == null ? -1 : existing.serial(), from.describe(), to.describe(),
                    from.retire(to.describe()));
        }
    }
}
