package dev.infra.cli;

import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.stack.Engine;
import dev.infra.providers.AwsCatalogue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "graph", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Print the resource graph (an edge a -> b: b depends on a). Makes no AWS call.")
final class GraphCommand extends BaseCommand {

    enum Format { dot, mermaid, text }

    @Option(names = "--format", defaultValue = "dot", description = "dot, mermaid or text (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    int execute() {
        ResourceGraph g = Engine.graph(topology(), AwsCatalogue.catalogue());
        String text = switch (format) {
            case dot -> g.toDot();
            case mermaid -> g.toMermaid();
            case text -> g.toText();
        };
        console().out().print(text);
        console().out().flush();
        return ExitCodes.OK;
    }
}
