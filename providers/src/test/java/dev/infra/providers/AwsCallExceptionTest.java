package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsCallExceptionTest {

    @Test
    void missingCredentialsSayWhatToSetInOneShortLine() {
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> AwsCallException.call("DescribeVpcs", () -> {
            throw SdkClientException.create("Unable to load credentials from any of the providers in the chain"
                    + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(), …]) : [...]");
        }));
        assertThat(e.getMessage()).isEqualTo("DescribeVpcs failed: no AWS credentials found (environment, shared config and"
                + " credentials files, SSO, container or instance role): set AWS_PROFILE or --profile, or AWS_ACCESS_KEY_ID"
                + " and AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void otherClientFailuresKeepTheSdkMessage() {
        AwsCallException e = catchThrowableOfType(AwsCallException.class, () -> AwsCallException.call("GetObject", () -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        }));
        assertThat(e.getMessage()).isEqualTo("GetObject failed: Unable to execute HTTP request: Connection refused");
    }

    private static AwsCallException failed(Throwable sdk) {
        return catchThrowableOfType(AwsCallException.class, () -> AwsCallException.call("CreateThing", () -> {
            throw (RuntimeException) sdk;
        }));
    }

    @Test
    void aCreateMayHaveRunAfterA5xxOrNoAnswerNotAfterThrottlingOrA4xx() {
        assertThat(failed(RetryPolicyTest.SERVER_ERROR).mayHaveRun()).isTrue();
        assertThat(failed(RetryPolicyTest.RESET).mayHaveRun()).isTrue();
        assertThat(failed(RetryPolicyTest.THROTTLED).mayHaveRun()).isFalse();
        assertThat(failed(RetryPolicyTest.REFUSED).mayHaveRun()).isFalse();
        assertThat(failed(RetryPolicyTest.aws(400, "InvalidParameterValue")).mayHaveRun()).isFalse();
    }

    @Test
    void alreadyExistsAnswersAreRecognised() {
        for (String code : new String[] {"RouteAlreadyExists", "DuplicateTargetGroupName", "InvalidPermission.Duplicate",
                "ResourceInUseException", "BucketAlreadyOwnedByYou", "EntityAlreadyExists", "AlreadyExistsException",
                "Resource.AlreadyAssociated", "HostedZoneAlreadyExists", "WAFDuplicateItemException"}) {
            assertThat(failed(RetryPolicyTest.aws(400, code)).isAlreadyExists()).as(code).isTrue();
        }
        assertThat(failed(RetryPolicyTest.aws(400, "InvalidParameterValue")).isAlreadyExists()).isFalse();
        assertThat(failed(RetryPolicyTest.RESET).isAlreadyExists()).isFalse();
    }
}
