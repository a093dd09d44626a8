package dev.infra.cli;

import dev.infra.core.stack.StackRequest;
import dev.infra.core.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "destroy", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Delete everything the stack owns, in reverse dependency order: its replicas first, then the"
                + " primary.", "Data is kept: deleting a bucket that holds objects is refused (before anything changes) unless"
                + " the bucket says forceDestroy: true or --force-delete-data is given; so is deleting a table whose"
                + " deletionProtection is on.", "With --region R, only R: a replica is unlinked from its primary (its table replicas and"
                + " replication rule go first) and the other regions are left as they are."})
final class DestroyCommand extends BaseCommand {

    @Mixin
    ApplyingOptions applying;

    @Override
    int execute() {
        Topology t = fileTopology();
        StackRequest.Destroy destroy = new StackRequest.Destroy(t, StackRequest.Scope.of(global.region));
        return applyAndReport(applying, options -> stack(t).run(destroy, plan -> applying.confirm(
                console(), plan, "Do you really want to destroy everything stack " + t.stack() + " owns in "
                        + ApplyCommand.regions(plan) + "? There is no undo."), options));
    }
}
