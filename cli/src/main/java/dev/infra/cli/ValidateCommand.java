package dev.infra.cli;

import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.stack.Engine;
import dev.infra.core.topology.Topology;
import dev.infra.providers.AwsCatalogue;
import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Check the topology and report every problem at once. Makes no AWS call.")
final class ValidateCommand extends BaseCommand {

    @Override
    int execute() {
        Topology t = topology();
        ResourceGraph g = Engine.graph(t, AwsCatalogue.catalogue());
        console().result(global.file + " is valid: stack " + t.stack() + " in " + t.region() + ", "
                + g.specs().size() + " resources.");
        return ExitCodes.OK;
    }
}
