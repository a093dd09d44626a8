package dev.infra.cli;

import dev.infra.core.state.Json;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateMigration;
import dev.infra.core.topology.Backend;
import dev.infra.core.topology.Topology;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "state", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Inspect the stack's state, clear a lock left by a process that died, or move the state to S3.",
        subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class, StateCommand.UnlockCommand.class,
                StateCommand.MigrateCommand.class})
final class StateCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, show, unlock or migrate");
    }

    /** The state of the topology's stack and region (empty when never applied). */
    abstract static class StateReading extends BaseCommand {
        State read(Topology t) {
            return backend(t).read().orElseGet(() -> State.empty(t.stack(), t.region()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the addresses the state holds, with type and id.")
    static final class ListCommand extends StateReading {
        @Override
        int execute() {
            Topology t = topology();
            for (ResourceState r : read(t).resources().values()) {
                String id = r.id() == null ? "(creating: interrupted)" : r.id();
                console().result(r.address() + "\t" + r.type() + "\t" + id);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one resource's recorded attributes as JSON.")
    static final class ShowCommand extends StateReading {
        @Parameters(paramLabel = "ADDRESS", description = "A resource address, as 'infra state list' prints it.")
        String address;

        @Override
        int execute() throws Exception {
            State s = read(topology());
            ResourceState r = s.resources().get(address);
            if (r == null) {
                throw new UsageException("no resource " + address + " in the state"
                        + dev.infra.core.topology.Names.didYouMean(address, s.resources().keySet()));
            }
            console().result(Json.MAPPER.writeValueAsString(r));
            return ExitCodes.OK;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = {"Remove a lock left behind by an infra process that is gone (killed, or its machine lost).",
                    "A lock whose holder still runs is never removed (the command fails naming it). A lock taken on",
                    "another host (S3 backend) cannot be checked from here: it is removed only with --force."})
    static final class UnlockCommand extends StateReading {
        @Option(names = "--force", description = "Also remove a lock held from another host, which infra cannot check:"
                + " only once you know that process no longer runs.")
        boolean force;

        @Override
        int execute() {
            Optional<StateBackend.Unlocked> removed = backend(topology()).unlock(force);
            console().result(removed.map(UnlockCommand::describe).orElse("The state was not locked."));
            return ExitCodes.OK;
        }

        private static String describe(StateBackend.Unlocked removed) {
            LockInfo h = removed.holder();
            return removed.forced()
                    ? "Removed the lock of " + h.describe() + " (--force: its host " + h.host() + " was not checked)."
                    : "The lock of " + h.who() + " pid " + h.pid() + " (" + h.operation() + ", since " + h.created()
                            + ") was stale: its process is gone; removed.";
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
            description = {"Move the local state (--state-dir) to the S3 backend (backend: or --backend-bucket), under both",
                    "locks. Refused if the bucket already holds another state of the stack (a different lineage).",
                    "The local file is then renamed to <name>.migrated, so that nothing uses it by mistake."})
    static final class MigrateCommand extends BaseCommand {
        @Override
        int execute() {
            Topology t = topology();
            Backend.S3 remote = remote(t).orElseThrow(() -> new UsageException("no S3 backend to migrate to: add"
                    + " 'backend: {s3: {bucket: …}}' to the topology or pass --backend-bucket"));
            StateMigration.Result r = StateMigration.migrate(local(t), s3(t, remote));
            State s = r.state();
            String stack = "the state of stack " + s.stack() + " in " + s.region() + " (lineage " + s.lineage();
            console().result(switch (r.outcome()) {
                case COPIED -> "Copied " + stack + ", serial " + s.serial() + ", " + s.resources().size() + " resources) from "
                        + r.from() + " to " + r.to() + ".";
                case ALREADY_THERE -> r.to() + " already holds " + stack + ", serial " + r.remoteSerial() + "; the local copy is at "
                        + s.serial() + "); nothing copied.";
            });
            console().result("Renamed " + r.from() + " to " + r.retiredAs() + "; from now on the state lives in " + r.to() + ".");
            return ExitCodes.OK;
        }
    }
}
