package dev.infra.providers.eks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The token's format (as aws eks get-token makes it) and what its signature covers, the signature re-derived here from
 * the SigV4 reference ("Create a signed AWS API request", https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html)
 * rather than taken from the SDK: the cluster header signed, 60 s expiry, GetCallerIdentity of STS in the region.
 */
class EksTokenTest {

    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T16:00:00Z"), ZoneOffset.UTC);
    private static final URI STS = URI.create("https://sts.eu-west-1.amazonaws.com");

    @Test
    void tokenIsThePrefixAndTheUrlInBase64UrlWithoutPadding() {
        String token = EksToken.of("shop-apps", CREDENTIALS, "eu-west-1", STS, CLOCK);
        assertThat(token).startsWith("k8s-aws-v1.").doesNotContain("=").doesNotContain("+").doesNotContain("/");
        String url = new String(Base64.getUrlDecoder().decode(token.substring("k8s-aws-v1.".length())),
                StandardCharsets.UTF_8);
        assertThat(url).isEqualTo(EksToken.presignedUrl("shop-apps", CREDENTIALS, "eu-west-1", STS, CLOCK));
        assertThat(url).startsWith("https://sts.eu-west-1.amazonaws.com/?");
    }

    @Test
    void urlIsAGetCallerIdentitySignedWithTheClusterHeaderForSixtySeconds() throws Exception {
        URI url = URI.create(EksToken.presignedUrl("shop-apps", CREDENTIALS, "eu-west-1", STS, CLOCK));
        Map<String, String> q = query(url);
        assertThat(q).containsEntry("Action", "GetCallerIdentity").containsEntry("Version", "2011-06-15")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsEntry("X-Amz-Credential", "AKIDEXAMPLE/20261207/eu-west-1/sts/aws4_request")
                .containsEntry("X-Amz-Date", "20261207T160000Z")
                .containsEntry("X-Amz-Expires", "60")
                .containsEntry("X-Amz-SignedHeaders", "host;x-k8s-aws-id");

        // The canonical request STS rebuilds from the URL and the header, and the signature it expects.
        String canonicalQuery = q.entrySet().stream().filter(e -> !e.getKey().equals("X-Amz-Signature"))
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).sorted().collect(Collectors.joining("&"));
        String canonical = String.join("\n", "GET", "/", canonicalQuery,
                "host:sts.eu-west-1.amazonaws.com", "x-k8s-aws-id:shop-apps", "", "host;x-k8s-aws-id", sha256(""));
        String toSign = String.join("\n", "AWS4-HMAC-SHA256", "20261207T160000Z", "20261207/eu-west-1/sts/aws4_request",
                sha256(canonical));
        byte[] key = hmac(("AWS4" + CREDENTIALS.secretAccessKey()).getBytes(StandardCharsets.UTF_8), "20261207");
        for (String part : new String[] {"eu-west-1", "sts", "aws4_request"}) {
            key = hmac(key, part);
        }
        assertThat(q.get("X-Amz-Signature")).isEqualTo(HexFormat.of().formatHex(hmac(key, toSign)));
    }

    @Test
    void anotherClusterIsAnotherSignature() {
        String apps = query(URI.create(EksToken.presignedUrl("shop-apps", CREDENTIALS, "eu-west-1", STS, CLOCK)))
                .get("X-Amz-Signature");
        String other = query(URI.create(EksToken.presignedUrl("shop-other", CREDENTIALS, "eu-west-1", STS, CLOCK)))
                .get("X-Amz-Signature");
        assertThat(apps).isNotEqualTo(other);
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** SigV4's URI encoding: everything but unreserved characters, spaces as %20. */
    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
