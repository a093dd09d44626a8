package dev.infra.cli;

import dev.infra.cli.render.StackRenderer;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "replicate", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Make region --to a replica of the stack's primary region: its own network (a VPC block that"
                + " overlaps no other region's), load balancers, firewall and cluster; the primary's tables as global"
                + " table replicas, replicated buckets, a replica of a multi-Region key, Global Datastore secondaries"
                + " for global caches, routed DNS records with health checks; IAM and the public zone reused.",
                "Shows how each component is rewritten and the plans of both regions, then applies on confirmation."})
final class ReplicateCommand extends BaseCommand {

    @Option(names = "--to", required = true, paramLabel = "REGION", description = "The region to make a replica.")
    String to;

    @Option(names = "--from", paramLabel = "REGION",
            description = "The primary region (default: the topology's 'region').")
    String from;

    @Mixin
    ApplyingOptions applying;

    @Override
    int execute() {
        if (global.region != null) {
            throw new UsageException("replicate works on two regions: name them with --from and --to, not --region");
        }
        checkRegion("--to", to);
        checkRegion("--from", from);
        Topology t = fileTopology();
        return applyAndReport(applying, options -> stack(t).run(new StackRequest.Replicate(t, to,
                from == null ? t.fileRegion() : from), plan -> {
            applying.say(console(), new StackRenderer(console()).render(plan));
            return Confirmation.ask(console(), "Do you want to make " + to + " a replica of "
                    + plan.regions().get(0).region() + " and perform these actions?", applying.autoApprove);
        }, options));
    }
}
