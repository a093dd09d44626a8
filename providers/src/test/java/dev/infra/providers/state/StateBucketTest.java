package dev.infra.providers.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;

/** How the S3 backend names its objects and encrypts what it writes; no network. */
class StateBucketTest {

    static final String KEY_ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void stateKeysArePrefixStackRegion() {
        assertThat(S3Backend.key("teams/platform", "shop", "eu-west-1")).isEqualTo("teams/platform/shop/eu-west-1.json");
        assertThat(S3Backend.key("", "shop", "eu-west-1")).isEqualTo("shop/eu-west-1.json");
    }

    @Test
    void aKmsDefaultIsStatedWithTheBucketsOwnKey() {
        PutObjectRequest.Builder b = PutObjectRequest.builder();
        StateBucket.Encryption.of(ServerSideEncryptionByDefault.builder().sseAlgorithm(ServerSideEncryption.AWS_KMS)
                .kmsMasterKeyID(KEY_ARN).build(), true).applyTo(b);
        PutObjectRequest r = b.build();

        assertThat(r.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(r.ssekmsKeyId()).as("without it S3 would use aws/s3, not the bucket's key").isEqualTo(KEY_ARN);
        assertThat(r.bucketKeyEnabled()).isTrue();
    }

    @Test
    void anyOtherDefaultIsSseS3() {
        PutObjectRequest.Builder b = PutObjectRequest.builder();
        StateBucket.Encryption.of(ServerSideEncryptionByDefault.builder().sseAlgorithm(ServerSideEncryption.AES256).build(), null)
                .applyTo(b);
        PutObjectRequest r = b.build();

        assertThat(r.serverSideEncryption()).isEqualTo(ServerSideEncryption.AES256);
        assertThat(r.ssekmsKeyId()).isNull();
        assertThat(r.bucketKeyEnabled()).isNull();
    }

    @Test
    void contentMd5IsTheBase64Digest() {
        // RFC 1321 test suite: MD5("abc") = 900150983cd24fb0d6963f7d28e17f72
        assertThat(StateBucket.md5("abc".getBytes(StandardCharsets.UTF_8))).isEqualTo("kAFQmDzST7DWlj99KOF/cg==");
    }
}
