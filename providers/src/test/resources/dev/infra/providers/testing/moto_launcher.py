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


# ---- names and descriptions AWS refuses at create (moto 5.2.x accepts them) ---------------------------------------

def patch_elbv2_load_balancer_name():
    """CreateLoadBalancer refuses names AWS refuses.

    AWS: Name "must be unique per region per account, can have a maximum of 32 characters, must contain only
    alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with "internal-""
    (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html), refused with
    ValidationError (HTTP 400). moto 5.2.x accepts any name (it checks target group names, as AWS does:
    CreateTargetGroup's Name has the same rules but "internal-").
    """
    import re

    from moto.elbv2.exceptions import ValidationError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self, name, *args, **kwargs):
        if len(name) > 32:
            raise ValidationError(f"Load balancer name '{name}' cannot be longer than '32' characters")
        if not re.fullmatch(r"[a-zA-Z0-9-]+", name):
            raise ValidationError(f"Load balancer name '{name}' can only contain characters that are alphanumeric "
                                  "characters or hyphens(-)")
        if name.startswith("-") or name.endswith("-"):
            raise ValidationError(f"Load balancer name '{name}' cannot begin or end with '-'")
        if name.startswith("internal-"):
            raise ValidationError(f"Load balancer name '{name}' cannot begin with 'internal-'")
        return original(self, name, *args, **kwargs)

    ELBv2Backend.create_load_balancer = create_load_balancer


def patch_opensearch_domain_name_length():
    """CreateDomain refuses domain names shorter than 3 or longer than 28 characters.

    AWS: DomainName "Length Constraints: Minimum length of 3. Maximum length of 28. Pattern: [a-z][a-z0-9\\-]+"
    (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreateDomain.html), refused with
    ValidationException. moto 5.2.x checks the pattern only.
    """
    from moto.opensearch.responses import OpenSearchServiceResponse
    from moto.core.exceptions import JsonRESTError

    original = OpenSearchServiceResponse.create_domain

    def create_domain(self):
        name = self._get_param("DomainName") or ""
        if not 3 <= len(name) <= 28:
            raise JsonRESTError("ValidationException", f"1 validation error detected: Value '{name}' at 'domainName' "
                                f"failed to satisfy constraint: Member must have length between 3 and 28")
        return original(self)

    OpenSearchServiceResponse.create_domain = create_domain


def patch_elasticache_replication_group_id():
    """CreateReplicationGroup refuses ids AWS refuses.

    AWS: ReplicationGroupId "Constraints: A name must contain from 1 to 40 alphanumeric characters or hyphens. The
    first character must be a letter. A name cannot end with a hyphen or contain two consecutive hyphens"
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html), refused with
    InvalidParameterValue. moto 5.2.x accepts any id.
    """
    import re

    from moto.elasticache.exceptions import InvalidParameterValueException
    from moto.elasticache.models import ElastiCacheBackend

    original = ElastiCacheBackend.create_replication_group

    def create_replication_group(self, replication_group_id, *args, **kwargs):
        rules = ("must contain from 1 to 40 alphanumeric characters or hyphens", "must begin with a letter",
                 "cannot end with a hyphen or contain two consecutive hyphens")
        broken = [rule for rule, ok in zip(rules, (
            re.fullmatch(r"[a-zA-Z0-9-]{1,40}", replication_group_id or "") is not None,
            re.match(r"[a-zA-Z]", replication_group_id or "") is not None,
            not (replication_group_id or "").endswith("-") and "--" not in (replication_group_id or ""))) if not ok]
        if broken:
            raise InvalidParameterValueException(
                f"Invalid replication group id '{replication_group_id}': it " + "; it ".join(broken) + ".")
        return original(self, replication_group_id, *args, **kwargs)

    ElastiCacheBackend.create_replication_group = create_replication_group


def patch_iam_role_and_instance_profile_names():
    """CreateRole refuses role names past 64 characters, CreateInstanceProfile profile names past 128.

    AWS: RoleName "Length Constraints: Minimum length of 1. Maximum length of 64. Pattern: [\\w+=,.@-]+"
    (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html); InstanceProfileName "Minimum length of
    1. Maximum length of 128. Pattern: [\\w+=,.@-]+"
    (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateInstanceProfile.html); refused with ValidationError
    (the common "1 validation error detected" form). moto 5.2.x accepts any name.
    """
    import re

    from moto.iam.exceptions import ValidationError
    from moto.iam.models import IAMBackend

    def check(name, member, limit):
        if not 1 <= len(name or "") <= limit:
            raise ValidationError(f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy "
                                  f"constraint: Member must have length less than or equal to {limit}")
        if not re.fullmatch(r"[\w+=,.@-]+", name):
            raise ValidationError(f"1 validation error detected: Value '{name}' at '{member}' failed to satisfy "
                                  "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")

    original_role = IAMBackend.create_role
    original_profile = IAMBackend.create_instance_profile

    def create_role(self, role_name, *args, **kwargs):
        check(role_name, "roleName", 64)
        return original_role(self, role_name, *args, **kwargs)

    def create_instance_profile(self, name, *args, **kwargs):
        check(name, "instanceProfileName", 128)
        return original_profile(self, name, *args, **kwargs)

    IAMBackend.create_role = create_role
    IAMBackend.create_instance_profile = create_instance_profile


# CreateSecurityGroup's and the rules' Description: "a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*".
_EC2_DESCRIPTION = r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*"
_EC2_CHARACTERS = "a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*"


def patch_ec2_security_group_name_and_description():
    """CreateSecurityGroup refuses names and descriptions AWS refuses.

    AWS: GroupName "Constraints: Up to 255 characters in length. Cannot start with sg-. Valid characters: a-z, A-Z,
    0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"; Description "Constraints: Up to 255 characters in length. Valid
    characters: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html); refused with
    InvalidParameterValue ("Invalid security group description. Valid descriptions are strings less than 256
    characters from the following set: ...", as AWS answers). moto 5.2.x accepts any (an apostrophe among them).
    Groups moto makes itself (default groups) are not checked: only requests are.
    """
    import re

    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.responses.security_groups import SecurityGroups

    original = SecurityGroups.create_security_group

    def create_security_group(self):
        name = self._get_param("GroupName") or ""
        description = self._get_param("Description") or ""
        if len(name) > 255 or not re.fullmatch(_EC2_DESCRIPTION, name):
            raise EC2ClientError("InvalidParameterValue", "Invalid security group name. Valid names are strings less "
                                 "than 256 characters from the following set: " + _EC2_CHARACTERS)
        if name.lower().startswith("sg-"):
            raise EC2ClientError("InvalidParameterValue", f"Group names may not be in the format sg-*: {name}")
        if len(description) > 255 or not re.fullmatch(_EC2_DESCRIPTION, description):
            raise EC2ClientError("InvalidParameterValue", "Invalid security group description. Valid descriptions are "
                                 "strings less than 256 characters from the following set: " + _EC2_CHARACTERS)
        return original(self)

    SecurityGroups.create_security_group = create_security_group


def patch_ec2_security_group_rule_descriptions():
    """Authorize-, UpdateSecurityGroupRuleDescriptions- (ingress and egress) and ModifySecurityGroupRules refuse rule
    descriptions AWS refuses.

    AWS: the Description of IpRange, Ipv6Range, PrefixListId and UserIdGroupPair, "Constraints: Up to 255 characters in
    length. Allowed characters are a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_UserIdGroupPair.html), and SecurityGroupRuleRequest's
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRuleRequest.html); refused with
    InvalidParameterValue ("Invalid rule description. Valid descriptions are strings less than 256 characters from the
    following set: ..."). moto 5.2.x accepts any.
    """
    import re

    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.responses.security_groups import SecurityGroups

    def descriptions(self):
        for permission in self._get_param("IpPermissions", []) or []:
            for key in ("IpRanges", "Ipv6Ranges", "PrefixListIds", "UserIdGroupPairs"):
                for item in permission.get(key, []) or []:
                    yield item.get("Description")
        for rule in self._get_param("SecurityGroupRules", []) or []:
            yield (rule.get("SecurityGroupRule") or {}).get("Description")

    def checked(original):
        def call(self):
            for description in descriptions(self):
                if description is not None and (len(description) > 255
                                                or not re.fullmatch(_EC2_DESCRIPTION, description)):
                    raise EC2ClientError("InvalidParameterValue", "Invalid rule description. Valid descriptions are "
                                         "strings less than 256 characters from the following set: " + _EC2_CHARACTERS)
            return original(self)
        return call

    for method in ("authorize_security_group_ingress", "authorize_security_group_egress",
                   "update_security_group_rule_descriptions_ingress", "update_security_group_rule_descriptions_egress",
                   "modify_security_group_rules"):
        setattr(SecurityGroups, method, checked(getattr(SecurityGroups, method)))


def patch_cloudtrail_trail_name():
    """CreateTrail refuses names with adjacent periods, underscores or dashes, and names in IP address format.

    AWS: Name must "Contain only ASCII letters (a-z, A-Z), numbers (0-9), periods (.), underscores (_), or dashes (-);
    Start with a letter or number, and end with a letter or number; Be between 3 and 128 characters; Have no adjacent
    periods, underscores or dashes. Names like my-_namespace and my--namespace are not valid; Not be in IP address
    format (for example, 192.168.5.4)"; refused with InvalidTrailNameException
    (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html). moto 5.2.x checks all but
    the last two.
    """
    import re

    from moto.cloudtrail.exceptions import InvalidTrailNameException
    from moto.cloudtrail.models import Trail

    original = Trail.check_name

    def check_name(self):
        original(self)
        if re.search(r"[._-]{2}", self.trail_name):
            raise InvalidTrailNameException("Trail name cannot have adjacent periods, underscores or dashes.")
        if re.fullmatch(r"\d{1,3}(\.\d{1,3}){3}", self.trail_name):
            raise InvalidTrailNameException("Trail name cannot be in IP address format.")

    Trail.check_name = check_name


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

def patch_launch_template_tags():
    """A launch template's current tags in DescribeLaunchTemplates (and Create/ModifyLaunchTemplate).

    AWS: LaunchTemplate.Tags is "The tags for the launch template"
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchTemplate.html), and CreateTags and
    DeleteTags change the tags of a launch template as of any EC2 resource
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html). moto 5.2.x copies the
    tags once, when the template is created, so tags changed afterwards never show there (tag filters,
    which read the tag store, do see them).
    """
    from moto.ec2.models.launch_templates import LaunchTemplate

    LaunchTemplate.tags = property(lambda self: self.get_tags(), lambda self, value: None)


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



def patch_s3_replication_delete_marker_replication():
    """GetBucketReplication reports each rule's DeleteMarkerReplication as PutBucketReplication set it.

    AWS: a replication rule's DeleteMarkerReplication "Specifies whether Amazon S3 replicates delete
    markers" (Status Enabled | Disabled; a rule with a Filter must include it)
    (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteMarkerReplication.html,
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_ReplicationRule.html), and GetBucketReplication
    returns the bucket's replication configuration, rules included
    (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketReplication.html). moto 5.2.x keeps
    the rule as put but answers every rule with DeleteMarkerReplication Disabled, and leaves out its
    SourceSelectionCriteria (how SSE-KMS objects are selected for replication,
    https://docs.aws.amazon.com/AmazonS3/latest/API/API_SourceSelectionCriteria.html). This patch answers
    with the stored Status (Disabled only when the rule had none) and the stored SourceSelectionCriteria;
    the rest of moto's answer stays.
    """
    from moto.core.responses import ActionResult
    from moto.s3.exceptions import ReplicationConfigurationNotFoundError
    from moto.s3.responses import S3Response

    def get_bucket_replication(self):
        # moto's own method, but for DeleteMarkerReplication.
        self.data["Action"] = "GetBucketReplication"
        replication = self.backend.get_bucket_replication(self.bucket_name)
        if not replication:
            raise ReplicationConfigurationNotFoundError(bucket_name=self.bucket_name)
        rules = []
        for rule in replication["Rule"]:
            answer = {
                "ID": rule["ID"],
                "Priority": rule["Priority"],
                "Status": rule["Status"],
                "DeleteMarkerReplication": {
                    "Status": (rule.get("DeleteMarkerReplication") or {}).get("Status") or "Disabled"
                },
                "Filter": {"Prefix": ""},
                "Destination": rule["Destination"],
            }
            if rule.get("SourceSelectionCriteria"):
                answer["SourceSelectionCriteria"] = rule["SourceSelectionCriteria"]
            rules.append(answer)
        return self.serialized(ActionResult(
            {"ReplicationConfiguration": {"Role": replication["Role"], "Rules": rules}}))

    S3Response.get_bucket_replication = get_bucket_replication


def patch_route53_caller_reference():
    """CreateHostedZone refuses a CallerReference used before.

    AWS: CallerReference is "A unique string that identifies the request and that allows failed
    CreateHostedZone requests to be retried without the risk of executing the operation twice. You
    must use a unique CallerReference string every time you submit a CreateHostedZone request"
    (https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHostedZone.html), and
    HostedZoneAlreadyExists (HTTP 409) is returned "when a hosted zone has already been created with
    the specified CallerReference" (same page, Errors). moto 5.2.x creates a second zone instead.
    """
    from moto.route53.exceptions import Route53ClientError
    from moto.route53.models import Route53Backend

    original = Route53Backend.create_hosted_zone

    def create_hosted_zone(self, name, private_zone, caller_reference=None, *args, **kwargs):
        if caller_reference and any(z.caller_reference == caller_reference for z in self.zones.values()):
            raise Route53ClientError(
                "HostedZoneAlreadyExists",
                f"A hosted zone has already been created with the specified caller reference: {caller_reference}")
        return original(self, name, private_zone, caller_reference, *args, **kwargs)

    Route53Backend.create_hosted_zone = create_hosted_zone


def patch_route53_health_check_caller_reference():
    """CreateHealthCheck honours its CallerReference.

    AWS (https://docs.aws.amazon.com/Route53/latest/APIReference/API_CreateHealthCheck.html,
    CallerReference): the same CallerReference and settings as a previous request return the existing
    health check (or create it when it does not exist); the same CallerReference as a deleted health
    check, regardless of the settings, or as an existing one with different settings, returns
    HealthCheckAlreadyExists (HTTP 409, same page, Errors). moto 5.2.x creates a new check every time.
    """
    import copy

    from moto.route53.exceptions import Route53ClientError
    from moto.route53.models import Route53Backend

    original = Route53Backend.create_health_check

    def create_health_check(self, caller_reference, health_check_args):
        used = self.__dict__.setdefault("_infra_health_check_references", {})  # reference -> (settings, id)
        if caller_reference in used:
            settings, check_id = used[caller_reference]
            existing = self.health_checks.get(check_id)
            if existing is not None and settings == health_check_args:
                return existing
            raise Route53ClientError(
                "HealthCheckAlreadyExists",
                f"A health check has already been created with the specified caller reference: {caller_reference}")
        check = original(self, caller_reference, health_check_args)
        used[caller_reference] = (copy.deepcopy(health_check_args), check.id)
        return check

    Route53Backend.create_health_check = create_health_check


def patch_route53_delete_record_by_set_identifier():
    """A DELETE of a record with a SetIdentifier deletes that record set only.

    AWS: a record set of a weighted, latency, failover… group is identified by its name, type and
    SetIdentifier ("SetIdentifier: ... An identifier that differentiates among multiple resource
    record sets that have the same combination of name and type",
    https://docs.aws.amazon.com/Route53/latest/APIReference/API_ResourceRecordSet.html), and DELETE
    "Deletes an existing resource record set that has the specified values"
    (https://docs.aws.amazon.com/Route53/latest/APIReference/API_Change.html). moto 5.2.x deletes every
    record set of the zone carrying that SetIdentifier, whatever its name and type.
    """
    from moto.route53.models import Route53Backend

    original = Route53Backend.change_resource_record_sets

    def fqdn(name):
        return (name if name.endswith(".") else name + ".").lower()

    def change_resource_record_sets(self, zoneid, change_list):
        zone = self.get_hosted_zone(zoneid)
        deleted = {(fqdn(c["ResourceRecordSet"]["Name"]), c["ResourceRecordSet"].get("Type"),
                    c["ResourceRecordSet"]["SetIdentifier"])
                   for c in change_list
                   if c.get("Action") == "DELETE" and c["ResourceRecordSet"].get("SetIdentifier") is not None}
        ids = {key[2] for key in deleted}
        spared = [r for r in zone.rrsets
                  if r.set_identifier in ids and (fqdn(r.name), r.type, r.set_identifier) not in deleted]
        original(self, zoneid, change_list)
        zone.rrsets.extend(r for r in spared if all(r is not kept for kept in zone.rrsets))

    Route53Backend.change_resource_record_sets = change_resource_record_sets


def _eks_updates(backend):
    """The EKS updates of one backend, by (cluster name, node group name or None, update id)."""
    if not hasattr(backend, "infra_updates"):
        backend.infra_updates = {}
    return backend.infra_updates


def _eks_update(backend, cluster, nodegroup, update_type, params):
    """Records and returns an Update object. moto's clusters and node groups change at once, so
    the update has ended, Successful, by the time the call that starts it returns."""
    from moto.core.utils import utcnow
    from moto.moto_api._internal import mock_random as random

    update = {
        "id": str(random.uuid4()),
        "status": "Successful",
        "type": update_type,
        "params": [{"type": t, "value": v} for t, v in params],
        "createdAt": utcnow(),
        "errors": [],
    }
    _eks_updates(backend)[(cluster, nodegroup, update["id"])] = update
    return update


def patch_eks_describe_update():
    """DescribeUpdate, for the updates of clusters and node groups.

    AWS: DescribeUpdate (GET /clusters/{name}/updates/{updateId}?nodegroupName=…) "Describes an
    update to an Amazon EKS resource. When the status of the update is Successful, the update is
    complete. If an update fails, the status is Failed, and an error detail explains the reason for
    the failure"; nodegroupName "is required if the update is a node group update"; an unknown
    update is ResourceNotFoundException
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeUpdate.html).
    UpdateNodegroupConfig returns the Update it started
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupConfig.html).
    moto 5.2.x does not route DescribeUpdate (HTTP 404) and forgets the updates it returns; this
    patch keeps them (see _eks_update) and describes them.
    """
    from moto.core.responses import ActionResult
    from moto.eks import urls
    from moto.eks.exceptions import ResourceNotFoundException
    from moto.eks.models import EKSBackend
    from moto.eks.responses import EKSResponse

    original = EKSBackend.update_nodegroup_config

    def update_nodegroup_config(self, cluster_name, nodegroup_name, *args, **kwargs):
        update = original(self, cluster_name, nodegroup_name, *args, **kwargs)
        _eks_updates(self)[(cluster_name, nodegroup_name, update["id"])] = update
        return update

    def describe_update(self):
        name = self._get_param("name")
        update_id = self._get_param("updateId")
        nodegroup = self._get_param("nodegroupName") or None
        self.eks_backend.describe_cluster(name)  # ResourceNotFoundException for an unknown cluster
        if nodegroup:
            self.eks_backend.describe_nodegroup(name, nodegroup)
        update = _eks_updates(self.eks_backend).get((name, nodegroup, update_id))
        if update is None:
            raise ResourceNotFoundException(clusterName=name, nodegroupName=nodegroup, fargateProfileName=None,
                                            addonName=None, message=f"No update found for ID: {update_id}")
        return ActionResult({"update": update})

    EKSBackend.update_nodegroup_config = update_nodegroup_config
    EKSResponse.describe_update = describe_update
    urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$"] = urls.response.dispatch


def patch_eks_update_cluster_version():
    """UpdateClusterVersion, one minor version up at a time.

    AWS: UpdateClusterVersion (POST /clusters/{name}/updates, body {"version": …}) "Updates an
    Amazon EKS cluster to the specified Kubernetes version … The response output includes an update
    ID that you can use to track the status of your cluster update with the DescribeUpdate API
    operation"; the Update's type is VersionUpdate, its params Version and PlatformVersion; a
    cluster that is not ACTIVE gives InvalidRequestException
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterVersion.html,
    https://docs.aws.amazon.com/eks/latest/APIReference/API_Update.html).
    A cluster goes up one minor version per update, and "Once you upgrade a cluster, you can't downgrade to a
    previous version" (https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html): any other target,
    the current version included, is InvalidParameterException "Unsupported Kubernetes minor version update from
    <current> to <target>", as EKS answers (eksctl's "Cluster upgrades": "The only values allowed ... are the
    current version of the cluster or one version higher",
    https://docs.aws.amazon.com/eks/latest/eksctl/cluster-upgrade.html).
    moto 5.2.x does not route it (HTTP 404).
    """
    from moto.core.responses import ActionResult
    from moto.eks import urls
    from moto.eks.exceptions import InvalidParameterException, InvalidRequestException
    from moto.eks.responses import EKSResponse

    def minor(version):
        major, _, rest = (version or "").partition(".")
        return (int(major), int(rest.split(".")[0])) if major.isdigit() and rest.split(".")[0].isdigit() else None

    def update_cluster_version(self):
        name = self._get_param("name")
        version = self._get_param("version")
        cluster = self.eks_backend.describe_cluster(name)
        if not cluster.is_active:
            raise InvalidRequestException(message=f"Cluster '{name}' is not in ACTIVE status")
        current, target = minor(cluster.version), minor(version)
        if current is None or target is None or target != (current[0], current[1] + 1):
            raise InvalidParameterException(clusterName=name, nodegroupName=None, fargateProfileName=None,
                                            addonName=None, message=f"Unsupported Kubernetes minor version update "
                                            f"from {cluster.version} to {version}")
        cluster.version = version
        update = _eks_update(self.eks_backend, name, None, "VersionUpdate",
                             [("Version", version), ("PlatformVersion", cluster.platformVersion)])
        return ActionResult({"update": update})

    EKSResponse.update_cluster_version = update_cluster_version
    urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates$"] = urls.response.dispatch


