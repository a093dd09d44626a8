package dev.infra.providers.state;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.state.StateBackendException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.ProviderSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;

/**
 * The user's state bucket: checked once, on first use, to be versioned (every earlier state stays as a noncurrent
 * version: the backup) and encrypted by default, and never changed by infra: it holds the history of every stack in
 * it, so a missing setting is the user's decision to make. Objects are written with the bucket's own default
 * encryption stated explicitly (bucket policies commonly deny a PutObject without it) and a Content-MD5.
 */
final class StateBucket {

    /** The encryption every PutObject states: the bucket default's algorithm and, for KMS, its key. */
    record Encryption(ServerSideEncryption algorithm, String kmsKeyId, Boolean bucketKey) {

        static Encryption of(ServerSideEncryptionByDefault def, Boolean bucketKey) {
            ServerSideEncryption algorithm = def.sseAlgorithm();
            if (algorithm == ServerSideEncryption.AWS_KMS || algorithm == ServerSideEncryption.AWS_KMS_DSSE) {
                // Naming the key matters: "aws:kms" alone means the AWS managed key aws/s3, not the bucket's key.
                return new Encryption(algorithm, def.kmsMasterKeyID(), bucketKey);
            }
            return new Encryption(ServerSideEncryption.AES256, null, null);
        }

        void applyTo(PutObjectRequest.Builder b) {
            b.serverSideEncryption(algorithm);
            if (kmsKeyId != null) {
                b.ssekmsKeyId(kmsKeyId);
            }
            if (bucketKey != null) {
                b.bucketKeyEnabled(bucketKey);
            }
        }
    }

    /** An object's text and its ETag, which a conditional delete names. */
    record Stored(String text, String eTag) {}

    private final S3Client s3;
    private final String bucket;
    private final String region;
    private Encryption encryption;

    StateBucket(S3Client s3, String bucket, String region) {
        this.s3 = s3;
        this.bucket = bucket;
        this.region = region;
    }

    String name() {
        return bucket;
    }

    String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** The object, or empty when there is none (never written, or deleted). */
    Optional<Stored> get(String key) {
        encryption();
        return ProviderSupport.unless(e -> "NoSuchKey".equals(e.code()), () -> {
            ResponseBytes<GetObjectResponse> r = call("GetObject " + url(key),
                    () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
            return Optional.of(new Stored(r.asString(StandardCharsets.UTF_8), r.response().eTag()));
        });
    }

    /**
     * Writes the object, encrypted as the bucket's default says, with a Content-MD5 so that S3 refuses a body damaged
     * on the way, and always conditionally (S3 conditional writes): with {@code eTag} null only if the key has no object
     * (If-None-Match: *), else only if the object there is still that version (If-Match). S3 answers 412
     * PreconditionFailed otherwise (404 NoSuchKey for an If-Match on a key with no object).
     */
    PutObjectResponse put(String key, byte[] body, String eTag) {
        Encryption enc = encryption();
        PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(bucket).key(key)
                .contentType("application/json").contentMD5(md5(body));
        enc.applyTo(b);
        if (eTag == null) {
            b.ifNoneMatch("*");
        } else {
            b.ifMatch(eTag);
        }
        PutObjectRequest request = b.build();
        return call("PutObject " + url(key), () -> s3.putObject(request, RequestBody.fromBytes(body)));
    }

    /**
     * Deletes the object if its ETag is still {@code eTag} (If-Match: S3 conditional deletes; in a versioned bucket
     * it adds a delete marker, the earlier versions stay); false when it is gone or was replaced meanwhile.
     */
    boolean deleteIfMatch(String key, String eTag) {
        encryption();
        try {
            call("DeleteObject " + url(key), () -> s3.deleteObject(b -> b.bucket(bucket).key(key).ifMatch(eTag)));
            return true;
        } catch (AwsCallException e) {
            // 412: another object is there now; 404 (NoSuchKey): none is. Either way not the one named.
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The checked bucket's encryption; the first call checks versioning and default encryption. */
    private synchronized Encryption encryption() {
        if (encryption == null) {
            encryption = check();
        }
        return encryption;
    }

    private Encryption check() {
        List<String> missing = new ArrayList<>();
        BucketVersioningStatus versioning;
        try {
            versioning = call("GetBucketVersioning " + bucket, () -> s3.getBucketVersioning(b -> b.bucket(bucket))).status();
        } catch (AwsCallException e) {
            if ("NoSuchBucket".equals(e.code())) {
                throw new StateBackendException("the state bucket " + bucket + " does not exist in " + region
                        + ": create it, versioned and encrypted, before using it as the backend (infra does not create"
                        + " the bucket that holds its own state)", e);
            }
            throw e;
        }
        if (versioning != BucketVersioningStatus.ENABLED) {
            missing.add("versioning (it keeps every earlier state: aws s3api put-bucket-versioning --bucket " + bucket
                    + " --versioning-configuration Status=Enabled)");
        }
        Optional<ServerSideEncryptionRule> rule = ProviderSupport.unless(
                e -> "ServerSideEncryptionConfigurationNotFoundError".equals(e.code()),
                () -> call("GetBucketEncryption " + bucket, () -> s3.getBucketEncryption(b -> b.bucket(bucket)))
                        .serverSideEncryptionConfiguration().rules().stream()
                        .filter(r -> r.applyServerSideEncryptionByDefault() != null).findFirst());
        if (rule.isEmpty()) {
            missing.add("default encryption (aws s3api put-bucket-encryption --bucket " + bucket
                    + " --server-side-encryption-configuration '{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":"
                    + "{\"SSEAlgorithm\":\"aws:kms\"}}]}')");
        }
        if (!missing.isEmpty()) {
            throw new StateBackendException("the state bucket " + bucket + " lacks " + String.join(" and ", missing)
                    + "; infra does not change that bucket itself");
        }
        return Encryption.of(rule.get().applyServerSideEncryptionByDefault(), rule.get().bucketKeyEnabled());
    }

    static String md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
