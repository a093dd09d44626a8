package dev.infra.cli;

import dev.infra.core.state.Json;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.topology.Topology;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "state", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Inspect the stack's state, or clear a lock left by a process that died.",
        subcommands = {StateCommand.ListCommand.class, StateCommand.ShowCommand.class, StateCommand.UnlockCommand.class})
final class StateCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, show or unlock");
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

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Remove the stack's lock. Only when no infra process holds it: a live holder keeps working unlocked.")
    static final class UnlockCommand extends StateReading {
        @Override
        int execute() {
            Optional<LockInfo> was = backend(topology()).forceUnlock();
            console().result(was.map(h -> "Removed the lock held by " + h.describe()).orElse("The state was not locked."));
            return ExitCodes.OK;
        }
    }
}
