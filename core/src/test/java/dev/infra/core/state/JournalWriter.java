package dev.infra.core.state;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in its own JVM by {@link LocalBackendTest}: records an apply's changes on top of the state in {@code args[0]}
 * (a VPC and two subnets, one then removed), says so, and is killed by the parent (kill -9) before it can fold them.
 */
public final class JournalWriter {

    private JournalWriter() {}

    public static void main(String[] args) throws Exception {
        LocalBackend backend = LocalBackend.of(Path.of(args[0]), "shop", "us-east-1");
        StateRecorder r = new StateRecorder(backend, backend.read().orElseThrow());
        r.put(ResourceState.created("network/vpc", "aws_vpc", "vpc-2", Map.of("cidrBlock", "10.1.0.0/16"), List.of()));
        r.put(ResourceState.created("network/subnet.a", "aws_subnet", "subnet-1", Map.of(), List.of("network/vpc")));
        r.put(ResourceState.creating("network/subnet.b", "aws_subnet", List.of("network/vpc")));
        r.remove("network/subnet.a");
        System.out.println("recorded");
        System.out.flush();
        Thread.sleep(60_000); // killed long before
    }
}
