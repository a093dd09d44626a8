"""Starts moto_server, after filling gaps where moto differs from AWS's documented behaviour.

Usage: python3 moto_launcher.py -H 127.0.0.1 -p PORT   (the same arguments as moto_server)

Each gap is one function below, citing the AWS API reference it follows. A patch only adds what AWS
documents; it never changes behaviour to suit the tool. The integration tests that rely on a patch
assert on the raw AWS response, so each patch is covered by them (see SecurityGroupRuleIT).
"""
import sys


def patch_security_group_rule_description():
    """Description of security group rules that reference another group.

    AWS: SecurityGroupRule.Description is "The security group rule description." for every rule,
    whether it names a CIDR or a referenced group
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html), and
    AuthorizeSecurityGroupIngress/Egress take it from UserIdGroupPair.Description
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html).
    moto 5.2.x reads it from the IP range only, so DescribeSecurityGroupRules and the Authorize
    responses drop the description of group-referencing rules (DescribeSecurityGroups keeps it).
    """
    from moto.ec2.models.security_groups import SecurityGroupRule

    original = SecurityGroupRule.description

    def description(self):
        value = original.fget(self)
        if value is None and self.source_group:
            value = self.source_group.get("Description")
        return value

    SecurityGroupRule.description = property(description)


def patch_ebs_default_kms_key_id():
    """GetEbsDefaultKmsKeyId and ResetEbsDefaultKmsKeyId: the default KMS key for EBS encryption by default.

    AWS: GetEbsDefaultKmsKeyId "Describes the default AWS KMS key for EBS encryption by default for
    your account in this Region" and returns its ARN
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsDefaultKmsKeyId.html).
    ResetEbsDefaultKmsKeyId "Resets the default AWS KMS key for EBS encryption for your account in
    this Region to the AWS managed KMS key for EBS" and returns that key's ARN
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ResetEbsDefaultKmsKeyId.html); the
    AWS managed key is the one aliased aws/ebs, which AWS reports in the alias ARN form
    arn:aws:kms:<region>:<account>:alias/aws/ebs while no customer managed key is set.
    moto 5.2.x implements ModifyEbsDefaultKmsKeyId (keeping the key ARN in the EC2 backend's
    default_kms_key_id, "" = the AWS managed key) but neither of these two (HTTP 500). This patch
    reads and resets that same field, so volumes created encrypted without a KmsKeyId keep using
    moto's own default key logic.
    """
    from moto.core.responses import ActionResult
    from moto.ec2.responses.settings import Settings
    from moto.kms.models import kms_backends

    def managed_key_alias_arn(self):
        return f"arn:{self.partition}:kms:{self.region}:{self.current_account}:alias/aws/ebs"

    def default_key_arn(self):
        key_arn = self.ec2_backend.default_kms_key_id
        kms = kms_backends[self.current_account][self.region]
        # moto sets default_kms_key_id to the aws/ebs key itself once it encrypts a volume by default.
        if not key_arn or (kms.alias_exists("alias/aws/ebs") and kms.describe_key("alias/aws/ebs").arn == key_arn):
            return managed_key_alias_arn(self)
        return key_arn

    def get_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        return ActionResult({"KmsKeyId": default_key_arn(self)})

    def reset_ebs_default_kms_key_id(self):
        self.error_on_dryrun()
        self.ec2_backend.default_kms_key_id = ""
        return ActionResult({"KmsKeyId": managed_key_alias_arn(self)})

    Settings.get_ebs_default_kms_key_id = get_ebs_default_kms_key_id
    Settings.reset_ebs_default_kms_key_id = reset_ebs_default_kms_key_id

def patch_nat_gateway_delete_releases_association():
    """Deleting a NAT gateway disassociates its Elastic IP address and deletes its network interface.

    AWS: DeleteNatGateway "Deletes the specified NAT gateway. Deleting a public NAT gateway
    disassociates its Elastic IP address, but does not release the address from your account.
    Deleting a NAT gateway does not delete any NAT gateway routes in your route tables."
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteNatGateway.html).
    moto 5.2.x only marks the gateway deleted: the address stays associated with the gateway's
    network interface, so a new NAT gateway with the same address fails with
    Resource.AlreadyAssociated, and the interface keeps the subnet in use.
    """
    from moto.ec2.models.nat_gateways import NatGatewayBackend

    original = NatGatewayBackend.delete_nat_gateway

    def delete_nat_gateway(self, nat_gateway_id):
        nat_gw = original(self, nat_gateway_id)
        eni = getattr(nat_gw, "_eni", None)
        if eni is not None:
            for eip in list(self.addresses):
                if eip.eni is eni:
                    self.disassociate_address(association_id=eip.association_id)
            try:
                self.delete_network_interface(eni.id)
            except Exception:  # already gone: nothing holds the subnet
                pass
        return nat_gw

    NatGatewayBackend.delete_nat_gateway = delete_nat_gateway


