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
    """UpdateClusterVersion.

    AWS: UpdateClusterVersion (POST /clusters/{name}/updates, body {"version": …}) "Updates an
    Amazon EKS cluster to the specified Kubernetes version … The response output includes an update
    ID that you can use to track the status of your cluster update with the DescribeUpdate API
    operation"; the Update's type is VersionUpdate, its params Version and PlatformVersion; a
    cluster that is not ACTIVE gives InvalidRequestException
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterVersion.html,
    https://docs.aws.amazon.com/eks/latest/APIReference/API_Update.html).
    moto 5.2.x does not route it (HTTP 404).
    """
    from moto.core.responses import ActionResult
    from moto.eks import urls
    from moto.eks.exceptions import InvalidRequestException
    from moto.eks.responses import EKSResponse

    def update_cluster_version(self):
        name = self._get_param("name")
        version = self._get_param("version")
        cluster = self.eks_backend.describe_cluster(name)
        if not cluster.is_active:
            raise InvalidRequestException(message=f"Cluster '{name}' is not in ACTIVE status")
        cluster.version = version
        update = _eks_update(self.eks_backend, name, None, "VersionUpdate",
                             [("Version", version), ("PlatformVersion", cluster.platformVersion)])
        return ActionResult({"update": update})

    EKSResponse.update_cluster_version = update_cluster_version
    urls.url_paths["{0}/clusters/(?P<name>[^/]+)/updates$"] = urls.response.dispatch


def patch_eks_update_cluster_config():
    """UpdateClusterConfig changes only what it names, and answers with an Update.

    AWS: UpdateClusterConfig "Updates an Amazon EKS cluster configuration … The response output
    includes an update ID that you can use to track the status of your cluster update with
    DescribeUpdate"; its response is {"update": Update}, e.g. of type EndpointAccessUpdate with
    params EndpointPublicAccess / EndpointPrivateAccess for a resourcesVpcConfig change of endpoint
    access, which leaves the cluster's subnets and security groups as they are
    (https://docs.aws.amazon.com/eks/latest/APIReference/API_UpdateClusterConfig.html,
    https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html).
    moto 5.2.x replaces the whole resourcesVpcConfig with the request's (dropping subnetIds and
    securityGroupIds) and answers {"cluster": …}.
    """
    import json

    from moto.core.responses import ActionResult
    from moto.eks.models import EKSBackend
    from moto.eks.responses import EKSResponse

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


def patch_eks_cluster_security_group():
    """The cluster security group EKS creates for every cluster.

    AWS: "Amazon EKS creates a cluster security group when you create a cluster" and uses it for the
    control plane's network interfaces and managed node groups; DescribeCluster reports its id in
    resourcesVpcConfig.clusterSecurityGroupId (https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigResponse.html,
    https://docs.aws.amazon.com/eks/latest/userguide/sec-group-reqs.html). EKS deletes it with the
    cluster. moto 5.2.x creates no such group and reports no id.
    """
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
            group = ec2.create_security_group(
                name=f"eks-cluster-sg-{name}", description="EKS created security group applied to ENI that is "
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


PATCHES = [patch_eks_cluster_security_group, patch_security_group_rule_description, patch_ebs_default_kms_key_id, patch_launch_template_tags,
           patch_nat_gateway_delete_releases_association,
           patch_autoscaling_instance_refresh,
           patch_s3_create_bucket_tags,
           patch_route53_caller_reference, patch_eks_describe_update, patch_eks_update_cluster_version,
           patch_eks_update_cluster_config, patch_eks_nodegroup_tags, patch_wafv2_duplicate_item_code]


def main():
    for patch in PATCHES:
        patch()
    from moto.server import main as moto_server_main

    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
