package dev.infra.core.topology;

import org.junit.jupiter.api.Test;
import java.nio.file.*;

class ProbeTest {
    static final String BASE = "stack: shop\nregion: us-east-1\n";
    void run(String name, byte[] bytes) throws Exception {
        Path d = Files.createTempDirectory("probe");
        Path f = d.resolve("infra.yaml");
        Files.write(f, bytes);
        try {
            var l = TopologyLoader.load(f);
            System.out.println("OK " + name + " " + l.topology());
            try { System.out.println("   specs " + dev.infra.core.Engine.graph(l.topology()).specs().size()); }
            catch (Throwable t) { System.out.println("   GRAPH FAIL " + t); }
        } catch (dev.infra.core.diag.InvalidInputException e) {
            System.out.println("FAIL " + name);
            e.diagnostics().forEach(x -> System.out.println("   " + x.render().replace(d.toString(), "")));
        } catch (Throwable t) {
            System.out.println("CRASH " + name + " " + t);
        }
    }
    void run(String name, String text) throws Exception { run(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8)); }
    @Test
    void probe() throws Exception {
        run("hexzones", BASE + "network:\n  cidr: 10.0.0.0/16\n  zones: 0x3\n");
        run("underscorezones", BASE + "network:\n  cidr: 10.0.0.0/16\n  zones: 0_3\n");
        run("hexprefix", BASE + "network:\n  cidr: 10.0.0.0/16\n  subnetPrefixLength: 0x14\n");
        run("hexport", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 0x1BB, cidr: 0.0.0.0/0}\n");
        run("underscoreport", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 1_000, cidr: 0.0.0.0/0}\n");
        run("octalport", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 0o17, cidr: 0.0.0.0/0}\n");
        run("bigport", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: \"99999\", cidr: 0.0.0.0/0}\n");
        run("hugeportrange", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 99999999999, cidr: 0.0.0.0/0}\n");
        run("duprule", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 443, cidr: 0.0.0.0/0}\n        - {ports: \"443\", cidr: 0.0.0.0/0, description: again}\n");
        run("rulecidrhost", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 443, cidr: 10.0.0.1/16}\n");
        run("ctrl", BASE + "tags: {a: \"x\u0001y\"}\n");
        run("ctrlraw", BASE + "tags: {a: x\u0007y}\n");
        run("multidoc", BASE + "---\nstack: b\n");
        run("toplist", "- a\n- b\n");
        run("scalar", "hello\n");
        run("comment", "# nothing\n");
        run("dashes", "---\n");
        run("aliaskey", BASE + "x: &k foo\ntags:\n  *k : bar\n");
        run("merge", BASE + "base: &b {cidr: 10.0.0.0/16}\nnetwork:\n  <<: *b\n");
        run("tabs", BASE + "network:\n\tcidr: 10.0.0.0/16\n");
        run("latin1", new byte[] {'s','t','a','c','k',':',' ', (byte)0xe9, '\n'});
        run("complexkey", BASE + "? [a, b]\n: c\n");
        run("nulltag", BASE + "tags: {a: ~}\n");
        run("nullnetwork", BASE + "network:\n");
        run("nullkey", BASE + "~: x\n");
        run("intkey", BASE + "1: x\n");
        run("zonesempty", BASE + "network:\n  cidr: 10.0.0.0/16\n  zones: []\n");
        run("zonesother", BASE + "network:\n  cidr: 10.0.0.0/16\n  zones: [eu-west-1a, a, a]\n");
        run("slash8", BASE + "network:\n  cidr: 10.0.0.0/8\n");
        run("slash28", BASE + "network:\n  cidr: 10.0.0.0/28\n  zones: 1\n");
        run("prefixtoosmall", BASE + "network:\n  cidr: 10.0.0.0/20\n  subnetPrefixLength: 16\n");
        run("allports", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {protocol: all, ports: 80, cidr: 0.0.0.0/0}\n");
        run("badrange", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    a:\n      ingress:\n        - {ports: 8080-80, cidr: 0.0.0.0/0}\n");
        run("deps-short", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    web: {}\n    db: {dependsOn: [web]}\n");
        run("selfdep", BASE + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    web: {dependsOn: [network.securityGroups.web]}\n");
        run("fewsubnets", BASE + "network:\n  cidr: 10.0.0.0/16\n  zones: 3\n  privateSubnets: [10.0.0.0/24]\n");
        run("badregion", "stack: shop\nregion: mars\n");
        run("missingstack", "region: us-east-1\n");
        run("reservedtag", BASE + "tags: {infra:x: y, Name: n}\n");
        StringBuilder big = new StringBuilder(BASE + "tags:\n");
        for (int i = 0; i < 120000; i++) big.append("  k").append(i).append(": vvvvvvvvvvvvvvvvvvvvv\n");
        run("big", big.toString());
        StringBuilder deep = new StringBuilder(BASE + "x: ");
        for (int i = 0; i < 200; i++) deep.append('[');
        run("deep", deep.toString());
        StringBuilder deep2 = new StringBuilder(BASE + "x: ");
        for (int i = 0; i < 5000; i++) deep2.append('[');
        for (int i = 0; i < 5000; i++) deep2.append(']');
        run("deep2", deep2.toString());
    }
}
