package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiCallCounterTest {

    @Test
    void countsPerServiceAndOperationSorted() {
        ApiCallCounter counter = new ApiCallCounter();
        counter.record("EC2", "DescribeVpcs");
        counter.record("EC2", "CreateVpc");
        counter.record("EC2", "DescribeVpcs");
        counter.record("DynamoDB", "DescribeTable");

        Map<String, Map<String, Long>> snapshot = counter.snapshot();

        assertThat(snapshot).isEqualTo(Map.of(
                "DynamoDB", Map.of("DescribeTable", 1L),
                "EC2", Map.of("CreateVpc", 1L, "DescribeVpcs", 2L)));
        assertThat(List.copyOf(snapshot.keySet())).containsExactly("DynamoDB", "EC2");
        assertThat(List.copyOf(snapshot.get("EC2").keySet())).containsExactly("CreateVpc", "DescribeVpcs");
        assertThat(counter.total()).isEqualTo(4);
        assertThat(counter.count("EC2", "DescribeVpcs")).isEqualTo(2);
        assertThat(counter.count("S3", "ListBuckets")).isZero();

        counter.reset();
        assertThat(counter.total()).isZero();
        assertThat(counter.snapshot()).isEmpty();
    }
}