def patch_eks_update_cluster_config():
    """UpdateClusterConfig changes only what it names, one type of update per call, and answers with an Update.

    AWS: UpdateClusterConfig "Updates an Amazon EKS cluster configuration … The response output
    includes an update ID that you can use to track the status of your cluster update with
    DescribeUpdate"; its response is {"update": Update}, e.g. of type EndpointAccessUpdate with
    params EndpointPublicAccess / EndpointPrivateAccess for a resourcesVpcConfig change of endpoint
    access, which leaves the cluster's subnets and security groups as they are
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterConfig.html,
    https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html). One call makes one type of
    update (VpcConfigUpdate, EndpointAccessUpdate, LoggingUpdate, AuthModeUpdate…, the Update types of
    https://docs.aws.amazon.com/eks/latest/APIReference/API_Update.html): a request for two is
    InvalidParameterException "Only one type of update can be allowed.", and an endpoint access request that changes
    nothing "Cluster is already at the desired configuration with endpointPrivateAccess: … and endpointPublicAccess:
    …", as EKS answers (kubernetes-sigs/cluster-api-provider-aws#3553, boto/boto3#2592).
    moto 5.2.x replaces the whole resourcesVpcConfig with the request's (dropping subnetIds and
    securityGroupIds), accepts any mix and answers {"cluster": …}.
    """
    import json

    from moto.core.responses import ActionResult
    from moto.eks.exceptions import InvalidParameterException
    from moto.eks.models import EKSBackend
    from moto.eks.responses import EKSResponse

    def refused(name, message):
        return InvalidParameterException(clusterName=name, nodegroupName=None, fargateProfileName=None, addonName=None,
                                         message=message)

    # Each of these request members is an update type of its own (LoggingUpdate, AuthModeUpdate…).
    other_updates = ("logging", "accessConfig", "upgradePolicy", "zonalShiftConfig", "computeConfig",
                     "kubernetesNetworkConfig", "storageConfig", "remoteNetworkConfig")

    def update_types(self, vpc):
        types = {key for key in other_updates if self._get_param(key) is not None}
        if "subnetIds" in vpc or "securityGroupIds" in vpc:
            types.add("VpcConfigUpdate")
        if any(k in vpc for k in ("endpointPublicAccess", "endpointPrivateAccess", "publicAccessCidrs")):
            types.add("EndpointAccessUpdate")
        return types

    original = EKSBackend.update_cluster_config

    def update_cluster_config(self, name, resources_vpc_config, *args, **kwargs):
        if resources_vpc_config:
            cluster = self.describe_cluster(name)
            resources_vpc_config = {**(cluster.resources_vpc_config or {}), **resources_vpc_config}
        return original(self, name, resources_vpc_config, *args, **kwargs)

    def update_cluster_config_response(self):
        name = self._get_param("name")
        vpc = self._get_param("resourcesVpcConfig") or {}
        logging = self._get_param("logging")
        if len(update_types(self, vpc)) > 1:
            raise refused(name, "Only one type of update can be allowed.")
        now = self.eks_backend.describe_cluster(name).resources_vpc_config or {}
        access = {k: vpc[k] for k in ("endpointPublicAccess", "endpointPrivateAccess") if k in vpc}
        if access and set(vpc) <= set(access) and all(now.get(k) == v for k, v in access.items()):
            raise refused(name, "Cluster is already at the desired configuration with endpointPrivateAccess: "
                          f"{str(now.get('endpointPrivateAccess')).lower()} and endpointPublicAccess: "
                          f"{str(now.get('endpointPublicAccess')).lower()}")
        self.eks_backend.update_cluster_config(
            name=name,
            resources_vpc_config=vpc,
            logging=logging,
            client_request_token=self._get_param("clientRequestToken"),
            kubernetes_network_config=self._get_param("kubernetesNetworkConfig"),
            remote_network_config=self._get_param("remoteNetworkConfig"),
        )
        params = [(kind, json.dumps(vpc[key])) for key, kind in (
            ("endpointPublicAccess", "EndpointPublicAccess"),
            ("endpointPrivateAccess", "EndpointPrivateAccess"),
            ("publicAccessCidrs", "PublicAccessCidrs"),
            ("subnetIds", "Subnets"),
            ("securityGroupIds", "SecurityGroups")) if key in vpc]
        if "subnetIds" in vpc or "securityGroupIds" in vpc:
            update_type = "VpcConfigUpdate"
        elif vpc:
            update_type = "EndpointAccessUpdate"
        elif logging:
            update_type, params = "LoggingUpdate", [("ClusterLogging", json.dumps(logging.get("clusterLogging")))]
        else:
            update_type = "ConfigUpdate"
        return ActionResult({"update": _eks_update(self.eks_backend, name, None, update_type, params)})

    EKSBackend.update_cluster_config = update_cluster_config
    EKSResponse.update_cluster_config = update_cluster_config_response


def patch_eks_nodegroup_tags():
    """TagResource, UntagResource and ListTagsForResource on managed node groups.

    AWS: TagResource "Associates the specified tags to an Amazon EKS resource with the specified
    resourceArn"; the supported resources are "Amazon EKS clusters and managed node groups", and
    DescribeNodegroup reports the node group's tags
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_TagResource.html,
    https://docs.aws.amazon.com/eks/latest/APIReference/API_UntagResource.html,
    https://docs.aws.amazon.com/eks/latest/APIReference/API_ListTagsForResource.html).
    moto 5.2.x looks the ARN up among clusters only (NotFoundException for a node group).
    """
    from moto.eks.models import EKSBackend

    def nodegroup_by_arn(backend, arn):
        for cluster in backend.clusters.values():
            for nodegroup in cluster.nodegroups.values():
                if nodegroup.arn == arn:
                    return nodegroup
        return None

    original_tag = EKSBackend.tag_resource
    original_untag = EKSBackend.untag_resource
    original_list = EKSBackend.list_tags_for_resource

    def tag_resource(self, resource_arn, tags):
        nodegroup = nodegroup_by_arn(self, resource_arn)
        if nodegroup is None:
            return original_tag(self, resource_arn, tags)
        nodegroup.tags.update(tags)

    def untag_resource(self, resource_arn, tag_keys):
        nodegroup = nodegroup_by_arn(self, resource_arn)
        if nodegroup is None:
            return original_untag(self, resource_arn, tag_keys)
        for key in tag_keys if isinstance(tag_keys, list) else [tag_keys]:
            nodegroup.tags.pop(key, None)

    def list_tags_for_resource(self, resource_arn):
        nodegroup = nodegroup_by_arn(self, resource_arn)
        return original_list(self, resource_arn) if nodegroup is None else nodegroup.tags

    EKSBackend.tag_resource = tag_resource
    EKSBackend.untag_resource = untag_resource
    EKSBackend.list_tags_for_resource = list_tags_for_resource


def patch_wafv2_duplicate_item_code():
    """The error code of a WAFv2 create whose name is taken.

    AWS: CreateWebACL (like the other WAFv2 creates) fails with WAFDuplicateItemException, HTTP 400,
    "AWS WAF couldn't perform the operation because the resource that you tried to save is a
    duplicate of an existing one" (https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html#API_CreateWebACL_Errors).
    moto 5.2.x answers the same condition with the code "WafV2DuplicateItem", which no AWS SDK
    knows.
    """
    from moto.wafv2.exceptions import WAFV2DuplicateItemException, WAFv2ClientError

    def __init__(self):
        WAFv2ClientError.__init__(
            self,
            "WAFDuplicateItemException",
            "AWS WAF couldn't perform the operation because the resource that you tried to save is a "
            "duplicate of an existing one.",
        )

    WAFV2DuplicateItemException.__init__ = __init__


def patch_wafv2_associate_web_acl_once():
    """A resource associated again with the web ACL it already has keeps one association.

    AWS: a resource has at most one web ACL: GetWebACLForResource "retrieves the WebACL for the specified
    resource" (one), and DisassociateWebACL "disassociates the specified regional application resource from
    any existing web ACL association" (https://docs.aws.amazon.com/waf/latest/APIReference/API_GetWebACLForResource.html,
    https://docs.aws.amazon.com/waf/latest/APIReference/API_DisassociateWebACL.html). moto 5.2.x appends the
    resource to the web ACL's list at every AssociateWebACL, so after a repeated call (a retry whose first
    attempt ran) one DisassociateWebACL leaves the resource associated.
    """
    from moto.wafv2.models import WAFV2Backend

    original = WAFV2Backend.associate_web_acl

    def associate_web_acl(self, web_acl_arn, resource_arn):
        web_acl = self.wacls.get(web_acl_arn)
        if web_acl is not None and resource_arn in web_acl.associated_resources:
            return
        original(self, web_acl_arn, resource_arn)

    WAFV2Backend.associate_web_acl = associate_web_acl


def patch_eks_cluster_security_group():
    """The cluster security group EKS creates for every cluster.

    AWS: "Amazon EKS creates a cluster security group when you create a cluster" and uses it for the
    control plane's network interfaces and managed node groups; DescribeCluster reports its id in
    resourcesVpcConfig.clusterSecurityGroupId (https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigResponse.html,
    https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html). EKS deletes it with the
    cluster. moto 5.2.x creates no such group and reports no id.
    """
    import random

    from moto.ec2.models import ec2_backends
    from moto.eks.models import EKSBackend

    original_create = EKSBackend.create_cluster
    original_delete = EKSBackend.delete_cluster

    def create_cluster(self, name, role_arn, resources_vpc_config, *args, **kwargs):
        cluster = original_create(self, name, role_arn, resources_vpc_config, *args, **kwargs)
        ec2 = ec2_backends[self.account_id][self.region_name]
        subnets = (cluster.resources_vpc_config or {}).get("subnetIds") or []
        try:
            vpc_id = ec2.get_subnet(subnets[0]).vpc_id if subnets else None
        except Exception:  # an unknown subnet: AWS would have refused the cluster; report no group
            vpc_id = None
        if vpc_id:
            # AWS names it eks-cluster-sg-<cluster>-<digits>: a cluster made again under the same name gets a new one.
            group = ec2.create_security_group(
                name=f"eks-cluster-sg-{name}-{random.randint(10 ** 9, 10 ** 10 - 1)}", description="EKS created security group applied to ENI that is "
                "attached to EKS Control Plane master nodes, as well as any managed workloads.",
                vpc_id=vpc_id, tags={"aws:eks:cluster-name": name, f"kubernetes.io/cluster/{name}": "owned"})
            cluster.resources_vpc_config = dict(cluster.resources_vpc_config, clusterSecurityGroupId=group.id)
        return cluster

    def delete_cluster(self, name):
        cluster = original_delete(self, name)
        group_id = (cluster.resources_vpc_config or {}).get("clusterSecurityGroupId")
        if group_id:
            try:
                ec2_backends[self.account_id][self.region_name].delete_security_group(group_id=group_id)
            except Exception:  # already gone
                pass
        return cluster

    EKSBackend.create_cluster = create_cluster
    EKSBackend.delete_cluster = delete_cluster


def patch_eks_nodegroup_auto_scaling_group():
    """The Auto Scaling group EKS creates for every managed node group.

    AWS: "Every managed node is provisioned as part of an Amazon EC2 Auto Scaling group that's
    managed for you by Amazon EKS"; EKS tags the group (eks:cluster-name, eks:nodegroup-name,
    kubernetes.io/cluster/<cluster>=owned, and k8s.io/cluster-autoscaler/enabled=true,
    k8s.io/cluster-autoscaler/<cluster>=owned for the Cluster Autoscaler), sizes it from the node
    group's scaling config, launches it into the node group's subnets from a launch template of
    its own when the node group names none, and deletes it with the node group
    (https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html). DescribeNodegroup
    reports it in resources.autoScalingGroups, "The Auto Scaling groups associated with the node
    group" (https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupResources.html); its
    name is eks-<nodegroup name>-<the id that ends the node group's ARN>. UpdateNodegroupConfig's
    scalingConfig resizes it
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateNodegroupConfig.html).
    moto 5.2.x reports a name (eks-<id>) but creates no group.
    """
    from moto.autoscaling.models import autoscaling_backends
    from moto.ec2.models import ec2_backends
    from moto.eks.models import EKSBackend

    original_create = EKSBackend.create_nodegroup
    original_delete = EKSBackend.delete_nodegroup
    original_update = EKSBackend.update_nodegroup_config

    def create_nodegroup(self, cluster_name, node_role, nodegroup_name, subnets, *args, **kwargs):
        nodegroup = original_create(self, cluster_name, node_role, nodegroup_name, subnets, *args, **kwargs)
        ec2 = ec2_backends[self.account_id][self.region_name]
        autoscaling = autoscaling_backends[self.account_id][self.region_name]
        name = f"eks-{nodegroup_name}-{nodegroup.uuid}"
        scaling = nodegroup.scaling_config or {}
        own_template = None
        try:
            if nodegroup.launch_template and nodegroup.launch_template.get("id"):
                template = {"LaunchTemplateId": nodegroup.launch_template["id"],
                            "Version": nodegroup.launch_template.get("version")}
            else:
                own_template = ec2.create_launch_template(
                    name=f"eks-{nodegroup.uuid}", description="", tag_spec={},
                    template_data={"InstanceType": (nodegroup.instance_types or ["t3.medium"])[0]})
                template = {"LaunchTemplateId": own_template.id, "Version": "1"}
            tags = [{"Key": k, "Value": v, "PropagateAtLaunch": propagate} for k, v, propagate in (
                ("eks:cluster-name", cluster_name, True),
                ("eks:nodegroup-name", nodegroup_name, True),
                (f"kubernetes.io/cluster/{cluster_name}", "owned", True),
                ("k8s.io/cluster-autoscaler/enabled", "true", True),
                (f"k8s.io/cluster-autoscaler/{cluster_name}", "owned", True))]
            autoscaling.create_auto_scaling_group(
                name=name, availability_zones=[], desired_capacity=scaling.get("desiredSize"),
                max_size=scaling.get("maxSize"), min_size=scaling.get("minSize"), launch_config_name=None,
                launch_template=template, vpc_zone_identifier=",".join(subnets or []), default_cooldown=None,
                health_check_period=None, health_check_type="EC2", load_balancers=[], target_group_arns=[],
                placement_group=None, termination_policies=[], tags=tags)
        except Exception:  # unknown subnets: AWS would have refused the node group; report no group
            if own_template is not None:
                ec2.delete_launch_template(own_template.name, None)
            nodegroup.resources = dict(nodegroup.resources, autoScalingGroups=[])
            return nodegroup
        nodegroup.resources = dict(nodegroup.resources, autoScalingGroups=[{"name": name}])
        nodegroup.infra_launch_template = own_template
        return nodegroup

    def groups_of(nodegroup):
        return [g["name"] for g in (getattr(nodegroup, "resources", None) or {}).get("autoScalingGroups", [])]

    def update_nodegroup_config(self, cluster_name, nodegroup_name, *args, **kwargs):
        update = original_update(self, cluster_name, nodegroup_name, *args, **kwargs)
        nodegroup = self.clusters[cluster_name].nodegroups[nodegroup_name]
        scaling = kwargs.get("scaling_config") or {}
        autoscaling = autoscaling_backends[self.account_id][self.region_name]
        for name in groups_of(nodegroup):
            if scaling and name in autoscaling.autoscaling_groups:
                group = autoscaling.autoscaling_groups[name]
                group.min_size = scaling.get("minSize", group.min_size)
                group.max_size = scaling.get("maxSize", group.max_size)
                autoscaling.set_desired_capacity(name, scaling.get("desiredSize", group.desired_capacity))
        return update

    def delete_nodegroup(self, cluster_name, nodegroup_name):
        nodegroup = original_delete(self, cluster_name, nodegroup_name)
        autoscaling = autoscaling_backends[self.account_id][self.region_name]
        for name in groups_of(nodegroup):
            if name in autoscaling.autoscaling_groups:
                autoscaling.delete_auto_scaling_group(name)
        template = getattr(nodegroup, "infra_launch_template", None)
        if template is not None:
            try:
                ec2_backends[self.account_id][self.region_name].delete_launch_template(template.name, None)
            except Exception:  # already gone
                pass
        return nodegroup

    EKSBackend.create_nodegroup = create_nodegroup
    EKSBackend.update_nodegroup_config = update_nodegroup_config
    EKSBackend.delete_nodegroup = delete_nodegroup


def patch_autoscaling_target_groups_unknown_group():
    """Attach-, Detach- and DescribeLoadBalancerTargetGroups of a group that does not exist.

    AWS: these calls name one Auto Scaling group (AutoScalingGroupName); a request that names no
    existing group fails with the common error ValidationError, HTTP 400, "The input fails to
    satisfy the constraints specified by an AWS service", as every Auto Scaling call does for an
    unknown group ("AutoScalingGroup name not found")
    (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeLoadBalancerTargetGroups.html,
    https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_AttachLoadBalancerTargetGroups.html,
    https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DetachLoadBalancerTargetGroups.html,
    https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonErrors.html).
    moto 5.2.x looks the group up unguarded (KeyError, HTTP 500).
    """
    from moto.autoscaling.exceptions import ValidationError
    from moto.autoscaling.models import AutoScalingBackend

    def guarded(original):
        def call(self, group_name, *args, **kwargs):
            if group_name not in self.autoscaling_groups:
                raise ValidationError(f"AutoScalingGroup name not found - AutoScalingGroup '{group_name}' not found")
            return original(self, group_name, *args, **kwargs)
        return call

    for method in ("attach_load_balancer_target_groups", "detach_load_balancer_target_groups",
                   "describe_load_balancer_target_groups"):
        setattr(AutoScalingBackend, method, guarded(getattr(AutoScalingBackend, method)))