def patch_autoscaling_instance_refresh():
    """StartInstanceRefresh, DescribeInstanceRefreshes and CancelInstanceRefresh for Auto Scaling groups.

    AWS: StartInstanceRefresh "Starts an instance refresh", which replaces the group's instances
    with ones from its current launch template, and returns the refresh's InstanceRefreshId; it
    fails with InstanceRefreshInProgress while another refresh of the group is in progress
    (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_StartInstanceRefresh.html).
    DescribeInstanceRefreshes lists a group's refreshes, most recent first, each with its Status
    (Pending, InProgress, Successful, Cancelling, Cancelled…), StartTime, EndTime and
    PercentageComplete
    (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeInstanceRefreshes.html).
    CancelInstanceRefresh cancels the refresh in progress and returns its id, or fails with
    ActiveInstanceRefreshNotFound when none is
    (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_CancelInstanceRefresh.html).
    moto 5.2.x implements none of them (HTTP 500). As moto's groups reach their capacity at once, a
    refresh here replaces the group's instances at once and is Successful when StartInstanceRefresh
    returns; so none is ever in progress, and CancelInstanceRefresh always answers
    ActiveInstanceRefreshNotFound.
    """
    from moto.autoscaling.exceptions import AutoscalingClientError, ValidationError
    from moto.autoscaling.responses import AutoScalingResponse
    from moto.core.responses import ActionResult
    from moto.core.utils import utcnow
    from moto.moto_api._internal import mock_random as random

    def history(backend, group_name):
        if group_name not in backend.autoscaling_groups:
            raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{group_name}' not found")
        if not hasattr(backend, "instance_refreshes"):
            backend.instance_refreshes = {}
        return backend.instance_refreshes.setdefault(group_name, [])

    def start_instance_refresh(self):
        backend = self.autoscaling_backend
        name = self._get_param("AutoScalingGroupName")
        refreshes = history(backend, name)
        desired = backend.autoscaling_groups[name].desired_capacity
        backend.set_desired_capacity(name, 0)
        backend.set_desired_capacity(name, desired)
        now = utcnow()
        refresh = {
            "InstanceRefreshId": str(random.uuid4()),
            "AutoScalingGroupName": name,
            "Status": "Successful",
            "StartTime": now,
            "EndTime": now,
            "PercentageComplete": 100,
            "InstancesToUpdate": 0,
            "ProgressDetails": {"LivePoolProgress": {"PercentageComplete": 100, "InstancesToUpdate": 0}},
        }
        refreshes.insert(0, refresh)
        return ActionResult({"InstanceRefreshId": refresh["InstanceRefreshId"]})

    def describe_instance_refreshes(self):
        name = self._get_param("AutoScalingGroupName")
        ids = self._get_param("InstanceRefreshIds", [])
        refreshes = [r for r in history(self.autoscaling_backend, name) if not ids or r["InstanceRefreshId"] in ids]
        return ActionResult({"InstanceRefreshes": refreshes})

    def cancel_instance_refresh(self):
        name = self._get_param("AutoScalingGroupName")
        history(self.autoscaling_backend, name)  # ValidationError for an unknown group
        raise AutoscalingClientError("ActiveInstanceRefreshNotFound",
                                     "No in progress or pending Instance Refresh found for Auto Scaling group " + name)

    AutoScalingResponse.start_instance_refresh = start_instance_refresh
    AutoScalingResponse.describe_instance_refreshes = describe_instance_refreshes
    AutoScalingResponse.cancel_instance_refresh = cancel_instance_refresh


def patch_s3_create_bucket_tags():
    """Tags given to CreateBucket, for general purpose buckets.

    AWS: CreateBucketConfiguration.Tags is "An array of tags that you can apply to the bucket that
    you're creating" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucketConfiguration.html),
    applied to general purpose buckets as well as directory buckets (it needs the s3:TagResource
    permission, https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html); the bucket
    then has them, as GetBucketTagging and the Resource Groups Tagging API report. moto 5.2.x reads
    only LocationConstraint from the configuration and drops the tags.
    """
    import xmltodict
    from moto.s3.responses import S3Response

    original = S3Response._bucket_response_put

    def bucket_response_put(self, request, bucket_name, querystring):
        response = original(self, request, bucket_name, querystring)
        if self.data.get("Action") == "CreateBucket" and self.body:
            configuration = xmltodict.parse(self.body).get("CreateBucketConfiguration") or {}
            tags = (configuration.get("Tags") or {}).get("Tag") or []
            tags = tags if isinstance(tags, list) else [tags]
            if tags:
                self.backend.put_bucket_tagging(bucket_name, {t["Key"]: t.get("Value") or "" for t in tags})
        return response

    S3Response._bucket_response_put = bucket_response_put


PATCHES = [patch_security_group_rule_description, patch_ebs_default_kms_key_id,
           patch_nat_gateway_delete_releases_association,
           patch_autoscaling_instance_refresh,
           patch_s3_create_bucket_tags]


def main():
    for patch in PATCHES:
        patch()
    from moto.server import main as moto_server_main

    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
