package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The canonical form IAM trust policies and S3 bucket policies are read back and compared in. */
class PoliciesTest {

    /** As a user might write it: keys in no particular order, spaces and line breaks. */
    private static final String EC2_TRUST = """
            {
              "Version": "2012-10-17",
              "Statement": [ { "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" },
                               "Action": "sts:AssumeRole" } ]
            }""";

    @Test
    void decodesSortsAndCompacts() {
        String canonical = "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}";
        assertThat(Policies.canonical(EC2_TRUST)).isEqualTo(canonical);
        assertThat(Policies.canonical(URLEncoder.encode(EC2_TRUST, StandardCharsets.UTF_8))).isEqualTo(canonical);
        assertThat(Policies.canonical(canonical)).isEqualTo(canonical);
    }

    @Test
    void sortsKeysAtEveryLevelAndKeepsArraysInOrder() {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"B\",\"Condition\":{\"StringEquals\":"
                + "{\"z\":\"1\",\"a\":[\"y\",\"x\"]}}},{\"Sid\":\"A\"}]}";
        assertThat(Policies.canonical(policy)).isEqualTo("{\"Statement\":[{\"Condition\":{\"StringEquals\":"
                + "{\"a\":[\"y\",\"x\"],\"z\":\"1\"}},\"Sid\":\"B\"},{\"Sid\":\"A\"}],\"Version\":\"2012-10-17\"}");
    }

    @Test
    void nullAndNonJsonPassThrough() {
        assertThat(Policies.canonical(null)).isNull();
        assertThat(Policies.canonical("not json")).isEqualTo("not json");
    }
}