def patch_logs_kms_key_association():
    """AssociateKmsKey and DisassociateKmsKey for log groups; a key logs may not use is refused, at CreateLogGroup too.

    AWS: AssociateKmsKey "Associates the specified KMS key with ... one log group in the account"
    (logGroupName, kmsKeyId: the key's ARN); DescribeLogGroups then reports it as the group's
    kmsKeyId, and a group that does not exist is ResourceNotFoundException
    (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_AssociateKmsKey.html).
    DisassociateKmsKey "Disassociates the specified KMS key from the specified log group"
    (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DisassociateKmsKey.html).
    The key must be an enabled key of the log group's Region whose key policy lets CloudWatch Logs (principal
    logs.<region>.<partition's DNS suffix>) use it: kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*
    ("Encrypt log data in CloudWatch Logs using AWS Key Management Service", Step 2,
    https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html), at AssociateKmsKey as at
    CreateLogGroup with kmsKeyId; otherwise AccessDeniedException "The specified KMS key does not exist or is not
    allowed to be used with Arn '<log group ARN>'", as AWS answers (terraform-provider-aws#29282). The statement's
    conditions are not evaluated (moto enforces no key policy; this checks the grant exists).
    moto 5.2.x keeps the kmsKeyId given to CreateLogGroup unchecked and implements neither call (HTTP 500).
    """
    import fnmatch
    import json

    from moto.core.exceptions import JsonRESTError
    from moto.kms.models import kms_backends
    from moto.logs.exceptions import ResourceNotFoundException
    from moto.logs.responses import LogsResponse

    def usable(account, region, key_id):
        kms = kms_backends[account][region]
        try:
            key = kms.describe_key(key_id)
        except Exception:
            return False
        if key.key_state != "Enabled":
            return False
        principal = "logs." + region + (".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com")
        for statement in json.loads(key.policy).get("Statement", []):
            services = (statement.get("Principal") or {}).get("Service") if isinstance(statement.get("Principal"),
                                                                                      dict) else None
            services = [services] if isinstance(services, str) else services or []
            actions = statement.get("Action")
            actions = [actions] if isinstance(actions, str) else actions or []
            if statement.get("Effect") == "Allow" and principal in services and all(
                    any(fnmatch.fnmatchcase(needed, a) for a in actions)
                    for needed in ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey")):
                return True
        return False

    def check(self, name, key_id):
        backend = self.logs_backend
        if not usable(backend.account_id, backend.region_name, key_id):
            partition = "aws-cn" if backend.region_name.startswith("cn-") else \
                "aws-us-gov" if backend.region_name.startswith("us-gov-") else "aws"
            raise JsonRESTError("AccessDeniedException", "The specified KMS key does not exist or is not allowed to be "
                                f"used with Arn 'arn:{partition}:logs:{backend.region_name}:{backend.account_id}:"
                                f"log-group:{name}'")

    def group(self):
        name = self._get_param("logGroupName")
        if name not in self.logs_backend.groups:
            raise ResourceNotFoundException()
        return self.logs_backend.groups[name]

    original_create = LogsResponse.create_log_group

    def create_log_group(self):
        if self._get_param("kmsKeyId"):
            check(self, self._get_param("logGroupName"), self._get_param("kmsKeyId"))
        return original_create(self)

    def associate_kms_key(self):
        g = group(self)
        check(self, g.name, self._get_param("kmsKeyId"))
        g.kms_key_id = self._get_param("kmsKeyId")
        return ""

    def disassociate_kms_key(self):
        group(self).kms_key_id = None
        return ""

    LogsResponse.create_log_group = create_log_group
    LogsResponse.associate_kms_key = associate_kms_key
    LogsResponse.disassociate_kms_key = disassociate_kms_key

def patch_guardduty_detector_tags():
    """TagResource, UntagResource and ListTagsForResource on GuardDuty detectors.

    AWS: TagResource (POST /tags/{resourceArn}, body {"tags": {...}}) "Adds tags to a resource",
    UntagResource (DELETE /tags/{resourceArn}?tagKeys=...) "Removes tags from a resource" and
    ListTagsForResource (GET /tags/{resourceArn}) "Lists tags for a resource", detectors among them
    (arn:aws:guardduty:<region>:<account>:detector/<id>); an unknown resource is
    BadRequestException; GetDetector reports the same tags
    (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_TagResource.html,
    https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UntagResource.html,
    https://docs.aws.amazon.com/guardduty/latest/APIReference/API_ListTagsForResource.html).
    moto 5.2.x keeps the tags given to CreateDetector but does not route these calls (HTTP 404).
    """
    import json
    from urllib.parse import unquote

    from moto.guardduty import urls
    from moto.guardduty.exceptions import DetectorNotFoundException
    from moto.guardduty.responses import GuardDutyResponse

    def detector(self):
        # /tags/<ARN, whose "detector/<id>" holds a slash>
        arn = "/".join(unquote(self.path).split("/")[2:])
        detector_id = arn.split(":detector/")[-1] if ":detector/" in arn else None
        if detector_id not in self.guardduty_backend.detectors:
            raise DetectorNotFoundException()
        return self.guardduty_backend.detectors[detector_id]

    def tag_resource(self):
        detector(self).tags.update(self._get_param("tags") or {})
        return "{}"

    def untag_resource(self):
        d = detector(self)
        for key in self.querystring.get("tagKeys", []):
            d.tags.pop(key, None)
        return "{}"

    def list_tags_for_resource(self):
        return json.dumps({"tags": detector(self).tags})

    GuardDutyResponse.tag_resource = tag_resource
    GuardDutyResponse.untag_resource = untag_resource
    GuardDutyResponse.list_tags_for_resource = list_tags_for_resource
    urls.url_paths["{0}/tags/(?P<resourceArn>.+)$"] = GuardDutyResponse.dispatch


# The engine versions OpenSearch Service offers ("Supported versions of Elasticsearch and OpenSearch",
# https://docs.aws.amazon.com/opensearch-service/latest/developerguide/what-is.html#choosing-version), oldest first.
_OPENSEARCH_VERSIONS = tuple(
    [f"Elasticsearch_{v}" for v in ("5.1", "5.3", "5.5", "5.6", "6.0", "6.2", "6.3", "6.4", "6.5", "6.7", "6.8",
                                     "7.1", "7.4", "7.7", "7.8", "7.9", "7.10")]
    + [f"OpenSearch_{v}" for v in ("1.0", "1.1", "1.2", "1.3", "2.3", "2.5", "2.7", "2.9", "2.11", "2.13", "2.15",
                                    "2.17", "2.19", "3.1", "3.3")])


def _opensearch_upgrade_targets(version):
    """The versions a domain running `version` upgrades to, by the upgrade paths table of "Upgrading Amazon OpenSearch
    Service domains": OpenSearch 1.3 or 2.x to a later 2.x, 2.19 or 3.x to a later 3.x (1.3 and 2.x go through 2.19
    first), 1.x to a later 1.x; Elasticsearch 7.x and 6.8 to a later 7.x or OpenSearch 1.x, 6.x to a later 6.x, 5.6 to
    6.x, 5.x to a later 5.x. Never down, never to the same version."""
    def parsed(v):
        engine, _, number = v.partition("_")
        major, _, minor = number.partition(".")
        return engine, int(major), int(minor)

    if version not in _OPENSEARCH_VERSIONS:
        return []
    engine, major, minor = parsed(version)

    def allowed(target):
        t_engine, t_major, t_minor = parsed(target)
        if _OPENSEARCH_VERSIONS.index(target) <= _OPENSEARCH_VERSIONS.index(version):
            return False
        if engine == "OpenSearch":
            return (t_major == 1 and major == 1) or (t_major == 2 and (major == 2 or (major, minor) == (1, 3))) \
                or (t_major == 3 and (major == 3 or (major, minor) == (2, 19)))
        if t_engine == "OpenSearch":
            return t_major == 1 and (major == 7 or (major, minor) == (6, 8))
        return t_major == major or (t_major == 7 and (major, minor) == (6, 8)) or (t_major == 6 and (major, minor) == (5, 6))

    return [t for t in _OPENSEARCH_VERSIONS if allowed(t)]


def patch_opensearch_upgrade_domain():
    """UpgradeDomain and GetUpgradeStatus: changing a domain's engine version.

    AWS: UpgradeDomain (POST /2021-01-01/opensearch/upgradeDomain, body DomainName, TargetVersion,
    PerformCheckOnly) "Allows you to either upgrade your Amazon OpenSearch Service domain or perform
    an upgrade eligibility check to a compatible version of OpenSearch or Elasticsearch"; its answer
    echoes DomainName, TargetVersion and PerformCheckOnly with an UpgradeId; an unknown domain is
    ResourceNotFoundException
    (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_UpgradeDomain.html).
    GetUpgradeStatus (GET /2021-01-01/opensearch/upgradeDomain/{DomainName}/status) "Returns the most
    recent status of the last upgrade or upgrade eligibility check performed on an Amazon OpenSearch
    Service domain": UpgradeStep (PRE_UPGRADE_CHECK | SNAPSHOT | UPGRADE), StepStatus (NOT_STARTED |
    IN_PROGRESS | SUCCEEDED | SUCCEEDED_WITH_ISSUES | FAILED) and UpgradeName
    (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_GetUpgradeStatus.html).
    UpdateDomainConfig has no engine version: an upgrade is the only way to change it. Only the upgrade paths
    "Upgrading Amazon OpenSearch Service domains" lists are open
    (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/version-migration.html#supported-upgrade-paths,
    see _opensearch_upgrade_targets); any other target, a downgrade or the version the domain runs is refused with
    ValidationException. GetCompatibleVersions ("Returns a map of OpenSearch or Elasticsearch versions and the versions
    you can upgrade them to", for one domain when DomainName is given,
    https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_GetCompatibleVersions.html) answers from the
    same paths. moto 5.2.x implements neither UpgradeDomain nor GetUpgradeStatus, and answers GetCompatibleVersions from
    a fixed table that ends at OpenSearch 2.5. Its domains change at once, so here an upgrade has ended, SUCCEEDED,
    when UpgradeDomain returns (a check only leaves the version as it is).
    """
    import json

    from moto.core.exceptions import JsonRESTError
    from moto.es import urls
    from moto.moto_api._internal import mock_random as random
    from moto.opensearch.responses import OpenSearchServiceResponse

    def upgrade_domain(self):
        name = self._get_param("DomainName")
        target = self._get_param("TargetVersion")
        check_only = bool(self._get_param("PerformCheckOnly"))
        domain = self.opensearch_backend.describe_domain(name)  # ResourceNotFoundException
        if target not in _opensearch_upgrade_targets(domain.engine_version.options):
            raise JsonRESTError("ValidationException", f"The upgrade of domain {name} from "
                                f"{domain.engine_version.options} to {target} is not a supported upgrade path; "
                                "GetCompatibleVersions lists the versions it can be upgraded to.")
        domain.infra_upgrade_status = {
            "UpgradeStep": "PRE_UPGRADE_CHECK" if check_only else "UPGRADE",
            "StepStatus": "SUCCEEDED",
            "UpgradeName": f"Upgrade from {domain.engine_version.options} to {target}",
        }
        if not check_only:
            domain.engine_version.options = target
        return json.dumps({"DomainName": name, "TargetVersion": target, "PerformCheckOnly": check_only,
                           "UpgradeId": str(random.uuid4())})

    def get_upgrade_status(self):
        domain = self.opensearch_backend.describe_domain(self._get_param("DomainName"))
        status = getattr(domain, "infra_upgrade_status", None) or {
            "UpgradeStep": "UPGRADE", "StepStatus": "NOT_STARTED", "UpgradeName": ""}
        return json.dumps(status)

    def get_compatible_versions(self):
        name = self._get_param("domainName") or self._get_param("DomainName")
        sources = [self.opensearch_backend.describe_domain(name).engine_version.options] if name \
            else list(_OPENSEARCH_VERSIONS)
        return json.dumps({"CompatibleVersions": [{"SourceVersion": v, "TargetVersions": _opensearch_upgrade_targets(v)}
                                                  for v in sources if name or _opensearch_upgrade_targets(v)]})

    OpenSearchServiceResponse.upgrade_domain = upgrade_domain
    OpenSearchServiceResponse.get_upgrade_status = get_upgrade_status
    OpenSearchServiceResponse.get_compatible_versions = get_compatible_versions
    urls.url_paths["{0}/2021-01-01/opensearch/upgradeDomain$"] = OpenSearchServiceResponse.dispatch
    urls.url_paths["{0}/2021-01-01/opensearch/upgradeDomain/(?P<DomainName>[^/]+)/status$"] = \
        OpenSearchServiceResponse.dispatch


def _athena_work_group_not_found(name):
    """Athena's answer for an unknown workgroup: InvalidRequestException, "WorkGroup <name> is not found."."""
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError("InvalidRequestException", f"WorkGroup {name} is not found.")


def patch_athena_get_work_group_not_found():
    """GetWorkGroup of an unknown workgroup fails.

    AWS: GetWorkGroup "Returns information about the workgroup with the specified name"; its errors
    are InternalServerException and InvalidRequestException (HTTP 400), "Indicates that something is
    wrong with the input to the request"
    (https://docs.aws.amazon.com/athena/latest/APIReference/API_GetWorkGroup.html); for a name that
    does not exist Athena answers InvalidRequestException "WorkGroup <name> is not found.".
    moto 5.2.x answers HTTP 200 with {"WorkGroup": null}.
    """
    from moto.athena.responses import AthenaResponse

    original = AthenaResponse.get_work_group

    def get_work_group(self):
        name = self._get_param("WorkGroup")
        if name not in self.athena_backend.work_groups:
            raise _athena_work_group_not_found(name)
        return original(self)

    AthenaResponse.get_work_group = get_work_group


def patch_athena_update_work_group():
    """UpdateWorkGroup.

    AWS: UpdateWorkGroup (WorkGroup, Description, ConfigurationUpdates, State) "Updates the workgroup
    with the specified name. The workgroup's name cannot be changed"; ConfigurationUpdates
    (WorkGroupConfigurationUpdates) sets EnforceWorkGroupConfiguration, PublishCloudWatchMetricsEnabled,
    BytesScannedCutoffPerQuery (RemoveBytesScannedCutoffPerQuery removes it), RequesterPaysEnabled,
    EngineVersion…, and ResultConfigurationUpdates sets OutputLocation, EncryptionConfiguration,
    ExpectedBucketOwner, AclConfiguration, each removed by its Remove… flag; what the request leaves
    out stays as it was; errors InternalServerException and InvalidRequestException
    (https://docs.aws.amazon.com/athena/latest/APIReference/API_UpdateWorkGroup.html,
    https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfigurationUpdates.html,
    https://docs.aws.amazon.com/athena/latest/APIReference/API_ResultConfigurationUpdates.html).
    moto 5.2.x does not implement it.
    """
    from moto.athena.responses import AthenaResponse

    result_fields = ("OutputLocation", "EncryptionConfiguration", "ExpectedBucketOwner", "AclConfiguration")

    def update_work_group(self):
        name = self._get_param("WorkGroup")
        work_group = self.athena_backend.work_groups.get(name)
        if work_group is None:
            raise _athena_work_group_not_found(name)
        updates = dict(self._get_param("ConfigurationUpdates") or {})
        configuration = work_group.configuration
        result_updates = updates.pop("ResultConfigurationUpdates", None) or {}
        results = configuration.setdefault("ResultConfiguration", {})
        for field in result_fields:
            if result_updates.get("Remove" + field):
                results.pop(field, None)
            elif field in result_updates:
                results[field] = result_updates[field]
        for key, value in updates.items():
            if key.startswith("Remove"):
                if value:
                    configuration.pop(key[len("Remove"):], None)
            elif key == "EngineVersion":
                configuration["EngineVersion"] = {**configuration.get("EngineVersion", {}), **value}
            else:
                configuration[key] = value
        if self._get_param("Description") is not None:
            work_group.description = self._get_param("Description")
        if self._get_param("State") is not None:
            work_group.state = self._get_param("State")
        return "{}"

    AthenaResponse.update_work_group = update_work_group


def patch_athena_list_tags_untagged():
    """ListTagsForResource of an Athena resource without tags.

    AWS: ListTagsForResource "Lists the tags associated with an Athena resource" (Tags: the list of
    tags, none for a resource without tags); ResourceNotFoundException (HTTP 400) is "A resource, such
    as a workgroup, was not found"
    (https://docs.aws.amazon.com/athena/latest/APIReference/API_ListTagsForResource.html).
    moto 5.2.x answers InvalidRequestException "Athena Resource, … Does Not Exist" for every resource
    that has no tags, existing or not.
    """
    import json

    from moto.athena.responses import AthenaResponse
    from moto.core.exceptions import JsonRESTError

    def list_tags_for_resource(self):
        arn = self._get_param("ResourceARN")
        backend = self.athena_backend
        known = {r.arn for r in list(backend.work_groups.values()) + list(backend.data_catalogs.values())
                 + list(backend.capacity_reservations.values())}
        if arn not in known and not backend.tagger.has_tags(arn):
            raise JsonRESTError("ResourceNotFoundException", f"Resource {arn} was not found.")
        return json.dumps(backend.tagger.list_tags_for_resource(arn))

    AthenaResponse.list_tags_for_resource = list_tags_for_resource


def patch_dynamodb_update_table_sse():
    """UpdateTable with SSESpecification: a table's server-side encryption changes.

    AWS: UpdateTable's SSESpecification is "The new server-side encryption settings for the
    specified table"; Enabled true with SSEType KMS uses the KMS key KMSMasterKeyId (the AWS
    managed key alias/aws/dynamodb when absent), Enabled false the AWS owned key
    (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html,
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_SSESpecification.html); a table
    encrypted with the AWS owned key has no SSEDescription
    (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html).
    moto 5.2.x reads SSESpecification at CreateTable only and ignores it in UpdateTable.
    """
    from moto.dynamodb.responses import DynamoHandler

    original = DynamoHandler.update_table

    def update_table(self):
        sse = self.body.get("SSESpecification")
        if sse is not None:
            table = self.dynamodb_backend.get_table(self.body["TableName"])
            if sse.get("Enabled"):
                spec = {"Enabled": True, "SSEType": "KMS"}
                if sse.get("KMSMasterKeyId"):
                    spec["KMSMasterKeyId"] = sse["KMSMasterKeyId"]
                else:
                    spec["KMSMasterKeyId"] = table._get_default_encryption_key(table.account_id, table.region_name)
                table.sse_specification = spec
            else:
                table.sse_specification = None
        return original(self)

    DynamoHandler.update_table = update_table


def patch_dynamodb_global_tables():
    """Global tables version 2019.11.21: UpdateTable ReplicaUpdates, DescribeTable Replicas.

    AWS: UpdateTable's ReplicaUpdates is "A list of replica update actions (create, delete, or
    update) for the table", for global tables version 2019.11.21
    (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html). Create
    (CreateReplicationGroupMemberAction: RegionName, KMSMasterKeyId "The KMS key that should be used
    for KMS encryption in the new replica", only given when it differs from alias/aws/dynamodb)
    creates the table's replica in that Region; Update (UpdateReplicationGroupMemberAction) changes
    a replica's settings, its KMS key among them; Delete (DeleteReplicationGroupMemberAction)
    "deleting the replica and all if its items in the destination Region"
    (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ReplicationGroupUpdate.html).
    All replicas share the table's name, key schema and item data, one replica per Region
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html);
    the replica here copies key schema, attribute definitions, billing mode, capacity and indexes.
    Tags and deletion protection are set per replica, so the new replica has none
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/globaltables-bestpractices.html).
    MREC global tables replicate through DynamoDB Streams, which DynamoDB enables on every replica
    (NEW_AND_OLD_IMAGES here when the table had none). DescribeTable reports "Replicas" (ReplicaDescription:
    RegionName, ReplicaStatus, KMSMasterKeyId) - the table's other Regions, as the developer guide's
    describe-table example shows - and GlobalTableVersion "2019.11.21" "if the table is replicated
    across AWS Regions" (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TableDescription.html,
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ReplicaDescription.html,
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_versions.html).
    DeleteTable deletes the table in its own Region only ("This operation only applies to Version
    2019.11.21 (Current) of global tables",
    https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteTable.html): the other
    replicas stay and no longer list it. Refused with ValidationException, as AWS does: a replica in
    the table's own Region ("Cannot add, delete, or update the local region through ReplicaUpdates"),
    a Region that already has the replica or a table of that name, an Update or Delete of a Region
    that is no replica, a KMS key unknown in the replica's Region, and a replica of a PROVISIONED table whose write
    capacity is not auto scaled: "Table write capacity should either be Pay-Per-Request or AutoScaled" ("A global
    table must have throughput capacity configured one of two ways: On-demand capacity mode ... Provisioned capacity
    mode with auto scaling",
    https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html;
    terraform-provider-aws#13097); auto scaled means an Application Auto Scaling scalable target for the table's
    dynamodb:table:WriteCapacityUnits
    (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html). moto 5.2.x ignores
    ReplicaUpdates. Replicas are ACTIVE at once, as moto's tables are.
    """
    from moto.applicationautoscaling.models import applicationautoscaling_backends
    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler, DynamoResult
    from moto.kms.models import kms_backends

    version = "2019.11.21"
    local_region = ("Cannot add, delete, or update the local region through ReplicaUpdates. "
                    "Use CreateTable, DeleteTable, or UpdateTable as required.")

    def regions(table):
        """The Regions of table's global table (a set its replicas share), or None when it has none."""
        return getattr(table, "infra_replica_regions", None)

    def key_arn(account, region, key_id):
        try:
            return kms_backends[account][region].describe_key(key_id).arn
        except Exception:
            raise MockValidationException(f"KMS key {key_id} does not exist in region {region}")

    def sse_with(key_arn_in_region):
        return {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_arn_in_region}

    def replica_description(table, region):
        replica = dynamodb_backends[table.account_id][region].tables.get(table.name)
        description = {"RegionName": region, "ReplicaStatus": "ACTIVE"}
        if replica is not None and replica.sse_specification and replica.sse_specification.get("Enabled"):
            description["KMSMasterKeyId"] = replica.sse_specification.get("KMSMasterKeyId")
        return description

    original_describe = Table.describe

    def describe(self, base_key="TableDescription"):
        result = original_describe(self, base_key)
        members = regions(self)
        if members and len(members) > 1:
            result[base_key]["GlobalTableVersion"] = version
            result[base_key]["Replicas"] = [replica_description(self, r) for r in sorted(members)
                                            if r != self.region_name]
        return result

    def write_auto_scaled(table):
        targets = applicationautoscaling_backends[table.account_id][table.region_name].targets
        return f"table/{table.name}" in targets.get("dynamodb:table:WriteCapacityUnits", {})

    def create_replica(table, action):
        region = action["RegionName"]
        members = regions(table) or {table.region_name}
        target = dynamodb_backends[table.account_id][region]
        if table.billing_mode == "PROVISIONED" and not write_auto_scaled(table):
            raise MockValidationException("Table write capacity should either be Pay-Per-Request or AutoScaled")
        if region in members or table.name in target.tables:
            raise MockValidationException(
                f"Failed to create a the new replica of table with name: '{table.name}' because one or more "
                f"replicas already existed as tables: region {region}")
        sse = None
        if action.get("KMSMasterKeyId"):
            sse = sse_with(key_arn(table.account_id, region, action["KMSMasterKeyId"]))
        elif table.sse_specification and table.sse_specification.get("Enabled"):
            sse = {"Enabled": True, "SSEType": "KMS"}  # moto fills in the Region's alias/aws/dynamodb key
        if not table.latest_stream_label:
            table.set_stream_specification({"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        provisioned = table.billing_mode == "PROVISIONED"

        def throughput(t):
            return {"ReadCapacityUnits": t["ReadCapacityUnits"], "WriteCapacityUnits": t["WriteCapacityUnits"]}

        replica = target.create_table(
            table.name,
            schema=table.schema,
            throughput=throughput(table.throughput) if provisioned else None,
            attr=table.attr,
            global_indexes=[dict({"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection},
                                 **({"ProvisionedThroughput": throughput(i.throughput)} if provisioned else {}))
                            for i in table.global_indexes],
            indexes=[{"IndexName": i.name, "KeySchema": i.schema, "Projection": i.projection} for i in table.indexes],
            streams={"StreamEnabled": True, "StreamViewType": table.stream_specification["StreamViewType"]},
            billing_mode=table.billing_mode,
            sse_specification=sse,
            tags=[],
            deletion_protection_enabled=False,
            warm_throughput=None,
        )
        members.add(region)
        table.infra_replica_regions = members
        replica.infra_replica_regions = members

    def member(table, action):
        region = action["RegionName"]
        if region not in (regions(table) or ()):
            raise MockValidationException(f"Replica of table '{table.name}' does not exist in region {region}")
        return region, dynamodb_backends[table.account_id][region]

    def update_replica(table, action):
        region, target = member(table, action)
        if action.get("KMSMasterKeyId"):
            target.get_table(table.name).sse_specification = sse_with(
                key_arn(table.account_id, region, action["KMSMasterKeyId"]))

    def delete_replica(table, action):
        _, target = member(table, action)
        target.delete_table(table.name)

    original_update = DynamoHandler.update_table

    def update_table(self):
        updates = self.body.get("ReplicaUpdates")
        if not updates:
            return original_update(self)
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        for update in updates:
            action = update.get("Create") or update.get("Update") or update.get("Delete") or {}
            if action.get("RegionName") == table.region_name:
                raise MockValidationException(local_region)
            if "Create" in update:
                create_replica(table, action)
            elif "Update" in update:
                update_replica(table, action)
            elif "Delete" in update:
                delete_replica(table, action)
        if any(k not in ("TableName", "ReplicaUpdates") for k in self.body):
            self.body = {k: v for k, v in self.body.items() if k != "ReplicaUpdates"}
            return original_update(self)
        return DynamoResult(table.describe())

    original_delete = DynamoDBBackend.delete_table

    def delete_table(self, name):
        table = original_delete(self, name)
        members = regions(table)
        if members:
            members.discard(self.region_name)
            table.infra_replica_regions = None
        return table

    Table.describe = describe
    DynamoHandler.update_table = update_table
    DynamoDBBackend.delete_table = delete_table


def patch_dynamodb_update_time_to_live():
    """UpdateTimeToLive refuses what DynamoDB refuses: a second change within the hour, and a change to what is.

    AWS: "It can take up to one hour for the change to fully process. Any additional UpdateTimeToLive calls for the
    same table during this one hour duration result in a ValidationException"
    (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTimeToLive.html), whose message is
    "Time to live has been modified multiple times within a fixed interval" (aws/aws-cdk#13720); enabling TTL where it
    is on is "TimeToLive is already enabled", on another attribute "TimeToLive is active on a different AttributeName:
    current AttributeName is <name>", disabling it where it is off "TimeToLive is already disabled" (all
    ValidationException; go-to-k/cdkd#932, dynamoose/dynamoose#754). moto 5.2.x applies every call at once. The hour
    is counted from the last accepted call; a table's creation does not count (TTL is not part of CreateTable).
    """
    import time

    from moto.dynamodb.exceptions import MockValidationException
    from moto.dynamodb.models import DynamoDBBackend

    original = DynamoDBBackend.update_time_to_live

    def update_time_to_live(self, table_name, ttl_spec):
        table = self.get_table(table_name)  # ResourceNotFoundException
        last = getattr(table, "infra_ttl_changed_at", None)
        if last is not None and time.monotonic() - last < 3600:
            raise MockValidationException("Time to live has been modified multiple times within a fixed interval")
        enabled = table.ttl.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
        current = table.ttl.get("AttributeName")
        if ttl_spec.get("Enabled") and enabled:
            raise MockValidationException("TimeToLive is already enabled" if current == ttl_spec.get("AttributeName")
                                          else f"TimeToLive is active on a different AttributeName: current "
                                               f"AttributeName is {current}")
        if not ttl_spec.get("Enabled") and not enabled:
            raise MockValidationException("TimeToLive is already disabled")
        original(self, table_name, ttl_spec)
        table.infra_ttl_changed_at = time.monotonic()

    DynamoDBBackend.update_time_to_live = update_time_to_live


def _elasticache_member_cluster(backend, group, cluster_id, role):
    """A cache cluster of replication group `group` (see patch_elasticache_replication_group_members)."""
    import inspect

    args = {name: None for name in inspect.signature(backend.create_cache_cluster).parameters}
    args.update(
        cache_cluster_id=cluster_id,
        replication_group_id=group.replication_group_id,
        cache_node_type=group.cache_node_type,
        engine=group.engine,
        engine_version=group.engine_version,
        cache_parameter_group_name=group.cache_parameter_group_name,
        cache_subnet_group_name=group.cache_subnet_group_name,
        security_group_ids=list(group.security_group_ids or []),
        transit_encryption_enabled=group.transit_encryption_enabled,
        port=group.port,
        tags=list(group.tags or []),
        log_delivery_configurations=[],
    )
    cluster = backend.create_cache_cluster(**args)
    cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
    cluster.auth_token_enabled = group.auth_token_enabled
    cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in cluster.security_group_ids]
    cluster.replication_group_role = role
    return cluster


def _elasticache_set_members(backend, group, count):
    """Makes the members of a cluster-mode-disabled replication group `count` clusters named
    <group>-001, <group>-002…, the first the primary: new ones are created, surplus ones deleted."""
    node_group = group.node_groups[0]
    domain = node_group["primary_endpoint_address"].split(".", 1)[1]
    wanted = [f"{group.replication_group_id}-{i:03d}" for i in range(1, count + 1)]
    for cluster_id in list(group.member_clusters):
        if cluster_id not in wanted:
            cluster = backend.cache_clusters.pop(cluster_id, None)
            if cluster is not None:
                backend.tagging_service.delete_all_tags_for_resource(cluster.arn)
    members = []
    for i, cluster_id in enumerate(wanted):
        role = "primary" if i == 0 else "replica"
        if cluster_id not in backend.cache_clusters:
            _elasticache_member_cluster(backend, group, cluster_id, role)
        members.append({
            "CacheClusterId": cluster_id,
            "CacheNodeId": "0001",
            "ReadEndpoint": {"Address": f"{cluster_id}.{domain}", "Port": group.port},
            "PreferredAvailabilityZone": backend.cache_clusters[cluster_id].preferred_availability_zone,
            "CurrentRole": role,
        })
    group.member_clusters = wanted
    node_group["node_group_members"] = members


def patch_elasticache_replication_group_members():
    """Replication groups (cluster mode disabled) made of NumCacheClusters cache clusters, with a
    reader endpoint, deleted with their clusters.

    AWS: CreateReplicationGroup's NumCacheClusters is "The number of clusters this replication group
    initially has" (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html);
    ReplicationGroup.MemberClusters is "The names of all the cache clusters that are part of this
    replication group" (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ReplicationGroup.html);
    NodeGroup.ReaderEndpoint is "The endpoint of the replica nodes in this node group (shard)"
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_NodeGroup.html); each member is a
    cache cluster that DescribeCacheClusters reports, with ReplicationGroupId "The replication group
    to which this cluster belongs", its EngineVersion, CacheSubnetGroupName and SecurityGroups
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheCluster.html); "Tags on
    replication groups will be replicated to all nodes" (CreateReplicationGroup, Tags).
    DeleteReplicationGroup "deletes the entire replication group, including the primary/primaries
    and all of the read replicas", and the group then no longer exists (ReplicationGroupNotFoundFault)
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteReplicationGroup.html).
    moto 5.2.x makes one member whatever NumCacheClusters says, creates no cache clusters for the
    members, reports no ReaderEndpoint, and leaves a deleted group "deleting" for ever. As moto's
    groups are available at once, the deletion here also ends at once.
    """
    from moto.elasticache.models import ElastiCacheBackend

    original_create = ElastiCacheBackend.create_replication_group
    original_delete = ElastiCacheBackend.delete_replication_group

    def create_replication_group(self, *args, **kwargs):
        group = original_create(self, *args, **kwargs)
        if group.cluster_mode != "enabled":
            node_group = group.node_groups[0]
            node_group["reader_endpoint"] = {"Address": node_group["reader_endpoint_address"], "Port": group.port}
            count = kwargs.get("num_cache_clusters") or (kwargs.get("replicas_per_node_group") or 0) + 1
            group.member_clusters = []
            _elasticache_set_members(self, group, count)
        return group

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        group = original_delete(self, replication_group_id, retain_primary_cluster)
        for cluster_id in list(group.member_clusters):
            if self.cache_clusters.pop(cluster_id, None) is not None:
                self.tagging_service.delete_all_tags_for_resource(
                    group.arn.replace(":replicationgroup:" + replication_group_id, ":cluster:" + cluster_id))
        self.replication_groups.pop(replication_group_id, None)
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    ElastiCacheBackend.create_replication_group = create_replication_group
    ElastiCacheBackend.delete_replication_group = delete_replication_group


def patch_elasticache_modify_replication_group():
    """ModifyReplicationGroup, for the settings of a replication group and of its clusters.

    AWS: ModifyReplicationGroup "Modifies the settings for a replication group": among others
    ReplicationGroupDescription, AutomaticFailoverEnabled, MultiAZEnabled, SecurityGroupIds ("This
    parameter can be used only with replication group containing clusters running in an Amazon
    Virtual Private Cloud"), EngineVersion ("The upgraded version of the cache engine to be run on
    the clusters in the replication group") and CacheNodeType ("A valid cache node type that you want
    to scale this replication group to"); it returns the ReplicationGroup, and an unknown group is
    ReplicationGroupNotFoundFault
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyReplicationGroup.html).
    ApplyImmediately "If true, this parameter causes the modifications in this request and any pending
    modifications to be applied, asynchronously and as soon as possible ... If false, changes to the nodes in the
    replication group are applied on the next maintenance reboot ... Default: false" (same page): without it the
    node type, engine version and automatic failover wait, reported as the group's PendingModifiedValues
    (AutomaticFailoverStatus, https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ReplicationGroupPendingModifiedValues.html)
    and its clusters' (CacheNodeType, EngineVersion,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_PendingModifiedValues.html); a later call with
    ApplyImmediately true applies them too. Description, Multi-AZ and security groups change at once either way.
    moto 5.2.x does not implement it (HTTP 500). As moto's groups change at once, the changes applied here
    are in effect (status available) when the call returns, as with ApplyImmediately on AWS.
    """
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import ReplicationGroupNotFound
    from moto.elasticache.responses import ElastiCacheResponse

    def modify_replication_group(self):
        backend = self.elasticache_backend
        group_id = self._get_param("ReplicationGroupId")
        group = backend.replication_groups.get(group_id)
        if group is None:
            raise ReplicationGroupNotFound(group_id)
        description = self._get_param("ReplicationGroupDescription")
        if description is not None:
            group.description = description
        pending = getattr(group, "infra_pending", {})
        failover = self._get_bool_param("AutomaticFailoverEnabled")
        if failover is not None:
            pending["automatic_failover"] = "enabled" if failover else "disabled"
        if self._get_param("CacheNodeType"):
            pending["cache_node_type"] = self._get_param("CacheNodeType")
        if self._get_param("EngineVersion"):
            pending["engine_version"] = self._get_param("EngineVersion")
        if self._get_bool_param("ApplyImmediately"):
            for name, value in pending.items():
                setattr(group, name, value)
            pending = {}
        group.infra_pending = pending
        group.pending_modified_values = {"AutomaticFailoverStatus": pending["automatic_failover"]} \
            if "automatic_failover" in pending else {}
        multi_az = self._get_bool_param("MultiAZEnabled")
        if multi_az is not None:
            group.multi_az = "enabled" if multi_az else "disabled"
        security_group_ids = self._get_param("SecurityGroupIds")
        if security_group_ids is not None:
            group.security_group_ids = list(security_group_ids)
        for cluster_id in group.member_clusters:
            cluster = backend.cache_clusters.get(cluster_id)
            if cluster is None:
                continue
            cluster.cache_node_type = group.cache_node_type
            cluster.engine_version = group.engine_version
            cluster.pending_modified_values = {key: pending[name] for key, name in (
                ("CacheNodeType", "cache_node_type"), ("EngineVersion", "engine_version")) if name in pending}
            if security_group_ids is not None:
                cluster.security_group_ids = list(security_group_ids)
                cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in security_group_ids]
        return ActionResult({"ReplicationGroup": group})

    ElastiCacheResponse.modify_replication_group = modify_replication_group


def patch_elasticache_replica_count():
    """IncreaseReplicaCount and DecreaseReplicaCount, for replication groups with cluster mode disabled.

    AWS: IncreaseReplicaCount "Dynamically increases the number of replicas in a Valkey or Redis OSS
    (cluster mode disabled) replication group"; DecreaseReplicaCount "Dynamically decreases the
    number of replicas"; NewReplicaCount is the number of replicas wanted (the group then has that
    many clusters plus the primary), ApplyImmediately "If True, the number of replica nodes is
    increased immediately. ApplyImmediately=False is not currently supported." For Valkey or Redis
    OSS (cluster mode disabled) the minimum number of replicas is 1 if Multi-AZ is enabled, else 0
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_IncreaseReplicaCount.html,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DecreaseReplicaCount.html).
    moto 5.2.x implements neither (HTTP 500). Replicas are added or removed at once here (moto's
    groups are available at once): new ones are named <group>-00N after the last, the last ones go.
    """
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import InvalidParameterValueException, ReplicationGroupNotFound
    from moto.elasticache.responses import ElastiCacheResponse

    def change(self, increase):
        backend = self.elasticache_backend
        group_id = self._get_param("ReplicationGroupId")
        group = backend.replication_groups.get(group_id)
        if group is None:
            raise ReplicationGroupNotFound(group_id)
        if not self._get_bool_param("ApplyImmediately"):
            raise InvalidParameterValueException("ApplyImmediately=False is not currently supported.")
        wanted = self._get_int_param("NewReplicaCount")
        current = len(group.member_clusters) - 1
        if wanted is None or (increase and wanted <= current) or (not increase and wanted >= current):
            raise InvalidParameterValueException(
                f"NewReplicaCount must be {'greater' if increase else 'less'} than the current number of replicas ({current}).")
        if wanted < (1 if group.multi_az == "enabled" else 0):
            raise InvalidParameterValueException("A replication group with Multi-AZ enabled must have at least one replica.")
        _elasticache_set_members(backend, group, wanted + 1)
        return ActionResult({"ReplicationGroup": group})

    ElastiCacheResponse.increase_replica_count = lambda self: change(self, True)
    ElastiCacheResponse.decrease_replica_count = lambda self: change(self, False)


def patch_elasticache_delete_cache_subnet_group():
    """DeleteCacheSubnetGroup.

    AWS: DeleteCacheSubnetGroup "Deletes a cache subnet group. You cannot delete a default cache
    subnet group or one that is associated with any clusters"; an unknown group is
    CacheSubnetGroupNotFoundFault, one in use CacheSubnetGroupInUse ("The requested cache subnet group
    is currently in use"), both HTTP 400; the response has no body elements
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteCacheSubnetGroup.html). A cluster
    being deleted is still associated with the group until it is gone, so it counts too (moto leaves a standalone
    cluster "deleting" for ever; replication groups and their clusters go at once, see
    patch_elasticache_replication_group_members).
    moto 5.2.x does not implement it (HTTP 500).
    """
    from moto.core.responses import EmptyResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException
    from moto.elasticache.responses import ElastiCacheResponse

    class CacheSubnetGroupInUse(ElastiCacheException):
        code = "CacheSubnetGroupInUse"

    def delete_cache_subnet_group(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        group = backend.cache_subnet_groups.get(name)
        if group is None:
            raise CacheSubnetGroupNotFound(name)
        users = [c for c in backend.cache_clusters.values() if c.cache_subnet_group_name == name]
        users += [g for g in backend.replication_groups.values() if g.cache_subnet_group_name == name]
        if users:
            raise CacheSubnetGroupInUse(f"Cache subnet group {name} is currently in use by a cache cluster.")
        del backend.cache_subnet_groups[name]
        backend.tagging_service.delete_all_tags_for_resource(group.arn)
        return EmptyResult()

    ElastiCacheResponse.delete_cache_subnet_group = delete_cache_subnet_group


def patch_elasticache_modify_cache_subnet_group():
    """ModifyCacheSubnetGroup.

    AWS: ModifyCacheSubnetGroup "Modifies an existing cache subnet group": CacheSubnetGroupDescription
    and SubnetIds ("The EC2 subnet IDs for the cache subnet group"), the subnets all in one VPC
    (InvalidSubnet otherwise); it returns the CacheSubnetGroup, and an unknown group is
    CacheSubnetGroupNotFoundFault
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyCacheSubnetGroup.html).
    moto 5.2.x does not implement it (HTTP 500). The group is rebuilt with moto's own constructor,
    which resolves and checks the subnets as CreateCacheSubnetGroup does; its tags stay.
    """
    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import CacheSubnetGroupNotFound
    from moto.elasticache.models import CacheSubnetGroup
    from moto.elasticache.responses import ElastiCacheResponse

    def modify_cache_subnet_group(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        group = backend.cache_subnet_groups.get(name)
        if group is None:
            raise CacheSubnetGroupNotFound(name)
        description = self._get_param("CacheSubnetGroupDescription")
        subnet_ids = self._get_param("SubnetIds") or group.subnet_ids
        modified = CacheSubnetGroup(
            account_id=backend.account_id,
            region_name=backend.region_name,
            cache_subnet_group_name=name,
            cache_subnet_group_description=group.cache_subnet_group_description if description is None else description,
            subnet_ids=list(subnet_ids),
            tags=group.tags,
        )
        backend.cache_subnet_groups[name] = modified
        return ActionResult({"CacheSubnetGroup": modified})

    ElastiCacheResponse.modify_cache_subnet_group = modify_cache_subnet_group


# Global datastore prerequisites ("Prerequisites and limitations",
# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html): the Regions it
# lists, by their codes, and the instance families "in size large and above".
_GLOBAL_DATASTORE_REGIONS = frozenset((
    "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-5", "ap-southeast-4", "ap-south-1",
    "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-7", "ap-northeast-1",
    "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-west-2", "eu-west-1",
    "eu-south-1", "eu-west-3", "eu-south-2", "eu-north-1", "eu-central-2", "us-gov-west-1", "us-gov-east-1",
    "il-central-1", "me-south-1", "me-central-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2", "mx-central-1",
    "sa-east-1"))
_GLOBAL_DATASTORE_FAMILIES = frozenset(("m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn"))


def _global_datastore_refusal(node_type, region, members):
    """Why a Global datastore of `node_type` cannot have a member in `region` (None: not asked) beside the members'
    Regions `members` (the primary's first), or None when it can."""
    parts = (node_type or "").split(".")
    size = parts[2] if len(parts) == 3 else ""
    if len(parts) != 3 or parts[1] not in _GLOBAL_DATASTORE_FAMILIES \
            or not (size in ("large", "metal") or size.endswith("xlarge")):
        return "Global replication group is not supported for the node type."
    if region is None:
        return None
    if region not in _GLOBAL_DATASTORE_REGIONS:
        return f"Global datastores are not supported in the Region {region}."
    if len(members) > 2:
        return "A Global datastore replicates to secondary clusters in up to two other Regions."
    china = {"cn-north-1", "cn-northwest-1"}
    if members and ((members[0] in china) != (region in china)
                    or members[0].startswith("us-gov-") != region.startswith("us-gov-")):
        return f"A Global datastore of {members[0]} cannot have a secondary in {region}: replication stays within " \
               "its partition, and between the two China Regions only."
    return None


def patch_elasticache_global_datastore():
    """Global Datastore: CreateGlobalReplicationGroup, DescribeGlobalReplicationGroups,
    ModifyGlobalReplicationGroup, DeleteGlobalReplicationGroup, DisassociateGlobalReplicationGroup,
    and CreateReplicationGroup with GlobalReplicationGroupId (a secondary in another Region).

    AWS: CreateGlobalReplicationGroup makes a Global datastore of PrimaryReplicationGroupId, "the
    primary cluster that accepts writes and will replicate updates to the secondary cluster";
    "Amazon ElastiCache automatically applies a prefix to the Global datastore ID when it is created.
    Each Amazon Region has its own prefix" (errors: ReplicationGroupNotFoundFault,
    GlobalReplicationGroupAlreadyExistsFault)
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateGlobalReplicationGroup.html);
    the prefixes per Region, e.g. us-east-1 "ldgnf", give ids such as ldgnf-<suffix>
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-CLI.html).
    DescribeGlobalReplicationGroups "Returns information about a particular global replication group.
    If no identifier is specified, returns information about all Global datastores"; ShowMemberInfo
    "Returns the list of members that comprise the Global datastore"; an unknown id is
    GlobalReplicationGroupNotFoundFault (HTTP 404)
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeGlobalReplicationGroups.html).
    The GlobalReplicationGroup has GlobalReplicationGroupId, GlobalReplicationGroupDescription, Status,
    CacheNodeType, Engine, EngineVersion, Members (GlobalReplicationGroupMember: ReplicationGroupId,
    ReplicationGroupRegion, Role "primary or secondary", AutomaticFailover, Status), ClusterEnabled,
    AuthTokenEnabled, TransitEncryptionEnabled, AtRestEncryptionEnabled, ARN
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_GlobalReplicationGroup.html,
    https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_GlobalReplicationGroupMember.html).
    ModifyGlobalReplicationGroup "Modifies the settings for a Global datastore" (here its
    GlobalReplicationGroupDescription; ApplyImmediately is required)
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ModifyGlobalReplicationGroup.html).
    DeleteGlobalReplicationGroup: "First, you must DisassociateGlobalReplicationGroup to remove the
    secondary clusters in the Global datastore. Once the Global datastore contains only the primary
    cluster, you can use the DeleteGlobalReplicationGroup API to delete the Global datastore while
    retainining the primary cluster"; "The primary cluster is never deleted when deleting a Global
    Datastore. It can only be deleted when it no longer is associated with any Global Datastore";
    errors GlobalReplicationGroupNotFoundFault and InvalidGlobalReplicationGroupState ("The Global
    datastore is not available or in primary-only state")
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteGlobalReplicationGroup.html).
    DisassociateGlobalReplicationGroup removes "a secondary cluster from the Global datastore ... The
    secondary cluster will no longer receive updates from the primary cluster, but will remain as a
    standalone cluster in that Amazon region" (GlobalReplicationGroupId, ReplicationGroupId,
    ReplicationGroupRegion)
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DisassociateGlobalReplicationGroup.html).
    CreateReplicationGroup's GlobalReplicationGroupId makes the new group a member of that Global
    datastore (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html):
    "All clusters—primary and secondary—in your global datastore should have the same number of
    primary nodes, node type, engine version", and "the secondary cluster inherits the Multi-AZ and
    automatic failover settings from the primary cluster"
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html);
    AWS refuses the settings a secondary inherits with InvalidParameterCombination "Cannot use the given
    parameters when creating new replication group in an existing global replication group". A member's
    DescribeReplicationGroups shows GlobalReplicationGroupInfo (GlobalReplicationGroupId,
    GlobalReplicationGroupMemberRole)
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_GlobalReplicationGroupInfo.html).
    What the prerequisites refuse is refused here too ("Prerequisites and limitations",
    https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html, see
    _global_datastore_refusal): a node type outside the M5, M6g, M7g, R5, R6g, R6gd, R7g and C7gn families or below
    large (InvalidParameterValue "Global replication group is not supported for the node type.", as AWS answers,
    terraform-provider-aws#17768), a Region the page does not list, a third secondary ("a secondary cluster in up to two
    other AWS Regions"), a secondary of a China Region other than the other China Region, or in another partition.
    ModifyGlobalReplicationGroup's CacheNodeType ("A valid cache node type that you want to scale this Global
    datastore to") and EngineVersion ("The upgraded version of the cache engine to be run on the clusters in the Global
    datastore") change every member; ModifyReplicationGroup of a member's node type or engine version is refused with
    InvalidParameterValue "Cluster [<id>] is part of a global cluster [<global id>]. Request rejected."
    (terraform-provider-aws#27875, #22528): those change through the datastore.
    moto 5.2.x implements none of the Global datastore calls (HTTP 500) and takes a secondary's
    GlobalReplicationGroupId without checking or inheriting anything.
    A Global datastore belongs to the account, not to one Region: it is kept with its primary's
    Region and found from any Region. As moto's groups change at once, every change here is complete
    (status available) when the call returns. A Region the documentation lists no prefix for gets a
    stand-in prefix of five letters derived from its name (AWS has one, unpublished).
    """
    import hashlib

    from moto.core.responses import ActionResult
    from moto.elasticache.exceptions import (
        ElastiCacheException,
        InvalidParameterCombinationException,
        InvalidParameterValueException,
        ReplicationGroupNotFound,
    )
    from moto.elasticache.models import ElastiCacheBackend, elasticache_backends
    from moto.elasticache.responses import ElastiCacheResponse

    prefixes = {
        "us-east-2": "fpkhr", "us-east-1": "ldgnf", "us-west-1": "virxk", "us-west-2": "sgaui",
        "ca-central-1": "bxodz", "ap-south-1": "erpgt", "ap-northeast-1": "quwsw", "ap-northeast-2": "lfqnh",
        "ap-northeast-3": "nlapn", "ap-southeast-1": "vlqxn", "ap-southeast-2": "vbgxd", "eu-central-1": "iudkw",
        "eu-west-1": "gxeiz", "eu-west-2": "okuqm", "eu-west-3": "fgjhi", "sa-east-1": "juxlw",
        "cn-north-1": "emvgo", "cn-northwest-1": "ckbem", "ap-east-1": "knjmp", "us-gov-west-1": "sgwui",
    }
    inherited = ("Engine", "EngineVersion", "CacheNodeType", "CacheParameterGroupName", "TransitEncryptionEnabled",
                 "TransitEncryptionMode", "AtRestEncryptionEnabled", "NumNodeGroups", "SnapshotArns", "SnapshotName",
                 "CacheSecurityGroupNames")

    class GlobalReplicationGroupNotFound(ElastiCacheException):
        code = "GlobalReplicationGroupNotFoundFault"

        def __init__(self, global_id):
            super().__init__(f"Global replication group {global_id} not found.")

    class GlobalReplicationGroupAlreadyExists(ElastiCacheException):
        code = "GlobalReplicationGroupAlreadyExistsFault"

        def __init__(self, global_id):
            super().__init__(f"Global replication group {global_id} already exists.")

    class InvalidGlobalReplicationGroupState(ElastiCacheException):
        code = "InvalidGlobalReplicationGroupState"

    class InvalidReplicationGroupState(ElastiCacheException):
        code = "InvalidReplicationGroupState"

    def prefix(region):
        if region in prefixes:
            return prefixes[region]
        digest = hashlib.sha256(region.encode()).digest()
        return "".join(chr(ord("a") + b % 26) for b in digest[:5])

    def stores(account_id):
        """Every Region's Global datastores of the account (kept with their primary's Region)."""
        return [getattr(b, "infra_global_groups", {}) for b in elasticache_backends[account_id].values()]

    def find(account_id, global_id):
        for store in stores(account_id):
            if global_id in store:
                return store[global_id]
        raise GlobalReplicationGroupNotFound(global_id)

    def group_in(account_id, region, group_id):
        return elasticache_backends[account_id][region].replication_groups.get(group_id)

    def set_info(group, global_id, role):
        group.global_replication_group_id = global_id or ""
        if role:
            group.global_replication_group_member_role = role
        elif "global_replication_group_member_role" in group.__dict__:
            del group.global_replication_group_member_role

    def view(account_id, g, members):
        primary = next(m for m in g["Members"] if m["Role"] == "PRIMARY")
        source = group_in(account_id, primary["ReplicationGroupRegion"], primary["ReplicationGroupId"])
        out = {k: v for k, v in g.items() if k != "Members"}
        out.update(
            CacheNodeType=source.cache_node_type, Engine=source.engine, EngineVersion=source.engine_version,
            ClusterEnabled=source.cluster_mode == "enabled", AuthTokenEnabled=source.auth_token_enabled,
            TransitEncryptionEnabled=source.transit_encryption_enabled,
            AtRestEncryptionEnabled=source.at_rest_encryption_enabled)
        if members:
            out["Members"] = [dict(m) for m in g["Members"]]
            for m in out["Members"]:
                member = group_in(account_id, m["ReplicationGroupRegion"], m["ReplicationGroupId"])
                if member is not None:
                    m["AutomaticFailover"] = member.automatic_failover
        return out

    def create_global_replication_group(self):
        backend = self.elasticache_backend
        primary_id = (self._get_param("PrimaryReplicationGroupId") or "").lower()
        primary = backend.replication_groups.get(primary_id)
        if primary is None:
            raise ReplicationGroupNotFound(primary_id)
        if getattr(primary, "global_replication_group_id", ""):
            raise InvalidParameterValueException(
                f"Replication group {primary_id} is already part of global replication group "
                f"{primary.global_replication_group_id}.")
        refusal = _global_datastore_refusal(primary.cache_node_type, backend.region_name, [])
        if refusal:
            raise InvalidParameterValueException(refusal)
        global_id = prefix(backend.region_name) + "-" + self._get_param("GlobalReplicationGroupIdSuffix")
        if any(global_id in store for store in stores(backend.account_id)):
            raise GlobalReplicationGroupAlreadyExists(global_id)
        g = {
            "GlobalReplicationGroupId": global_id,
            "GlobalReplicationGroupDescription": self._get_param("GlobalReplicationGroupDescription") or "",
            "Status": "available",
            "ARN": f"arn:{self.partition}:elasticache::{backend.account_id}:globalreplicationgroup:{global_id}",
            "Members": [{"ReplicationGroupId": primary_id, "ReplicationGroupRegion": backend.region_name,
                         "Role": "PRIMARY", "Status": "associated"}],
        }
        if not hasattr(backend, "infra_global_groups"):
            backend.infra_global_groups = {}
        backend.infra_global_groups[global_id] = g
        set_info(primary, global_id, "PRIMARY")
        return ActionResult({"GlobalReplicationGroup": view(backend.account_id, g, True)})

    def describe_global_replication_groups(self):
        account_id = self.elasticache_backend.account_id
        global_id = self._get_param("GlobalReplicationGroupId")
        members = bool(self._get_bool_param("ShowMemberInfo"))
        groups = [find(account_id, global_id)] if global_id else [
            g for store in stores(account_id) for g in store.values()]
        return ActionResult({"GlobalReplicationGroups": [view(account_id, g, members) for g in groups]})

    def modify_global_replication_group(self):
        account_id = self.elasticache_backend.account_id
        g = find(account_id, self._get_param("GlobalReplicationGroupId"))
        if self._get_bool_param("ApplyImmediately") is None:
            raise InvalidParameterValueException("The parameter ApplyImmediately must be provided.")
        description = self._get_param("GlobalReplicationGroupDescription")
        node_type = self._get_param("CacheNodeType")
        engine_version = self._get_param("EngineVersion")
        if node_type:
            refusal = _global_datastore_refusal(node_type, None, [])
            if refusal:
                raise InvalidParameterValueException(refusal)
        if description is not None:
            g["GlobalReplicationGroupDescription"] = description
        for m in g["Members"]:
            member = group_in(account_id, m["ReplicationGroupRegion"], m["ReplicationGroupId"])
            if member is None:
                continue
            member.cache_node_type = node_type or member.cache_node_type
            member.engine_version = engine_version or member.engine_version
            clusters = elasticache_backends[account_id][m["ReplicationGroupRegion"]].cache_clusters
            for cluster_id in member.member_clusters:
                if cluster_id in clusters:
                    clusters[cluster_id].cache_node_type = member.cache_node_type
                    clusters[cluster_id].engine_version = member.engine_version
        return ActionResult({"GlobalReplicationGroup": view(account_id, g, False)})

    def delete_global_replication_group(self):
        account_id = self.elasticache_backend.account_id
        global_id = self._get_param("GlobalReplicationGroupId")
        g = find(account_id, global_id)
        secondaries = [m["ReplicationGroupId"] + " (" + m["ReplicationGroupRegion"] + ")"
                       for m in g["Members"] if m["Role"] != "PRIMARY"]
        if secondaries:
            raise InvalidGlobalReplicationGroupState(
                f"Global replication group {global_id} still has secondary members: {', '.join(secondaries)}. "
                "Disassociate them (DisassociateGlobalReplicationGroup) before deleting it.")
        out = view(account_id, g, False)
        out["Status"] = "deleting"
        for m in g["Members"]:
            member = group_in(account_id, m["ReplicationGroupRegion"], m["ReplicationGroupId"])
            if member is not None:
                set_info(member, None, None)
        for store in stores(account_id):
            store.pop(global_id, None)
        return ActionResult({"GlobalReplicationGroup": out})

    def disassociate_global_replication_group(self):
        account_id = self.elasticache_backend.account_id
        global_id = self._get_param("GlobalReplicationGroupId")
        group_id = self._get_param("ReplicationGroupId")
        region = self._get_param("ReplicationGroupRegion")
        g = find(account_id, global_id)
        member = next((m for m in g["Members"]
                       if m["ReplicationGroupId"] == group_id and m["ReplicationGroupRegion"] == region), None)
        if member is None:
            raise InvalidParameterValueException(
                f"Replication group {group_id} in {region} is not associated with Global Replication Group {global_id}.")
        if member["Role"] == "PRIMARY":
            raise InvalidParameterValueException(
                f"Replication group {group_id} is the primary of Global Replication Group {global_id}; "
                "only secondary clusters can be disassociated.")
        g["Members"].remove(member)
        secondary = group_in(account_id, region, group_id)
        if secondary is not None:
            set_info(secondary, None, None)
        return ActionResult({"GlobalReplicationGroup": view(account_id, g, False)})

    original_create = ElastiCacheResponse.create_replication_group

    def create_replication_group(self):
        global_id = self._get_param("GlobalReplicationGroupId")
        if not global_id:
            return original_create(self)
        backend = self.elasticache_backend
        g = find(backend.account_id, global_id)
        if any(self._get_param(name) not in (None, [], "") for name in inherited):
            raise InvalidParameterCombinationException(
                "Cannot use the given parameters when creating new replication group in an existing global "
                "replication group.")
        primary_member = next(m for m in g["Members"] if m["Role"] == "PRIMARY")
        if primary_member["ReplicationGroupRegion"] == backend.region_name:
            raise InvalidParameterValueException(
                "A secondary replication group must be in a different Region from the primary.")
        primary = group_in(backend.account_id, primary_member["ReplicationGroupRegion"],
                           primary_member["ReplicationGroupId"])
        refusal = _global_datastore_refusal(primary.cache_node_type, backend.region_name,
                                            [m["ReplicationGroupRegion"] for m in g["Members"]])
        if refusal:
            raise InvalidParameterValueException(refusal)
        # The secondary takes the datastore's settings: what the primary runs.
        self.params.update(
            Engine=primary.engine, CacheNodeType=primary.cache_node_type,
            TransitEncryptionEnabled=bool(primary.transit_encryption_enabled),
            AtRestEncryptionEnabled=bool(primary.at_rest_encryption_enabled),
            AutomaticFailoverEnabled=primary.automatic_failover == "enabled",
            MultiAZEnabled=primary.multi_az == "enabled")
        if primary.engine_version:
            self.params["EngineVersion"] = primary.engine_version
        for name in ("GlobalReplicationGroupId", "AuthToken", "AuthTokenEnabled"):
            self.params.pop(name, None)
        result = original_create(self)
        group = backend.replication_groups[self._get_param("ReplicationGroupId")]
        group.auth_token_enabled = primary.auth_token_enabled
        for cluster_id in group.member_clusters:
            cluster = backend.cache_clusters.get(cluster_id)
            if cluster is not None:
                cluster.auth_token_enabled = primary.auth_token_enabled
        set_info(group, global_id, "SECONDARY")
        g["Members"].append({"ReplicationGroupId": group.replication_group_id,
                             "ReplicationGroupRegion": backend.region_name, "Role": "SECONDARY",
                             "Status": "associated"})
        return result

    original_delete = ElastiCacheBackend.delete_replication_group

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        group = self.replication_groups.get(replication_group_id)
        if group is not None and getattr(group, "global_replication_group_id", ""):
            raise InvalidReplicationGroupState(
                f"Replication group {replication_group_id} is part of global replication group "
                f"{group.global_replication_group_id}; it can only be deleted once it is no longer associated with it.")
        return original_delete(self, replication_group_id, retain_primary_cluster)

    original_modify = ElastiCacheResponse.modify_replication_group

    def modify_replication_group(self):
        group = self.elasticache_backend.replication_groups.get(self._get_param("ReplicationGroupId"))
        global_id = getattr(group, "global_replication_group_id", "") if group is not None else ""
        if global_id and (self._get_param("CacheNodeType") or self._get_param("EngineVersion")):
            raise InvalidParameterValueException(f"Cluster [{group.replication_group_id}] is part of a global cluster "
                                                 f"[{global_id}]. Request rejected.")
        return original_modify(self)

    ElastiCacheResponse.modify_replication_group = modify_replication_group
    ElastiCacheResponse.create_global_replication_group = create_global_replication_group
    ElastiCacheResponse.describe_global_replication_groups = describe_global_replication_groups
    ElastiCacheResponse.modify_global_replication_group = modify_global_replication_group
    ElastiCacheResponse.delete_global_replication_group = delete_global_replication_group
    ElastiCacheResponse.disassociate_global_replication_group = disassociate_global_replication_group
    ElastiCacheResponse.create_replication_group = create_replication_group
    ElastiCacheBackend.delete_replication_group = delete_replication_group


def patch_ebs_encryption_by_default_applies():
    """With EBS encryption by default on, every new volume is encrypted with the default KMS key.

    AWS: "After you enable encryption by default, the EBS volumes that you create are always
    encrypted, either using the AWS managed key or a customer managed key that you specified when
    you created the volume" — including the root volumes of new instances; the key is the one set
    with ModifyEbsDefaultKmsKeyId (https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableEbsEncryptionByDefault.html).
    moto 5.2.x records the setting but creates unencrypted volumes regardless.
    """
    from moto.ec2.models.elastic_block_store import EBSBackend

    original = EBSBackend.create_volume

    def create_volume(self, size, zone_name, snapshot_id=None, encrypted=False, kms_key_id=None, *args, **kwargs):
        if getattr(self, "ebs_encryption_by_default", False) and not encrypted:
            encrypted = True
        return original(self, size, zone_name, snapshot_id, encrypted, kms_key_id, *args, **kwargs)

    EBSBackend.create_volume = create_volume


def patch_ebs_snapshot_kms_key_id():
    """A snapshot of an encrypted volume is encrypted with the volume's KMS key.

    AWS: "Snapshots that are taken from encrypted volumes are automatically encrypted" (CreateSnapshot,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html), and DescribeSnapshots
    reports KmsKeyId, "The Amazon Resource Name (ARN) of the KMS key that was used to protect the volume
    encryption key for the parent volume" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Snapshot.html).
    moto 5.2.x marks the snapshot encrypted but drops the key (KmsKeyId absent).
    """
    from moto.ec2.models.elastic_block_store import EBSBackend

    original = EBSBackend.create_snapshot

    def create_snapshot(self, volume_id, *args, **kwargs):
        snapshot = original(self, volume_id, *args, **kwargs)
        if snapshot.kms_key_id is None:
            snapshot.kms_key_id = self.get_volume(volume_id).kms_key_id
        return snapshot

    EBSBackend.create_snapshot = create_snapshot


def patch_launch_template_version_user_data():
    """Instances launched from a launch template version made by CreateLaunchTemplateVersion.

    AWS: CreateLaunchTemplateVersion takes LaunchTemplateData.UserData (base64) like
    CreateLaunchTemplate, and Auto Scaling launches instances from any version
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_RequestLaunchTemplateData.html).
    moto 5.2.x keeps a new version's UserData as a plain str, then fails an assertion (HTTP 500)
    when an Auto Scaling group launches from that version (scale-out, instance refresh).
    """
    from moto.core.types import Base64EncodedString
    from moto.ec2.models.launch_templates import LaunchTemplateVersion

    def user_data(self):
        value = self.data.get("UserData")
        if isinstance(value, str):
            value = Base64EncodedString(value)
        return value

    LaunchTemplateVersion.user_data = property(user_data)


def patch_kms_multi_region_configuration():
    """DescribeKey reports each multi-Region key's own MultiRegionConfiguration; reading a replica changes nothing.

    AWS: KeyMetadata.MultiRegionConfiguration "Lists the primary and replica keys in same multi-Region
    key", with MultiRegionKeyType "Indicates whether the KMS key is a PRIMARY or REPLICA key",
    PrimaryKey "Displays the key ARN and Region of the primary key. This field includes the current
    KMS key if it is the primary key" and ReplicaKeys "displays Regions and key ARNs for all replica
    keys. This field includes the current KMS key if it is a replica key"
    (https://docs.aws.amazon.com/kms/latest/APIReference/API_MultiRegionConfiguration.html); DescribeKey
    only reads (https://docs.aws.amazon.com/kms/latest/APIReference/API_DescribeKey.html). moto 5.2.x
    gives a primary and its replicas one shared configuration dict, and its describe_key sets that
    dict's MultiRegionKeyType to REPLICA when it reads a replica: after a DescribeKey of a replica the
    primary, too, reads as REPLICA. This patch leaves describe_key read-only and has each key report
    PRIMARY when it is the primary key (its ARN is PrimaryKey.Arn), else REPLICA, with the shared
    PrimaryKey and ReplicaKeys.
    """
    from moto.kms.models import Key, KmsBackend

    def describe_key(self, key_id):
        return self.keys[self.any_id_to_key_id(key_id)]

    original_to_dict = Key.to_dict

    def to_dict(self):
        key_dict = original_to_dict(self)
        if self.multi_region:
            shared = self.multi_region_configuration
            key_dict["KeyMetadata"]["MultiRegionConfiguration"] = {
                "MultiRegionKeyType": "PRIMARY" if self.arn == shared["PrimaryKey"]["Arn"] else "REPLICA",
                "PrimaryKey": dict(shared["PrimaryKey"]),
                "ReplicaKeys": [dict(replica) for replica in shared["ReplicaKeys"]],
            }
        return key_dict

    KmsBackend.describe_key = describe_key
    Key.to_dict = to_dict


def patch_kms_replicate_key():
    """ReplicateKey takes the primary key by id or ARN, and gives the replica its own Description, Policy and Tags.

    AWS: ReplicateKey's KeyId "Identifies the multi-Region primary key that is being replicated", given
    as key ID or key ARN; Description is "A description of the KMS key. The default value is an empty
    string (no description)"; Policy is the replica's key policy ("If you do not specify a key policy,
    AWS KMS attaches the default key policy to the KMS key"); Tags "Assigns one or more tags to the
    replica key"; the response has ReplicaKeyMetadata and ReplicaPolicy, the replica's key policy
    (https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html). Description, key policy
    and tags are not shared properties of multi-Region keys
    (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html#mrk-sync-properties).
    moto 5.2.x looks the key up by raw id only (an ARN fails) and ignores Description, Policy and Tags:
    the replica copies the primary's description and policy and has no tags. Its replica is a shallow
    copy, so primary and replica also shared one alias and one grant table: an alias made in the
    replica's region showed in the primary's, and deleting it there deleted the primary's. Aliases and
    grants are per-Region ("Aliases ... grants ... are not shared", same page), so the replica gets its own.
    """
    import json

    from moto.kms.models import kms_backends
    from moto.kms.responses import KmsResponse

    def replicate_key(self):
        key_id = self._get_param("KeyId")
        self._validate_key_id(key_id)
        replica_region = self._get_param("ReplicaRegion")
        replica = self.kms_backend.replicate_key(self.kms_backend.get_key_id(key_id), replica_region)
        replica.aliases = {}
        replica.grants = {}
        replica.rotations = []
        replica.description = self._get_param("Description") or ""
        replica.policy = self._get_param("Policy") or replica.generate_default_policy()
        tags = self._get_param("Tags")
        if tags:
            kms_backends[self.current_account][replica_region].tag_resource(replica.id, tags)
        return json.dumps({"ReplicaKeyMetadata": replica.to_dict()["KeyMetadata"], "ReplicaPolicy": replica.policy})

    KmsResponse.replicate_key = replicate_key


def patch_secretsmanager_replica_kms_key():
    """A replica secret is encrypted with the KmsKeyId given for its Region.

    AWS: ReplicateSecretToRegions' AddReplicaRegions take per Region a KmsKeyId, "The ARN, key ID, or
    alias of the KMS key to encrypt the secret. If you don't include this field, Secrets Manager uses
    aws/secretsmanager" (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicaRegionType.html);
    DescribeSecret's ReplicationStatus reports that key per Region
    (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_ReplicationStatusType.html), and the
    replica, described in its Region, has that key. moto 5.2.x drops the key: ReplicationStatus always
    says aws/secretsmanager and the replica reports the primary's key (a key of another Region).
    """
    from moto.secretsmanager import models

    original = models.FakeSecret.create_replicas

    def create_replicas(self, replica_regions, force_overwrite):
        replicas = original(self, replica_regions, force_overwrite)
        for replica, config in zip(replicas, replica_regions or []):
            replica.config["KmsKeyId"] = config.get("KmsKeyId") or models.SecretsManagerBackend.DEFAULT_KMS_KEY_ALIAS
        return replicas

    original_to_dict = models.ReplicaSecret.to_dict

    def to_dict(self):
        dct = original_to_dict(self)
        dct.pop("KmsKeyId", None)
        if self.config["KmsKeyId"] != models.SecretsManagerBackend.DEFAULT_KMS_KEY_ALIAS:
            dct["KmsKeyId"] = self.config["KmsKeyId"]
        return dct

    models.FakeSecret.create_replicas = create_replicas
    models.ReplicaSecret.to_dict = to_dict


def patch_acm_dns_validation():
    """DNS validation of ACM certificates: issued once the validation CNAME is in DNS, not on a timer.

    AWS: for a certificate requested with ValidationMethod DNS, DescribeCertificate reports per domain
    name a DomainValidation whose ResourceRecord is "the CNAME record that you add to your DNS database
    for domain validation" (https://docs.aws.amazon.com/acm/latest/APIReference/API_DomainValidation.html);
    the certificate stays PENDING_VALIDATION until ACM finds that record in DNS and then becomes ISSUED
    (ACM User Guide, DNS validation: https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html;
    CertificateDetail.Status: https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html).
    moto 5.2.x reports the record but issues every AMAZON_ISSUED certificate MOTO_ACM_VALIDATION_WAIT
    seconds (60) after the request whether or not the record exists. With this patch a pending
    certificate is issued when, for each of its names, the CNAME that DescribeCertificate reports (name
    and value) is in a public hosted zone of the account that answers for it (the zone named as the
    record or a parent of it: moto has no delegation to check), and stays pending otherwise. Expiry
    stays as moto has it.
    """
    from moto.acm.models import CertBundle
    from moto.core.utils import utcnow
    from moto.route53.models import route53_backends

    def fqdn(name):
        return name.lower().rstrip(".") + "."

    def in_public_zone(account, partition, name, value):
        for zone in route53_backends[account][partition].zones.values():
            zone_name = fqdn(zone.name)
            if zone.private_zone or not (fqdn(name) == zone_name or fqdn(name).endswith("." + zone_name)):
                continue
            for rrset in zone.rrsets:
                if rrset.type == "CNAME" and fqdn(rrset.name) == fqdn(name):
                    values = [v["Value"] if isinstance(v, dict) else v for v in rrset.records or []]
                    if any(fqdn(v) == fqdn(value) for v in values):
                        return True
        return False

    def check(self):
        if self._not_valid_after(self._cert) <= utcnow():
            self.status = "EXPIRED"
            return
        if self.type == "AMAZON_ISSUED" and self.status == "PENDING_VALIDATION":
            _, partition, _, _, account, _ = self.arn.split(":", 5)
            options = self.describe()["Certificate"].get("DomainValidationOptions", [])
            if options and all(in_public_zone(account, partition, o["ResourceRecord"]["Name"],
                                              o["ResourceRecord"]["Value"]) for o in options):
                self.status = "ISSUED"

    CertBundle.check = check


# ---- realistic timing (INFRA_EMULATOR_TIME_SCALE) -------------------------------------------------------------------
# moto makes every resource ready at once, so no waiting path of the tool ever runs. With INFRA_EMULATOR_TIME_SCALE=N
# (a divisor: 60 makes one AWS minute last one second) the slow resources below stay in the state AWS reports while
# it works for AWS's typical duration / N, measured from the call that started the work; unset, nothing changes.
# Only the time is added: the states are the ones AWS documents for the resource, and what moto already refuses in
# them (CreateNodegroup on a cluster that is not ACTIVE) it refuses here too. Kept apart from the gap fills above:
# one table, one helper, one function that installs them all.

# Typical AWS durations in seconds (the tool's own estimates, dev.infra.core.apply.TypicalDurations, use the same
# figures). Sources: the service guides' own words where they give one, else the time Terraform's AWS provider
# documents or observes for the resource; docs/emulator.md lists each with its page.
TYPICAL_SECONDS = {
    # "It can take a few minutes for the NAT gateway to become available": VPC User Guide, NAT gateways,
    # https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html ; deleting: about a minute
    "nat_gateway_create": 120,
    "nat_gateway_delete": 60,
    # EKS User Guide, Create a cluster ("Cluster provisioning takes several minutes", about 10),
    # https://docs.aws.amazon.com/eks/latest/userguide/create-cluster.html ; managed node groups about 5:
    # https://docs.aws.amazon.com/eks/latest/userguide/create-managed-node-group.html
    "eks_cluster_create": 600,
    "eks_nodegroup_create": 300,
    # deleting: a few minutes each (EKS User Guide, Delete a cluster,
    # https://docs.aws.amazon.com/eks/latest/userguide/delete-cluster.html)
    "eks_cluster_delete": 300,
    "eks_nodegroup_delete": 300,
    # updates, InProgress until Successful: a control plane version update about 10 minutes (EKS User Guide,
    # Update existing cluster, https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html), a configuration
    # or node group scaling update a couple of minutes
    "eks_cluster_version_update": 600,
    "eks_update": 120,
    # OpenSearch Developer Guide, Creating domains (new domains take 15-30 minutes to initialize),
    # https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createupdatedomains.html
    "opensearch_domain_create": 1200,
    # deleting: about ten minutes, the domain listed meanwhile with Deleted true
    "opensearch_domain_delete": 600,
    # ElastiCache User Guide, Creating a replication group (status creating, then available, about 10 minutes),
    # https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Replication.CreatingRepGroup.html
    "elasticache_replication_group_create": 600,
    # deleting: status deleting for some minutes
    "elasticache_replication_group_delete": 300,
    # ElastiCache User Guide, Global Datastore (creating, then primary-only), about 20 minutes,
    # https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Console.html
    "elasticache_global_datastore_create": 1200,
    # DynamoDB Developer Guide, global tables: a new replica is CREATING (an empty table: a few minutes),
    # https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables.tutorial.html
    "dynamodb_replica_create": 300,
    # ACM User Guide, DNS validation: PENDING_VALIDATION until ACM sees the record, usually minutes,
    # https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html
    "acm_validation": 120,
    # ELB User Guide, load balancer state: provisioning, then active, a few minutes,
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-state
    "alb_provisioning": 180,
}


def _time_scale():
    """The divisor INFRA_EMULATOR_TIME_SCALE names, or None when it is unset (everything ready at once)."""
    import os

    value = os.environ.get("INFRA_EMULATOR_TIME_SCALE", "").strip()
    if not value:
        return None
    scale = float(value)
    if scale <= 0:
        raise SystemExit(f"INFRA_EMULATOR_TIME_SCALE must be a positive number (a divisor), got {value}")
    return scale


def _busy_until(kind, scale):
    """The monotonic time until which work of this kind, started now, is still going on."""
    import time

    return time.monotonic() + TYPICAL_SECONDS[kind] / scale


def _still(deadline):
    import time

    return deadline is not None and time.monotonic() < deadline


def _stamped(cls, kind, scale):
    """Stamps each new cls object with the time its kind's work ends (_infra_ready_at)."""
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        self.__dict__["_infra_ready_at"] = _busy_until(kind, scale)
        original_init(self, *args, **kwargs)

    cls.__init__ = __init__


def _held(cls, method, kind, scale, applies=lambda self: True):
    """cls.method, moto's step to the final state, does nothing while the object's work (where `applies`) goes on."""
    _stamped(cls, kind, scale)
    original = getattr(cls, method)

    def held(self, *args, **kwargs):
        if applies(self) and _still(self.__dict__.get("_infra_ready_at")):
            return None
        return original(self, *args, **kwargs)

    setattr(cls, method, held)


def _timed_state(cls, attr, ready, busy, kind, scale, gone=None, going=None, gone_kind=None):
    """Makes cls.attr read `busy` while the object is younger than its kind's duration and its stored value is `ready`;
    with `gone`, a value set to `gone` reads `going` for gone_kind's duration first. Other values pass through."""
    stored = "_infra_timed_" + attr
    _stamped(cls, kind, scale)

    def get(self):
        value = self.__dict__.get(stored)
        if value == ready and _still(self.__dict__.get("_infra_ready_at")):
            return busy
        if gone is not None and value == gone and _still(self.__dict__.get("_infra_gone_at")):
            return going
        return value

    def set(self, value):
        if gone is not None and value == gone and self.__dict__.get(stored) != gone:
            self.__dict__["_infra_gone_at"] = _busy_until(gone_kind, scale)
        self.__dict__[stored] = value

    setattr(cls, attr, property(get, set))


def apply_time_scale():
    """Installs the typical durations above, divided by INFRA_EMULATOR_TIME_SCALE; nothing when it is unset.

    The states, as the API references name them: NatGateway.State pending → available, deleting → deleted
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_NatGateway.html); Cluster.status and
    Nodegroup.status CREATING → ACTIVE (https://docs.aws.amazon.com/eks/latest/APIReference/API_Cluster.html,
    API_Nodegroup.html); DomainStatus Created false and Processing true until the domain is up, with no Endpoint yet
    (https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainStatus.html);
    ReplicationGroup.Status creating → available
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ReplicationGroup.html);
    GlobalReplicationGroup.Status creating → available
    (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_GlobalReplicationGroup.html);
    ReplicaDescription.ReplicaStatus CREATING → ACTIVE, and the replica table's TableStatus CREATING
    (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ReplicaDescription.html);
    CertificateDetail.Status PENDING_VALIDATION → ISSUED
    (https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html); LoadBalancerState.Code
    provisioning → active (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_LoadBalancerState.html).
    EKS updates (UpdateClusterVersion, UpdateClusterConfig, UpdateNodegroupConfig) are InProgress in their answer and
    in DescribeUpdate until their duration has passed, then Successful
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_Update.html). Deletes of EKS clusters and node groups (status DELETING), ElastiCache replication groups (deleting) and OpenSearch
    domains (Deleted true, Processing true) leave the resource visible in that state for its delete duration, then it
    is gone (NotFound), as AWS has it; moto forgets them at once. A repeated delete meanwhile is answered as the first.
    Runs after the gap fills, as it wraps some of them (the Global Datastore, DynamoDB replicas, ACM validation, the
    EKS and ElastiCache deletes).
    """
    scale = _time_scale()
    if scale is None:
        return
    import threading

    from moto.acm.models import CertBundle
    from moto.core.responses import BaseResponse
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from moto.ec2.models.nat_gateways import NatGateway
    from moto.core.utils import utcnow
    from moto.eks.models import Cluster, EKSBackend, Nodegroup
    from moto.eks.responses import EKSResponse
    from moto.elasticache.models import ElastiCacheBackend, ReplicationGroup
    from moto.elasticache.responses import ElastiCacheResponse
    from moto.elbv2.models import FakeLoadBalancer
    from moto.opensearch.models import OpenSearchDomain, OpenSearchServiceBackend

    _timed_state(NatGateway, "state", "available", "pending", "nat_gateway_create", scale,
                 gone="deleted", going="deleting", gone_kind="nat_gateway_delete")
    _timed_state(Cluster, "status", "ACTIVE", "CREATING", "eks_cluster_create", scale)
    _timed_state(Nodegroup, "status", "ACTIVE", "CREATING", "eks_nodegroup_create", scale)
    _timed_state(ReplicationGroup, "status", "available", "creating", "elasticache_replication_group_create", scale)
    _timed_state(OpenSearchDomain, "processing", False, True, "opensearch_domain_create", scale)

    domain_to_dict = OpenSearchDomain.to_dict

    def opensearch_to_dict(self):
        d = domain_to_dict(self)
        if _still(self.__dict__.get("_infra_ready_at")) and not self.deleted:
            d["Created"] = False
            d.pop("Endpoint", None)
            d.pop("Endpoints", None)
        return d

    OpenSearchDomain.to_dict = opensearch_to_dict

    _held(FakeLoadBalancer, "activate", "alb_provisioning", scale)
    _held(CertBundle, "check", "acm_validation", scale, applies=lambda cert: cert.status == "PENDING_VALIDATION")

    # Global Datastores are the launcher's own dicts: time them by id, in the responses.
    global_ready_at = {}
    create_global = ElastiCacheResponse.create_global_replication_group
    describe_global = ElastiCacheResponse.describe_global_replication_groups

    def creating(view):
        if view.get("Status") in ("available", "primary-only") and _still(global_ready_at.get(view["ARN"])):
            view["Status"] = "creating"
        return view

    def create_global_replication_group(self):
        result = create_global(self)
        view = result.result["GlobalReplicationGroup"]
        global_ready_at[view["ARN"]] = _busy_until("elasticache_global_datastore_create", scale)
        creating(view)
        return result

    def describe_global_replication_groups(self):
        result = describe_global(self)
        for view in result.result["GlobalReplicationGroups"]:
            creating(view)
        return result

    ElastiCacheResponse.create_global_replication_group = create_global_replication_group
    ElastiCacheResponse.describe_global_replication_groups = describe_global_replication_groups

    # A DynamoDB replica is a table the gap fill makes in the other region: it is CREATING there, and CREATING in
    # every member's Replicas, until its time is up.
    update_table = DynamoHandler.update_table

    def update_table_timed(self):
        name = self._get_param("TableName")
        regions = [u["Create"]["RegionName"] for u in self._get_param("ReplicaUpdates") or [] if "Create" in u]
        backends = dynamodb_backends[self.current_account]
        before = {r for r in regions if name in backends[r].tables}
        result = update_table(self)
        for region in regions:
            if region not in before and name in backends[region].tables:
                backends[region].tables[name]._infra_ready_at = _busy_until("dynamodb_replica_create", scale)
        return result

    table_describe = Table.describe

    def describe(self, base_key="TableDescription"):
        result = table_describe(self, base_key)
        d = result[base_key]
        if _still(getattr(self, "_infra_ready_at", None)):
            d["TableStatus"] = "CREATING"
        for replica in d.get("Replicas", []):
            other = dynamodb_backends[self.account_id][replica["RegionName"]].tables.get(self.name)
            if other is not None and _still(getattr(other, "_infra_ready_at", None)):
                replica["ReplicaStatus"] = "CREATING"
        return result

    DynamoHandler.update_table = update_table_timed
    Table.describe = describe

    # Deletes: what moto removed goes back into its backend's dict in its deleting state; each request first drops
    # those whose time is up.
    lingering = {}  # id(obj) -> (container, key, obj, gone_at, then)
    lock = threading.Lock()

    def lingers(obj):
        return id(obj) in lingering

    def linger(container, key, obj, kind, then=lambda: None):
        container[key] = obj
        with lock:
            lingering[id(obj)] = (container, key, obj, _busy_until(kind, scale), then)

    call_action = BaseResponse.call_action

    def call_action_after_purge(self):
        with lock:
            for ident, (container, key, obj, gone_at, then) in list(lingering.items()):
                if not _still(gone_at):
                    del lingering[ident]
                    if container.get(key) is obj:
                        del container[key]
                        then()
        return call_action(self)

    BaseResponse.call_action = call_action_after_purge

    delete_cluster = EKSBackend.delete_cluster

    def delete_cluster_lingering(self, name):
        if name in self.clusters and lingers(self.clusters[name]):
            return self.clusters[name]
        cluster = delete_cluster(self, name)
        cluster.status = "DELETING"
        linger(self.clusters, name, cluster, "eks_cluster_delete")
        return cluster

    delete_nodegroup = EKSBackend.delete_nodegroup

    def delete_nodegroup_lingering(self, cluster_name, nodegroup_name):
        groups = self.clusters[cluster_name].nodegroups if cluster_name in self.clusters else {}
        if nodegroup_name in groups and lingers(groups[nodegroup_name]):
            return groups[nodegroup_name]
        nodegroup = delete_nodegroup(self, cluster_name, nodegroup_name)
        nodegroup.status = "DELETING"
        cluster = self.clusters[cluster_name]
        cluster.nodegroup_count += 1  # a node group being deleted still keeps its cluster (ResourceInUseException)

        def gone():
            cluster.nodegroup_count -= 1

        linger(cluster.nodegroups, nodegroup_name, nodegroup, "eks_nodegroup_delete", gone)
        return nodegroup

    delete_group = ElastiCacheBackend.delete_replication_group

    def delete_group_lingering(self, replication_group_id, retain_primary_cluster):
        existing = self.replication_groups.get(replication_group_id)
        if existing is not None and lingers(existing):
            return existing
        group = delete_group(self, replication_group_id, retain_primary_cluster)
        group.status = "deleting"
        linger(self.replication_groups, replication_group_id, group, "elasticache_replication_group_delete")
        return group

    delete_domain = OpenSearchServiceBackend.delete_domain

    def delete_domain_lingering(self, domain_name):
        existing = self.domains.get(domain_name)
        if existing is not None and lingers(existing):
            return existing
        domain = delete_domain(self, domain_name)
        linger(self.domains, domain_name, domain, "opensearch_domain_delete")
        return domain

    # EKS updates: the launcher records them Successful at once; their answers read InProgress until their time is up.
    def in_progress(respond):
        def timed(self):
            result = respond(self)
            update = result.result["update"]
            kind = "eks_cluster_version_update" if update["type"] == "VersionUpdate" else "eks_update"
            if update["status"] == "Successful" and (utcnow() - update["createdAt"]).total_seconds() < (
                    TYPICAL_SECONDS[kind] / scale):
                return type(result)({"update": dict(update, status="InProgress")})
            return result
        return timed

    for name in ("update_cluster_version", "update_cluster_config", "update_nodegroup_config", "describe_update"):
        setattr(EKSResponse, name, in_progress(getattr(EKSResponse, name)))

    EKSBackend.delete_cluster = delete_cluster_lingering
    EKSBackend.delete_nodegroup = delete_nodegroup_lingering
    ElastiCacheBackend.delete_replication_group = delete_group_lingering
    OpenSearchServiceBackend.delete_domain = delete_domain_lingering


def patch_presigned_request_routing():
    """A request signed in its query string (a presigned URL) goes to the service its credential scope names.

    AWS: a presigned request carries its SigV4 signature in the query string, X-Amz-Credential being
    "<access key>/<date>/<region>/<service>/aws4_request" ("Authentication Using Query Parameters",
    https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html; "Create a signed AWS API
    request", https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html), and reaches the
    service by its host name (sts.<region>.amazonaws.com). EKS's authenticator sends such a GetCallerIdentity
    URL to STS to learn who holds a bearer token
    (https://github.com/kubernetes-sigs/aws-iam-authenticator#how-does-it-work). moto serves every service on
    one host and picks the service from the Authorization header only, so a presigned GET / without one went
    to S3 (ListBuckets). With this patch moto reads the scope from X-Amz-Credential when there is no
    Authorization header, as it reads it from the header otherwise. Signatures stay unchecked, as in moto.
    """
    from urllib.parse import parse_qs

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.infer_service_region_host

    def infer_service_region_host(self, environ, path):
        scope = parse_qs(environ.get("QUERY_STRING", "")).get("X-Amz-Credential")
        if not environ.get("HTTP_AUTHORIZATION") and scope:
            environ = dict(environ, HTTP_AUTHORIZATION="AWS4-HMAC-SHA256 Credential=" + scope[0] + ", SignedHeaders=host")
        return original(self, environ, path)

    DomainDispatcherApplication.infer_service_region_host = infer_service_region_host


# ---- issue 16 (Athena over all the seed's logs): flow logs to an S3 folder, GuardDuty publishing destinations ----

def patch_ec2_flow_log_s3_destination():
    """CreateFlowLogs to an S3 bucket folder, with DestinationOptions.

    AWS: LogDestination of an "s3" flow log is "the ARN of an Amazon S3 bucket", optionally with a folder
    ("arn:aws:s3:::my-bucket/my-logs/"); DestinationOptions (FileFormat plain-text | parquet,
    HiveCompatiblePartitions, PerHourPartition; defaults plain-text, false, false) are reported back by
    DescribeFlowLogs; a bucket that does not exist is reported in Unsuccessful
    (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DestinationOptionsRequest.html,
    https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FlowLog.html). A FileFormat outside those two is
    refused (InvalidParameter). moto 5.2.x looks the whole "bucket/folder/" up as a bucket name (so any folder
    fails as a missing bucket) and drops DestinationOptions.
    """
    from moto.ec2.exceptions import EC2ClientError, FlowLogAlreadyExists
    from moto.ec2.models.flow_logs import FlowLogsBackend
    from moto.ec2.responses.flow_logs import FlowLogs

    original_backend = FlowLogsBackend.create_flow_logs
    original_response = FlowLogs.create_flow_logs

    def create_flow_logs(self, resource_type, resource_ids, traffic_type, deliver_logs_permission_arn,
                         log_destination_type, log_destination, *args, **kwargs):
        if log_destination_type != "s3" or not log_destination or "/" not in log_destination.split(":", 5)[-1]:
            return original_backend(self, resource_type, resource_ids, traffic_type, deliver_logs_permission_arn,
                                    log_destination_type, log_destination, *args, **kwargs)
        for fl in self.describe_flow_logs():
            if any(fl.resource_id == r and fl.log_destination == log_destination for r in resource_ids):
                raise FlowLogAlreadyExists()
        bucket_arn = log_destination.split("/", 1)[0]
        made, unsuccessful = original_backend(self, resource_type, resource_ids, traffic_type,
                                              deliver_logs_permission_arn, log_destination_type, bucket_arn,
                                              *args, **kwargs)
        for fl in made:
            fl.log_destination = log_destination
        return made, unsuccessful

    def create_flow_logs_response(self):
        file_format = self.querystring.get("DestinationOptions.FileFormat", [None])[0]
        if file_format is not None and file_format not in ("plain-text", "parquet"):
            raise EC2ClientError("InvalidParameter", f"Invalid FileFormat: {file_format}")
        before = {fl.id for fl in self.ec2_backend.describe_flow_logs()}
        result = original_response(self)

        def flag(name):
            return self.querystring.get("DestinationOptions." + name, ["false"])[0].lower() == "true"

        for fl in self.ec2_backend.describe_flow_logs():
            if fl.id not in before and fl.log_destination_type == "s3":
                fl.destination_options = {"FileFormat": file_format or "plain-text",
                                          "HiveCompatiblePartitions": flag("HiveCompatiblePartitions"),
                                          "PerHourPartition": flag("PerHourPartition")}
        return result

    FlowLogsBackend.create_flow_logs = create_flow_logs
    FlowLogs.create_flow_logs = create_flow_logs_response


def patch_guardduty_publishing_destinations():
    """Create/Describe/List/Update/DeletePublishingDestination: GuardDuty findings exported to S3.

    AWS (https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreatePublishingDestination.html and the
    Describe-, List-, Update-, DeletePublishingDestination pages; GuardDuty User Guide, "Exporting generated findings
    to Amazon S3"): a destination of a detector has an id, DestinationType S3 (the only type), DestinationProperties
    {DestinationArn: the bucket's ARN, optionally with a folder, KmsKeyArn: the KMS key findings are encrypted with},
    a Status and tags; "the destination resource must exist" before it is created: an unknown detector, a type other
    than S3, a destination ARN that is not an existing bucket's, or a KMS key ARN that is not the ARN of an existing,
    enabled key of the account are refused with BadRequestException (400), as are Describe/Update/Delete of an unknown
    destination id. Update changes DestinationArn and/or KmsKeyArn, with the same checks. A destination goes with its
    detector. Status is PUBLISHING (AWS: PENDING_VERIFICATION until its first check, then PUBLISHING).
    moto 5.2.x does not route these calls (HTTP 404).
    """
    import json
    import uuid

    from moto.guardduty import urls
    from moto.guardduty.exceptions import GuardDutyException
    from moto.guardduty.responses import GuardDutyResponse
    from moto.kms.models import kms_backends
    from moto.s3.models import s3_backends

    class BadRequest(GuardDutyException):
        code = 400

        def __init__(self, message):
            super().__init__("BadRequestException", message)

        def get_headers(self, *args, **kwargs):
            return [("X-Amzn-ErrorType", "BadRequestException")]

    def detector(self):
        detector_id = self.path.split("/detector/")[1].split("/")[0]
        d = self.guardduty_backend.detectors.get(detector_id)
        if d is None:
            raise BadRequest("The request is rejected because the input detectorId is not owned by the current account.")
        if not hasattr(d, "publishing_destinations"):
            d.publishing_destinations = {}
        return d

    def destination(self, d):
        destination_id = self.path.rstrip("/").split("/")[-1]
        if destination_id not in d.publishing_destinations:
            raise BadRequest("The request is rejected because the destination " + destination_id + " does not exist.")
        return d.publishing_destinations[destination_id]

    def checked(self, properties):
        arn = (properties or {}).get("destinationArn") or ""
        parts = arn.split(":", 5)
        if len(parts) != 6 or parts[2] != "s3" or not parts[5]:
            raise BadRequest("The request is rejected because the destinationArn " + arn + " is not an S3 bucket ARN.")
        bucket = parts[5].split("/", 1)[0]
        if bucket not in s3_backends[self.current_account][parts[1]].buckets:
            raise BadRequest("The request is rejected because the destination bucket " + bucket + " does not exist.")
        key_arn = (properties or {}).get("kmsKeyArn") or ""
        key_parts = key_arn.split(":", 5)
        if len(key_parts) != 6 or key_parts[2] != "kms" or not key_parts[5].startswith("key/") \
                or key_parts[4] != self.current_account:
            raise BadRequest("The request is rejected because the kmsKeyArn " + key_arn + " is not a KMS key ARN.")
        try:
            key = kms_backends[key_parts[4]][key_parts[3]].describe_key(key_parts[5][len("key/"):])
        except Exception:
            key = None
        if key is None or key.key_state != "Enabled":
            raise BadRequest("The request is rejected because the KMS key " + key_arn + " does not exist or is not enabled.")
        return {"destinationArn": arn, "kmsKeyArn": key_arn}

    def create_publishing_destination(self):
        d = detector(self)
        if self._get_param("destinationType") != "S3":
            raise BadRequest("The request is rejected because destinationType must be S3.")
        properties = checked(self, self._get_param("destinationProperties"))
        destination_id = uuid.uuid4().hex
        d.publishing_destinations[destination_id] = {
            "destinationId": destination_id, "destinationType": "S3", "status": "PUBLISHING",
            "publishingFailureStartTimestamp": 0, "destinationProperties": properties,
            "tags": self._get_param("tags") or {}}
        return json.dumps({"destinationId": destination_id})

    def describe_publishing_destination(self):
        return json.dumps(destination(self, detector(self)))

    def list_publishing_destinations(self):
        return json.dumps({"destinations": [
            {k: v[k] for k in ("destinationId", "destinationType", "status")}
            for v in detector(self).publishing_destinations.values()]})

    def update_publishing_destination(self):
        found = destination(self, detector(self))
        given = self._get_param("destinationProperties") or {}
        found["destinationProperties"] = checked(self, {**found["destinationProperties"],
                                                        **{k: v for k, v in given.items() if v}})
        return "{}"

    def delete_publishing_destination(self):
        d = detector(self)
        destination(self, d)
        d.publishing_destinations.pop(self.path.rstrip("/").split("/")[-1])
        return "{}"

    for f in (create_publishing_destination, describe_publishing_destination, list_publishing_destinations,
              update_publishing_destination, delete_publishing_destination):
        setattr(GuardDutyResponse, f.__name__, f)
    urls.url_paths["{0}/detector/(?P<detector_id>[^/]+)/publishingDestination$"] = GuardDutyResponse.dispatch
    urls.url_paths["{0}/detector/(?P<detector_id>[^/]+)/publishingDestination/(?P<destination_id>[^/]+)$"] = \
        GuardDutyResponse.dispatch


def patch_opensearch_log_publishing_access():
    """CreateDomain / UpdateDomainConfig with LogPublishingOptions: the log group must let OpenSearch Service write.

    AWS (OpenSearch Service Developer Guide, "Monitoring OpenSearch logs with Amazon CloudWatch Logs",
    https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html):
    before a domain publishes a log type to a log group, a CloudWatch Logs resource policy must allow
    es.amazonaws.com logs:CreateLogStream and logs:PutLogEvents on the group; otherwise the call fails with
    ValidationException "The Resource Access Policy specified for the CloudWatch Logs log group <name> does not grant
    sufficient permissions for Amazon OpenSearch Service to create a log stream. Please check the Resource Access
    Policy." A group that does not exist fails the same call (ValidationException). The statement's conditions are
    not evaluated. moto 5.2.x stores any LogPublishingOptions.
    """
    import fnmatch
    import json

    from moto.core.exceptions import JsonRESTError
    from moto.logs.models import logs_backends
    from moto.opensearch.responses import OpenSearchServiceResponse

    def allows(statement, group_arn):
        principal = statement.get("Principal") or {}
        services = principal.get("Service") if isinstance(principal, dict) else None
        services = [services] if isinstance(services, str) else services or []
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        resources = statement.get("Resource")
        resources = [resources] if isinstance(resources, str) else resources or []
        return (statement.get("Effect") == "Allow" and any(s.startswith("es.amazonaws.com") for s in services)
                and all(any(fnmatch.fnmatchcase(needed, a) for a in actions)
                        for needed in ("logs:CreateLogStream", "logs:PutLogEvents"))
                and any(fnmatch.fnmatchcase(group_arn + ":*", r) or fnmatch.fnmatchcase(group_arn, r)
                        for r in resources))

    def check(self):
        options = self._get_param("LogPublishingOptions") or {}
        for option in options.values():
            arn = (option or {}).get("CloudWatchLogsLogGroupArn")
            if not option.get("Enabled", True) or not arn:
                continue
            parts = arn.split(":")
            name = arn.split(":log-group:", 1)[-1].removesuffix(":*")
            logs = logs_backends[parts[4]][parts[3]]
            if name not in logs.groups:
                raise JsonRESTError("ValidationException", f"The specified log group {name} does not exist.")
            group_arn = arn.removesuffix(":*")
            if not any(allows(st, group_arn) for p in logs.resource_policies.values()
                       for st in json.loads(p.policy_document).get("Statement", [])):
                raise JsonRESTError("ValidationException", "The Resource Access Policy specified for the CloudWatch"
                                    f" Logs log group {name} does not grant sufficient permissions for Amazon"
                                    " OpenSearch Service to create a log stream. Please check the Resource Access"
                                    " Policy.")

    def checked(original):
        def call(self):
            check(self)
            return original(self)
        return call

    OpenSearchServiceResponse.create_domain = checked(OpenSearchServiceResponse.create_domain)
    OpenSearchServiceResponse.update_domain_config = checked(OpenSearchServiceResponse.update_domain_config)


def patch_firehose_s3_delivery():
    """Extended S3 delivery as Firehose writes it: custom prefixes, processors, compression.

    AWS: Firehose Developer Guide, "Custom prefixes for Amazon S3 objects"
    (https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html): !{timestamp:<pattern>} in Prefix and
    ErrorOutputPrefix is the arrival time in UTC, formatted by a Java DateTimeFormatter pattern; with an expression in
    Prefix, Firehose adds no "YYYY/MM/dd/HH/" of its own; a Prefix with expressions needs an ErrorOutputPrefix, and
    !{firehose:error-output-type} belongs in ErrorOutputPrefix only (InvalidArgumentException otherwise, at
    CreateDeliveryStream). "Configure Amazon S3 object name format" (s3-object-name.html): with GZIP compression an
    object is gzip and ends in .gz. "Decompress CloudWatch Logs" (writing-with-cloudwatch-logs-decompression.html): the
    Decompression processor (CompressionFormat GZIP) turns each gzipped CloudWatch Logs record back into its JSON;
    AppendDelimiterToRecord ends each record with a new line. moto 5.2.x wrote the prefix as given (expressions
    unexpanded) followed by YYYY/MM/DD/HH/, and the records as received, never compressed.
    """
    import gzip
    import re

    from moto.core.utils import utcnow
    from moto.firehose.exceptions import InvalidArgumentException
    from moto.firehose.models import FirehoseBackend
    from moto.s3.models import s3_backends

    tokens = {"yyyy": "%Y", "MM": "%m", "dd": "%d", "HH": "%H", "mm": "%M", "ss": "%S"}

    def expand(prefix, now):
        def timestamp(m):
            return re.sub("yyyy|MM|dd|HH|mm|ss", lambda t: now.strftime(tokens[t.group(0)]), m.group(1))
        return re.sub(r"!\{timestamp:([^}]*)\}", timestamp, prefix)

    original_create = FirehoseBackend.create_delivery_stream

    def create_delivery_stream(self, region, delivery_stream_name, delivery_stream_type, *args, **kwargs):
        extended = kwargs.get("extended_s3_destination_configuration") or (args[3] if len(args) > 3 else None) or {}
        prefix = extended.get("Prefix") or ""
        if "!{firehose:error-output-type}" in prefix:
            raise InvalidArgumentException("The '!{firehose:error-output-type}' expression is only allowed in"
                                           " ErrorOutputPrefix.")
        if "!{" in prefix and not extended.get("ErrorOutputPrefix"):
            raise InvalidArgumentException("ErrorOutputPrefix cannot be null or empty when Prefix contains"
                                           " expressions.")
        return original_create(self, region, delivery_stream_name, delivery_stream_type, *args, **kwargs)

    def put_s3_records(self, delivery_stream_name, version_id, s3_destination, records):
        now = utcnow()
        prefix = s3_destination.get("Prefix", "") or ""
        if "!{" in prefix:
            path = expand(prefix, now)
        else:
            path = prefix + ("" if prefix.endswith("/") or prefix == "" else "/") + now.strftime("%Y/%m/%d/%H/")
        processors = (s3_destination.get("ProcessingConfiguration") or {})
        steps = [p.get("Type") for p in processors.get("Processors", [])] if processors.get("Enabled") else []
        data, failed = [], []
        for r in records:
            record = r["Data"]
            if "Decompression" in steps:
                if not record.startswith(b"\x1f\x8b"):
                    # Not gzip: the record fails processing and goes to the error output.
                    failed.append(record)
                    continue
                record = gzip.decompress(record)
            if "AppendDelimiterToRecord" in steps:
                record = record + b"\n"
            data.append(record)
        name = f"{delivery_stream_name}-{version_id}-{now.strftime('%Y-%m-%d-%H-%M-%S')}-{mock_uuid()}"
        bucket = s3_destination["BucketARN"].split(":")[-1]
        for body, at in ((b"".join(data), path), (b"".join(failed), expand(
                (s3_destination.get("ErrorOutputPrefix") or "").replace("!{firehose:error-output-type}",
                                                                        "processing-failed"), now))):
            if not body:
                continue
            key = at + name
            if s3_destination.get("CompressionFormat") == "GZIP":
                body = gzip.compress(body)
                key += ".gz"
            s3_backends[self.account_id][self.partition].put_object(bucket, key, body)
        return [{"RecordId": mock_uuid()} for _ in records]

    def mock_uuid():
        from moto.moto_api._internal import mock_random
        return str(mock_random.uuid4())

    FirehoseBackend.create_delivery_stream = create_delivery_stream
    FirehoseBackend.put_s3_records = put_s3_records


PATCHES = [patch_elbv2_load_balancer_name, patch_opensearch_domain_name_length, patch_elasticache_replication_group_id,
           patch_iam_role_and_instance_profile_names, patch_ec2_security_group_name_and_description,
           patch_ec2_security_group_rule_descriptions, patch_cloudtrail_trail_name,
           patch_acm_dns_validation, patch_launch_template_version_user_data, patch_ebs_encryption_by_default_applies, patch_eks_cluster_security_group, patch_security_group_rule_description, patch_ebs_default_kms_key_id, patch_launch_template_tags,
           patch_ebs_snapshot_kms_key_id,
           patch_nat_gateway_delete_releases_association,
           patch_autoscaling_instance_refresh,
           patch_opensearch_upgrade_domain, patch_athena_get_work_group_not_found, patch_athena_update_work_group,
           patch_athena_list_tags_untagged,
           patch_s3_create_bucket_tags, patch_s3_replication_delete_marker_replication,
           patch_route53_caller_reference, patch_route53_health_check_caller_reference,
           patch_route53_delete_record_by_set_identifier, patch_eks_describe_update, patch_eks_update_cluster_version,
           patch_eks_update_cluster_config, patch_eks_nodegroup_tags, patch_wafv2_duplicate_item_code,
           patch_wafv2_associate_web_acl_once,
           patch_logs_kms_key_association, patch_guardduty_detector_tags,
           patch_dynamodb_update_table_sse, patch_dynamodb_global_tables, patch_dynamodb_update_time_to_live, patch_elasticache_replication_group_members,
           patch_elasticache_modify_replication_group, patch_elasticache_replica_count,
           patch_elasticache_delete_cache_subnet_group, patch_elasticache_modify_cache_subnet_group, patch_elasticache_global_datastore,
           patch_kms_multi_region_configuration, patch_kms_replicate_key, patch_secretsmanager_replica_kms_key,
           patch_eks_nodegroup_auto_scaling_group, patch_autoscaling_target_groups_unknown_group,
           patch_presigned_request_routing,
           # issue 16
           patch_ec2_flow_log_s3_destination, patch_guardduty_publishing_destinations,
           patch_opensearch_log_publishing_access, patch_firehose_s3_delivery]


# ---- what a real account needs: AWS refuses these where moto 5.2.x accepts them (issue 11) --------------------------

def _iam_backend(account_id, region):
    from moto.iam.models import iam_backends
    from moto.utilities.utils import get_partition

    return iam_backends[account_id][get_partition(region)]


def patch_opensearch_vpc_service_linked_role():
    """CreateDomain in a VPC is refused on an account without OpenSearch Service's service-linked role.

    AWS: "Amazon OpenSearch Service uses AWS Identity and Access Management (IAM) service-linked roles ... to create
    VPC domains"; the console creates the role, the API and CloudFormation do not: "you must create it yourself"
    (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/slr.html, "Using service-linked roles to
    create VPC domains and direct query data sources"). Without it CreateDomain with VPCOptions fails with
    ValidationException "Before you can proceed, you must enable a service-linked role to give Amazon OpenSearch
    Service permissions to access your VPC." (HTTP 400; aws/copilot-cli#3006, terraform-provider-aws#30961). The
    legacy AWSServiceRoleForAmazonElasticsearchService (es.amazonaws.com) serves too. moto 5.2.x needs no role.
    """
    from moto.core.exceptions import JsonRESTError
    from moto.opensearch.responses import OpenSearchServiceResponse

    original = OpenSearchServiceResponse.create_domain
    paths = ("/aws-service-role/opensearchservice.amazonaws.com/", "/aws-service-role/es.amazonaws.com/")

    def create_domain(self):
        vpc = self._get_param("VPCOptions") or {}
        if vpc.get("SubnetIds"):
            iam = _iam_backend(self.current_account, self.region)
            if not any(role.path in paths for role in iam.roles.values()):
                raise JsonRESTError("ValidationException", "Before you can proceed, you must enable a service-linked "
                                    "role to give Amazon OpenSearch Service permissions to access your VPC.")
        return original(self)

    OpenSearchServiceResponse.create_domain = create_domain


def patch_kms_policy_principals_exist():
    """CreateKey, PutKeyPolicy and ReplicateKey refuse a key policy naming an IAM role or user that does not exist.

    AWS: the key policy's principals must exist: "If the key policy ... includes an IAM role or user that does not
    exist, the request fails with MalformedPolicyDocumentException" and "if you ... create a new IAM principal ... you
    might need to ... wait before including it, because the new principal might not be immediately visible to AWS
    KMS" (https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html, Policy;
    https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html, Policy), answered
    MalformedPolicyDocumentException "Policy contains a statement with one or more invalid principals." (HTTP 400).
    Only roles and users of the caller's account are checked (the account root and other accounts are accepted, as
    moto cannot know another account's principals). moto 5.2.x stores any policy.
    """
    import json
    import re

    from moto.core.exceptions import JsonRESTError
    from moto.kms.responses import KmsResponse

    def check(self):
        policy = self._get_param("Policy")
        if not policy:
            return
        try:
            statements = json.loads(policy).get("Statement", [])
        except ValueError:
            return
        iam = _iam_backend(self.current_account, self.region)
        known = {r.arn for r in iam.roles.values()} | {u.arn for u in iam.users.values()}
        for statement in statements if isinstance(statements, list) else [statements]:
            principal = statement.get("Principal", {})
            arns = principal.get("AWS", []) if isinstance(principal, dict) else []
            for arn in [arns] if isinstance(arns, str) else arns:
                m = re.fullmatch(r"arn:[^:]+:iam::(\d{12}):(role|user)/.+", arn)
                if m and m.group(1) == self.current_account and arn not in known:
                    raise JsonRESTError("MalformedPolicyDocumentException",
                                        "Policy contains a statement with one or more invalid principals.")

    for name in ("create_key", "put_key_policy", "replicate_key"):
        def checked(self, _original=getattr(KmsResponse, name)):
            check(self)
            return _original(self)

        setattr(KmsResponse, name, checked)


def patch_elbv2_internet_facing_needs_internet_gateway():
    """CreateLoadBalancer refuses an internet-facing load balancer in a VPC without an attached internet gateway.

    AWS: resources with public addresses in a VPC "depend on a VPC-gateway attachment", Elastic Load Balancing
    load balancers among them (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html,
    "When a DependsOn attribute is required"); without it CreateLoadBalancer answers InvalidSubnet "VPC vpc-... has no
    internet gateway" (HTTP 400; openshift/installer#1110, aws-cloudformation-templates#75). Internet-facing
    is the default scheme. moto 5.2.x accepts any VPC.
    """
    from moto.elbv2.exceptions import ELBClientError
    from moto.elbv2.models import ELBv2Backend

    original = ELBv2Backend.create_load_balancer

    def create_load_balancer(self, name, security_groups, subnet_ids, subnet_mappings=None, scheme="internet-facing",
                             loadbalancer_type=None, *args, **kwargs):
        ids = list(subnet_ids or []) + [m["SubnetId"] for m in subnet_mappings or []]
        subnet = self.ec2_backend.get_subnet(ids[0]) if ids else None
        if (scheme or "internet-facing") == "internet-facing" and (loadbalancer_type or "application") != "gateway" \
                and subnet is not None:
            attached = any(igw.vpc is not None and igw.vpc.id == subnet.vpc_id
                           for igw in self.ec2_backend.internet_gateways.values())
            if not attached:
                raise ELBClientError("InvalidSubnet", f"VPC {subnet.vpc_id} has no internet gateway")
        return original(self, name, security_groups, subnet_ids, subnet_mappings, scheme, loadbalancer_type,
                        *args, **kwargs)

    ELBv2Backend.create_load_balancer = create_load_balancer


#: ENIs AWS services own (load balancers', EKS control planes'), by id: what DeleteSubnet and DeleteSecurityGroup wait out.
_ELB_ENIS = set()
#: How long an ALB's network interfaces outlive DeleteLoadBalancer here (on AWS: seconds to minutes).
ELB_ENI_LINGER_SECONDS = 5


def patch_elbv2_network_interfaces():
    """A load balancer has a network interface in each of its subnets, which outlives DeleteLoadBalancer for a while.

    AWS: "Elastic Load Balancing creates a network interface for each Availability Zone you enable", described
    "ELB app/<name>/<id>" (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#availability-zones;
    https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/requester-managed-eni.html); they are released after the load
    balancer is deleted, not at once, and until then DeleteSubnet ("The subnet ... has dependencies and cannot be
    deleted") and DeleteSecurityGroup ("resource sg-... has a dependent object") answer DependencyViolation
    (https://repost.aws/knowledge-center/troubleshoot-dependency-error-delete-vpc; Terraform's aws_lb delete waits for
    them: internal/service/elbv2/load_balancer.go, waitForALBNetworkInterfacesToDetach). moto 5.2.x makes no
    interfaces. Here they go ELB_ENI_LINGER_SECONDS after the delete.
    """
    import threading

    from moto.ec2.exceptions import DependencyViolationError
    from moto.ec2.models import EC2Backend
    from moto.elbv2.models import ELBv2Backend

    create = ELBv2Backend.create_load_balancer
    delete = ELBv2Backend.delete_load_balancer

    def create_load_balancer(self, *args, **kwargs):
        lb = create(self, *args, **kwargs)
        kind = "net" if lb.type == "network" else "app"
        lb_id = lb.arn.rsplit("/", 1)[-1]
        for subnet in lb.subnets:
            eni = self.ec2_backend.create_network_interface(
                subnet, None, group_ids=list(lb.security_groups or []) or None,
                description=f"ELB {kind}/{lb.name}/{lb_id}")
            _ELB_ENIS.add(eni.id)
        return lb

    def delete_load_balancer(self, arn):
        lb = self.load_balancers.get(arn)
        delete(self, arn)
        if lb is None:
            return
        suffix = f"/{lb.name}/{arn.rsplit('/', 1)[-1]}"
        enis = [e.id for e in self.ec2_backend.enis.values() if e.id in _ELB_ENIS and e.description.endswith(suffix)]

        def release(backend=self.ec2_backend):
            for eni_id in enis:
                backend.enis.pop(eni_id, None)
                _ELB_ENIS.discard(eni_id)

        timer = threading.Timer(ELB_ENI_LINGER_SECONDS, release)
        timer.daemon = True
        timer.start()

    def in_use(backend, test):
        return any(e.id in _ELB_ENIS and test(e) for e in list(backend.enis.values()))

    delete_subnet = EC2Backend.delete_subnet
    delete_security_group = EC2Backend.delete_security_group

    def checked_delete_subnet(self, subnet_id):
        if in_use(self, lambda e: e.subnet.id == subnet_id):
            raise DependencyViolationError(f"The subnet '{subnet_id}' has dependencies and cannot be deleted.")
        return delete_subnet(self, subnet_id)

    def checked_delete_security_group(self, name=None, group_id=None):
        if group_id and in_use(self, lambda e: any(g.id == group_id for g in e.group_set)):
            raise DependencyViolationError(f"resource {group_id} has a dependent object")
        return delete_security_group(self, name=name, group_id=group_id)

    ELBv2Backend.create_load_balancer = create_load_balancer
    ELBv2Backend.delete_load_balancer = delete_load_balancer
    EC2Backend.delete_subnet = checked_delete_subnet
    EC2Backend.delete_security_group = checked_delete_security_group


def patch_kms_replicate_key_one_per_region():
    """ReplicateKey refuses a second replica of a primary key in a Region, one pending deletion included.

    AWS: "You can create only one replica of each primary key in each AWS Region" (AlreadyExistsException;
    https://docs.aws.amazon.com/kms/latest/APIReference/API_ReplicateKey.html, ReplicaRegion and Errors); a replica
    scheduled for deletion stays for its whole waiting period (7-30 days) and still counts
    (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-delete.html; terraform-provider-aws#49491,
    aws-cdk#20104). moto 5.2.x makes another replica over the first.
    """
    from moto.core.exceptions import JsonRESTError
    from moto.kms.models import kms_backends
    from moto.kms.responses import KmsResponse

    original = KmsResponse.replicate_key

    def replicate_key(self):
        key_id = self.kms_backend.get_key_id(self._get_param("KeyId"))
        region = self._get_param("ReplicaRegion")
        if key_id in kms_backends[self.current_account][region].keys:
            raise JsonRESTError("AlreadyExistsException",
                                "You can create only one replica of each primary key in each AWS Region.")
        return original(self)

    KmsResponse.replicate_key = replicate_key


def patch_cloudtrail_trail_name_taken():
    """CreateTrail refuses a name taken in the region, a multi-Region trail's shadow included.

    AWS: a trail that applies to all Regions is replicated to every Region of the account ("CloudTrail ... creates the
    trail in all Regions", https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-trails-multi-region;
    DescribeTrails lists those shadow trails), trail names are unique per Region, so CreateTrail with a name in use
    there, by a trail of the Region or a multi-Region trail made elsewhere, fails with TrailAlreadyExistsException
    (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html, Errors). moto 5.2.x replaces
    a trail of the same name in the Region and accepts one over another Region's multi-Region trail.
    """
    from moto.cloudtrail.models import CloudTrailBackend, cloudtrail_backends
    from moto.core.exceptions import JsonRESTError

    original = CloudTrailBackend.create_trail

    def create_trail(self, name, bucket_name, s3_key_prefix, sns_topic_name, is_global, is_multi_region, *args, **kw):
        taken = name in self.trails or any(
            region != self.region_name and name in backend.trails
            and (backend.trails[name].is_multi_region or is_multi_region)
            for region, backend in cloudtrail_backends[self.account_id].items())
        if taken:
            raise JsonRESTError("TrailAlreadyExistsException",
                                f"Trail {name} already exists for customer: {self.account_id}")
        return original(self, name, bucket_name, s3_key_prefix, sns_topic_name, is_global, is_multi_region,
                        *args, **kw)

    CloudTrailBackend.create_trail = create_trail


SECRET_PURGE_SECONDS = 3


def patch_secretsmanager_deleted_names():
    """A secret's name stays taken while the secret is scheduled for deletion, and a forced delete takes a moment.

    AWS: DeleteSecret schedules the deletion after a recovery window of 7-30 days; until then DescribeSecret reports
    a DeletedDate, RestoreSecret takes the secret back, and CreateSecret of the same name fails with
    InvalidRequestException "You can't create this secret because a secret with this name is already scheduled for
    deletion." With ForceDeleteWithoutRecovery "Secrets Manager performs the actual deletion with an asynchronous
    background process, so there might be a short delay before the secret is permanently deleted. If you delete a
    secret and then immediately create a secret with the same name, use appropriate back off and retry logic"; such
    a secret cannot be restored (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html,
    https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RestoreSecret.html; terraform-provider-aws#5127).
    A replica is deleted at once by RemoveRegionsFromReplication ("When you delete a replica, it is deleted
    immediately"), as moto does. moto 5.2.x removes a force-deleted secret at once and answers a CreateSecret of a name
    scheduled for deletion with ResourceExistsException. Here a force-deleted secret stays SECRET_PURGE_SECONDS,
    marked deleted and not restorable, and CreateSecret over any secret marked deleted is refused as AWS does.
    """
    import threading
    import time

    from moto.secretsmanager.exceptions import InvalidRequestException
    from moto.secretsmanager.models import FakeSecret, SecretsManagerBackend

    create = SecretsManagerBackend.create_secret
    delete = SecretsManagerBackend.delete_secret
    restore = SecretsManagerBackend.restore_secret
    purging = set()

    def create_secret(self, name, *args, **kwargs):
        existing = self.secrets.get(name)
        if isinstance(existing, FakeSecret) and existing.is_deleted():
            raise InvalidRequestException("You can't create this secret because a secret with this name is already "
                                          "scheduled for deletion.")
        return create(self, name, *args, **kwargs)

    def delete_secret(self, secret_id, recovery_window_in_days, force_delete_without_recovery):
        secret = self.secrets.get(secret_id) if self._is_valid_identifier(secret_id) else None
        if not force_delete_without_recovery or not isinstance(secret, FakeSecret) or secret.replicas:
            return delete(self, secret_id, recovery_window_in_days, force_delete_without_recovery)
        now = time.time()
        if not secret.is_deleted():
            secret.delete(now)
        purging.add(id(secret))

        def purge():
            for key, value in list(self.secrets.items()):
                if value is secret:
                    dict.pop(self.secrets, key, None)
            purging.discard(id(secret))

        threading.Timer(SECRET_PURGE_SECONDS, purge).start()
        return secret.arn, secret.name, now

    def restore_secret(self, secret_id):
        secret = self.secrets.get(secret_id) if self._is_valid_identifier(secret_id) else None
        if secret is not None and id(secret) in purging:
            raise InvalidRequestException("You can't perform this operation on the secret because it was deleted.")
        return restore(self, secret_id)

    SecretsManagerBackend.create_secret = create_secret
    SecretsManagerBackend.delete_secret = delete_secret
    SecretsManagerBackend.restore_secret = restore_secret


#: How long an EKS control plane's network interfaces outlive DeleteCluster here (on AWS: minutes).
EKS_ENI_LINGER_SECONDS = 5


def patch_eks_network_interfaces():
    """An EKS cluster's control plane has network interfaces in its subnets, which outlive DeleteCluster for a while.

    AWS: "Amazon EKS creates up to 4 cross-account elastic network interfaces in the subnets that you specify" when a
    cluster is created, with the cluster security group and the security groups given
    (https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html#network-requirements-subnets,
    https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html); they are described "Amazon EKS <cluster>"
    and are released some time after the cluster is deleted, until when DeleteSubnet and DeleteSecurityGroup of what
    they use answer DependencyViolation (https://repost.aws/knowledge-center/troubleshoot-dependency-error-delete-vpc;
    eksctl waits for them before deleting the cluster's VPC stack, terraform-provider-aws#11473). moto 5.2.x makes
    none. Here the cluster gets one in each of its first two subnets, released EKS_ENI_LINGER_SECONDS after the
    delete; the cluster security group, which they hold, goes with them. They block their subnets and groups as a
    load balancer's do (patch_elbv2_network_interfaces' _ELB_ENIS holds every such service-owned interface).
    """
    import threading

    from moto.ec2.models import ec2_backends
    from moto.eks.models import EKSBackend

    create = EKSBackend.create_cluster
    delete = EKSBackend.delete_cluster

    def create_cluster(self, name, role_arn, resources_vpc_config, *args, **kwargs):
        cluster = create(self, name, role_arn, resources_vpc_config, *args, **kwargs)
        ec2 = ec2_backends[self.account_id][self.region_name]
        config = cluster.resources_vpc_config or {}
        groups = [g for g in [config.get("clusterSecurityGroupId")] + list(config.get("securityGroupIds") or []) if g]
        for subnet_id in list(config.get("subnetIds") or [])[:2]:
            try:
                subnet = ec2.get_subnet(subnet_id)
            except Exception:  # an unknown subnet: no interface there
                continue
            eni = ec2.create_network_interface(subnet, None, group_ids=groups or None,
                                               description=f"Amazon EKS {name}")
            _ELB_ENIS.add(eni.id)
        return cluster

    def delete_cluster(self, name):
        cluster = delete(self, name)
        ec2 = ec2_backends[self.account_id][self.region_name]
        enis = [e.id for e in list(ec2.enis.values()) if e.id in _ELB_ENIS and e.description == f"Amazon EKS {name}"]
        group_id = (cluster.resources_vpc_config or {}).get("clusterSecurityGroupId")

        def release():
            for eni_id in enis:
                ec2.enis.pop(eni_id, None)
                _ELB_ENIS.discard(eni_id)
            if group_id:
                try:
                    ec2.delete_security_group(group_id=group_id)
                except Exception:  # gone with the cluster already
                    pass

        if enis:
            timer = threading.Timer(EKS_ENI_LINGER_SECONDS, release)
            timer.daemon = True
            timer.start()
        return cluster

    EKSBackend.create_cluster = create_cluster
    EKSBackend.delete_cluster = delete_cluster


REAL_ACCOUNT_PATCHES = [patch_opensearch_vpc_service_linked_role, patch_kms_policy_principals_exist,
                        patch_elbv2_internet_facing_needs_internet_gateway, patch_elbv2_network_interfaces,
                        patch_kms_replicate_key_one_per_region, patch_cloudtrail_trail_name_taken,
                        patch_secretsmanager_deleted_names, patch_eks_network_interfaces]


# ---- network latency (INFRA_EMULATOR_LATENCY_MS) ---------------------------------------------------------------------
# A local emulator answers in about a millisecond; AWS from a laptop or CI runner takes tens to a hundred. With
# INFRA_EMULATOR_LATENCY_MS=N every AWS request waits N ms before it is handled (the server is threaded, so requests
# in flight together wait together, as over a real network); moto's own /moto-api/ (reset, state) is not delayed.
# It shows whether the tool's reads are sequential (the wait adds up per call) or in parallel (per chain of calls).
# POST /moto-api/infra/latency with the milliseconds as body changes it while running (bench/latency measures the
# same emulated account with and without).

LATENCY_PATH = "/moto-api/infra/latency"


def _latency_seconds(value):
    """The delay in seconds a number of milliseconds (text) names; 0 when it is empty."""
    value = value.strip()
    if not value:
        return 0.0
    millis = float(value)
    if millis < 0:
        raise ValueError(f"INFRA_EMULATOR_LATENCY_MS must be a number of milliseconds >= 0, got {value}")
    return millis / 1000


def apply_latency():
    """Delays every request but moto's own API by INFRA_EMULATOR_LATENCY_MS (0 when unset) and serves LATENCY_PATH."""
    import os
    import time

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    try:
        delay = [_latency_seconds(os.environ.get("INFRA_EMULATOR_LATENCY_MS", ""))]
    except ValueError as e:
        raise SystemExit(str(e))
    original = DomainDispatcherApplication.__call__

    def call(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == LATENCY_PATH and environ.get("REQUEST_METHOD") == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                delay[0] = _latency_seconds(environ["wsgi.input"].read(size).decode())
            except ValueError as e:
                start_response("400 Bad Request", [("Content-Type", "text/plain")])
                return [str(e).encode()]
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [f"{delay[0] * 1000:g}".encode()]
        if delay[0] > 0 and not path.startswith("/moto-api"):
            time.sleep(delay[0])
        return original(self, environ, start_response)

    DomainDispatcherApplication.__call__ = call


def main():
    for patch in PATCHES + REAL_ACCOUNT_PATCHES:
        patch()
    apply_time_scale()
    apply_latency()
    from moto.server import main as moto_server_main

    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
