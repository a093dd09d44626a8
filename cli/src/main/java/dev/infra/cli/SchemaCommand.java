package dev.infra.cli;

import dev.infra.core.topology.JsonSchema;
import picocli.CommandLine.Command;

@Command(name = "schema", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Print the topology's JSON Schema (for editor completion and validation).")
final class SchemaCommand extends BaseCommand {

    @Override
    int execute() {
        console().result(JsonSchema.topology());
        return ExitCodes.OK;
    }
}
