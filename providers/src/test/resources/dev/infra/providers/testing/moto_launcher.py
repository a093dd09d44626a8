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


PATCHES = [patch_security_group_rule_description]


def main():
    for patch in PATCHES:
        patch()
    from moto.server import main as moto_server_main

    moto_server_main(sys.argv[1:])


if __name__ == "__main__":
    main()
