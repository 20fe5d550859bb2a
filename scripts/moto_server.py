#!/usr/bin/env python3
"""Starts moto's AWS API emulator with the defects below neutralised.

Each patch below fixes one place where moto answers differently from AWS, in a way that would
make a re-plan non-empty against the emulator but not against AWS.

moto reports `remote_access {ec2_ssh_key = "eksKeypair"}` on every EKS managed node group that
was created without remote access (moto.eks.models.DEFAULT_REMOTE_ACCESS). The AWS provider then
sees drift on a re-plan and replaces the node group. Real EKS reports no remote access, so the
default is set to None before the server starts. Arguments are passed to moto_server unchanged.

AWS managed IAM policies (AmazonEKSClusterPolicy, ...) exist in every real account; moto loads
them only when MOTO_IAM_LOAD_MANAGED_POLICIES is true, so that is switched on here.
"""
import collections
import datetime
import json
import os
import sys

os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")

import moto.autoscaling.models
import moto.eks.exceptions
import moto.eks.models
import moto.eks.responses
import moto.eks.urls
import moto.server
from moto.codebuild import models as codebuild_models
from moto.codebuild import responses as codebuild_responses
from moto.core.utils import unix_time
from moto.eks import exceptions as eks_exceptions
from moto.ec2 import exceptions as ec2_exceptions
from moto.ec2.models import launch_templates
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random
from moto.ec2.models import security_groups as security_group_models
from moto.elbv2 import models as elbv2_models
from moto.elbv2.exceptions import ELBClientError
from moto.route53 import responses as route53_responses
from moto.s3 import models as s3_models

moto.eks.models.DEFAULT_REMOTE_ACCESS = None


# moto copies a launch template's own tags (TagSpecifications of type "launch-template") into the
# template's data; real EC2 keeps them apart, and the copy shows as drift on every re-plan.
_create_version = launch_templates.LaunchTemplate.create_version


def _create_version_without_own_tags(self, data, description):
    specs = data.get("TagSpecifications")
    if specs:
        data = dict(data)
        data["TagSpecifications"] = [s for s in specs if s.get("ResourceType") != "launch-template"]
    return _create_version(self, data, description)


launch_templates.LaunchTemplate.create_version = _create_version_without_own_tags


# Real Route 53 makes a zone private when CreateHostedZone names a VPC; moto also wants
# HostedZoneConfig.PrivateZone=true, which the AWS provider does not send, and so made it public.
_create_hosted_zone = route53_responses.Route53.create_hosted_zone


def _create_hosted_zone_private_with_vpc(self):
    if self._get_param("VPC.VPCId"):
        get_bool = self._get_bool_param

        def private_when_vpc(key, default=None):
            return True if key == "HostedZoneConfig.PrivateZone" else get_bool(key, default)

        self._get_bool_param = private_when_vpc
    return _create_hosted_zone(self)


route53_responses.Route53.create_hosted_zone = _create_hosted_zone_private_with_vpc


# moto evaluates a bucket policy's Deny statements without their Condition, so the TLS-only
# statement (Deny when aws:SecureTransport is false) denied every request. Real S3 lets TLS
# requests through; the emulator on loopback stands in for TLS, so that statement is skipped.
_get_permission = s3_models.FakeBucket.get_permission


def _is_tls_only_deny(statement):
    condition = statement.get("Condition", {})
    return statement.get("Effect") == "Deny" and condition == {"Bool": {"aws:SecureTransport": "false"}}


def _get_permission_honouring_tls(self, action, resource):
    if self.policy is None:
        return _get_permission(self, action, resource)
    document = json.loads(self.policy.decode())
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    kept = [statement for statement in statements if not _is_tls_only_deny(statement)]
    if len(kept) == len(statements):
        return _get_permission(self, action, resource)
    original = self.policy
    self.policy = json.dumps({**document, "Statement": kept}).encode()
    try:
        return _get_permission(self, action, resource)
    finally:
        self.policy = original


s3_models.FakeBucket.get_permission = _get_permission_honouring_tls


# DescribeSecurityGroupRules leaves out the description of a rule that references another
# security group (moto keeps it with the referenced group, not the rule), so the provider saw
# the description of every aws_vpc_security_group_*_rule with a referenced group as drift.
def _rule_description(self):
    return self.ip_range.get("Description") or self.source_group.get("Description")


security_group_models.SecurityGroupRule.description = property(_rule_description)


# moto gives every EKS cluster the same OIDC issuer URL, so a second cluster's IAM OIDC provider
# failed with EntityAlreadyExists; real EKS gives each cluster an issuer of its own.
_cluster_init = moto.eks.models.Cluster.__init__


def _cluster_init_with_own_issuer(self, *args, **kwargs):
    _cluster_init(self, *args, **kwargs)
    region = self.arn.split(":")[3]
    issuer_id = mock_random.get_random_hex(32).upper()
    self.identity = {"oidc": {"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{issuer_id}"}}


moto.eks.models.Cluster.__init__ = _cluster_init_with_own_issuer

# moto gives every Auto Scaling lifecycle hook a made-up notification target (an SQS queue) and
# role; real Auto Scaling reports neither for a hook created without them, so the provider saw
# both as drift on every re-plan of the RKE2 server groups' termination hooks.
_lifecycle_hook_init = moto.autoscaling.models.LifecycleHook.__init__


def _lifecycle_hook_init_without_made_up_target(self, *args, **kwargs):
    _lifecycle_hook_init(self, *args, **kwargs)
    self.role_arn = None
    self.notification_target_arn = None


moto.autoscaling.models.LifecycleHook.__init__ = _lifecycle_hook_init_without_made_up_target

# ModifyListener to protocol TLS: real ELB turns a Network Load Balancer's TCP listener into a TLS
# one (with exactly one certificate, as for HTTPS); moto accepted only HTTP, HTTPS and TCP there
# and answered UnsupportedProtocol, so switching an environment to TLS mode acm failed. The TLS
# case is handled like moto's HTTPS case; every other call goes to moto unchanged.
_modify_listener = elbv2_models.ELBv2Backend.modify_listener


def _modify_listener_accepting_tls(self, arn, port=None, protocol=None, ssl_policy=None, certificates=None, actions=None):
    if protocol != "TLS":
        return _modify_listener(self, arn, port, protocol, ssl_policy, certificates, actions)
    listener = self.describe_listeners(load_balancer_arn=None, listener_arns=[arn])[0]
    if certificates:
        arns = [c["CertificateArn"] for c in certificates]
        if not self._certificate_exists(certificate_arn=arns[0]):
            raise ELBClientError("CertificateNotFound", f"Certificate {arns[0]} not found")
    elif not listener.certificates:
        raise ELBClientError(
            "InvalidConfigurationRequest",
            "You must provide a list containing exactly one certificate if the listener protocol is TLS.",
        )
    listener = _modify_listener(self, arn, port, None, ssl_policy, [], actions)
    if certificates:
        listener.certificate = arns[0]
        listener.certificates = arns
    listener.protocol = "TLS"
    return listener


elbv2_models.ELBv2Backend.modify_listener = _modify_listener_accepting_tls

# EKS access entries and access policy associations: moto 5.2.1 has none of their operations and
# answers 404 (NotImplemented) where EKS manages them for every cluster whose authentication mode
# is API. A minimal model: entries per cluster and principal, policies per entry, both removed with
# the cluster, ResourceNotFoundException where EKS gives it.
def _access_entries(backend):
    if not hasattr(backend, "rancher_access_entries"):
        backend.rancher_access_entries = {}
    return backend.rancher_access_entries


def _access_entry(response):
    backend = response.eks_backend
    cluster = response._get_param("name")
    principal = response._get_param("principalArn")
    backend.describe_cluster(cluster)  # ResourceNotFoundException for an unknown cluster
    entry = _access_entries(backend).get((cluster, principal))
    if entry is None:
        raise eks_exceptions.ResourceNotFoundException(
            clusterName=cluster,
            nodegroupName=None,
            fargateProfileName=None,
            addonName=None,
            message="The specified principalArn could not be found. You can view your available access entries with 'list-access-entries'.",
        )
    return entry


def _create_access_entry(self):
    cluster = self._get_param("name")
    principal = self._get_param("principalArn")
    backend = self.eks_backend
    backend.describe_cluster(cluster)
    entries = _access_entries(backend)
    if (cluster, principal) in entries:
        raise eks_exceptions.ResourceInUseException(
            clusterName=cluster,
            nodegroupName=None,
            addonName=None,
            message="The specified access entry resource is already in use on this cluster.",
        )
    now = unix_time()
    account, name = principal.split(":")[4], principal.split(":")[5]
    entry = {
        "clusterName": cluster,
        "principalArn": principal,
        "kubernetesGroups": self._get_param("kubernetesGroups") or [],
        "accessEntryArn": f"arn:aws:eks:{self.region}:{account}:access-entry/{cluster}/{name}/{mock_random.uuid4()}",
        "createdAt": now,
        "modifiedAt": now,
        "tags": self._get_param("tags") or {},
        "username": self._get_param("username") or principal,
        "type": self._get_param("type") or "STANDARD",
        "policies": {},
    }
    entries[(cluster, principal)] = entry
    return json.dumps({"accessEntry": _entry_view(entry)})


def _entry_view(entry):
    return {key: value for key, value in entry.items() if key != "policies"}


def _describe_access_entry(self):
    return json.dumps({"accessEntry": _entry_view(_access_entry(self))})


def _delete_access_entry(self):
    entry = _access_entry(self)
    del _access_entries(self.eks_backend)[(entry["clusterName"], entry["principalArn"])]
    return "{}"


def _associate_access_policy(self):
    entry = _access_entry(self)
    policy_arn = self._get_param("policyArn")
    now = unix_time()
    policy = entry["policies"].get(policy_arn, {"policyArn": policy_arn, "associatedAt": now})
    policy.update({"accessScope": self._get_param("accessScope"), "modifiedAt": now})
    entry["policies"][policy_arn] = policy
    return json.dumps(
        {"clusterName": entry["clusterName"], "principalArn": entry["principalArn"], "associatedAccessPolicy": policy}
    )


def _list_associated_access_policies(self):
    entry = _access_entry(self)
    return json.dumps(
        {
            "clusterName": entry["clusterName"],
            "principalArn": entry["principalArn"],
            "associatedAccessPolicies": list(entry["policies"].values()),
        }
    )


def _disassociate_access_policy(self):
    entry = _access_entry(self)
    entry["policies"].pop(self._get_param("policyArn"), None)
    return "{}"


for _name, _method in {
    "create_access_entry": _create_access_entry,
    "describe_access_entry": _describe_access_entry,
    "delete_access_entry": _delete_access_entry,
    "associate_access_policy": _associate_access_policy,
    "list_associated_access_policies": _list_associated_access_policies,
    "disassociate_access_policy": _disassociate_access_policy,
}.items():
    setattr(moto.eks.responses.EKSResponse, _name, _method)
# The principal ARN in these paths holds slashes once the server has decoded it.
moto.eks.urls.url_paths["{0}/clusters/(?P<name>[^/]+)/access-entries$"] = moto.eks.urls.response.dispatch
moto.eks.urls.url_paths["{0}/clusters/(?P<name>[^/]+)/access-entries/(?P<accessEntryPath>.+)$"] = moto.eks.urls.response.dispatch

_delete_cluster = moto.eks.models.EKSBackend.delete_cluster


def _delete_cluster_with_access_entries(self, name):
    cluster = _delete_cluster(self, name)
    entries = _access_entries(self)
    for key in [key for key in entries if key[0] == name]:
        del entries[key]
    return cluster


moto.eks.models.EKSBackend.delete_cluster = _delete_cluster_with_access_entries


# CodeBuild's JSON protocol carries timestamps as epoch seconds; moto's builds hold ISO 8601
# strings (startTime, endTime, each phase's), which an AWS SDK for JavaScript cannot read, so
# StartBuild, BatchGetBuilds and StopBuild failed to deserialize. The answers get epoch seconds;
# moto keeps its own ISO strings, which it parses again.
def _epoch_seconds(value):
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return value


def _builds_with_epoch_times(action):
    def answer(self):
        body = json.loads(action(self))
        builds = body.get("builds") or ([body["build"]] if body.get("build") else [])
        for build in builds:
            for item in [build, *build.get("phases", [])]:
                for key in ("startTime", "endTime"):
                    if key in item:
                        item[key] = _epoch_seconds(item[key])
        return json.dumps(body)

    return answer


for _name in ("start_build", "batch_get_builds", "stop_build"):
    setattr(
        codebuild_responses.CodeBuildResponse,
        _name,
        _builds_with_epoch_times(getattr(codebuild_responses.CodeBuildResponse, _name)),
    )


# DeleteProject names the project by name or ARN on CodeBuild, and the AWS provider sends the ARN
# (the resource's id); moto looked the ARN up as a name, found nothing and kept the project.
_delete_project = codebuild_models.CodeBuildBackend.delete_project


def _delete_project_by_name_or_arn(self, project_name):
    for name, project in list(self.codebuild_projects.items()):
        if project.arn == project_name:
            project_name = name
    return _delete_project(self, project_name)


codebuild_models.CodeBuildBackend.delete_project = _delete_project_by_name_or_arn

# moto 5.2.1 has no EKS add-on API at all (moto/eks/responses.py and urls.py stop at clusters, node
# groups and Fargate profiles), so every aws_eks_addon failed. Below are the calls the AWS provider
# makes for one (CreateAddon, DescribeAddon, UpdateAddon + DescribeUpdate, DeleteAddon, tags on
# the add-on's ARN) and ListAddons, as AWS answers them, except that an add-on is ACTIVE and an
# update Successful at once (nothing runs in the emulator's clusters). Add-ons live on their
# cluster, so they go with it as on AWS.
_addon_updates = {}


def _addon_not_found(cluster_name, addon_name):
    return moto.eks.exceptions.ResourceNotFoundException(
        clusterName=cluster_name,
        nodegroupName=None,
        fargateProfileName=None,
        addonName=addon_name,
        message=f"No addon: {addon_name} found in cluster: {cluster_name}",
    )


def _addons_of(response):
    cluster = response.eks_backend.describe_cluster(name=response._get_param("name"))
    if not hasattr(cluster, "addons"):
        cluster.addons = {}
    return cluster


def _addon(response):
    cluster = _addons_of(response)
    addon = cluster.addons.get(response._get_param("addonName"))
    if addon is None:
        raise _addon_not_found(cluster.name, response._get_param("addonName"))
    return addon


def _create_addon(self):
    cluster = _addons_of(self)
    name = self._get_param("addonName")
    if name in cluster.addons:
        raise moto.eks.exceptions.ResourceInUseException(
            clusterName=cluster.name,
            nodegroupName=None,
            addonName=name,
            message=f"Addon already exists with name: {name} on cluster: {cluster.name}",
        )
    now = utcnow()
    partition, _, region, account = cluster.arn.split(":")[1:5]
    cluster.addons[name] = {
        "addonName": name,
        "clusterName": cluster.name,
        "status": "ACTIVE",
        "addonVersion": self._get_param("addonVersion"),
        "health": {"issues": []},
        "addonArn": f"arn:{partition}:eks:{region}:{account}:addon/{cluster.name}/{name}/{mock_random.uuid4()}",
        "createdAt": now,
        "modifiedAt": now,
        "serviceAccountRoleArn": self._get_param("serviceAccountRoleArn"),
        "tags": dict(self._get_param("tags") or {}),
        "configurationValues": self._get_param("configurationValues"),
    }
    return ActionResult({"addon": cluster.addons[name]})


def _describe_addon(self):
    return ActionResult({"addon": _addon(self)})


def _list_addons(self):
    return ActionResult({"addons": sorted(_addons_of(self).addons)})


def _update_addon(self):
    addon = _addon(self)
    params = []
    for key, kind in (
        ("addonVersion", "AddonVersion"),
        ("serviceAccountRoleArn", "ServiceAccountRoleArn"),
        ("configurationValues", "ConfigurationValues"),
    ):
        value = self._get_param(key)
        if value is not None:
            addon[key] = value or None
            params.append({"type": kind, "value": value})
    addon["modifiedAt"] = utcnow()
    update_id = str(mock_random.uuid4())
    _addon_updates[update_id] = {
        "id": update_id,
        "status": "Successful",
        "type": "AddonUpdate",
        "params": params,
        "createdAt": addon["modifiedAt"],
        "errors": [],
    }
    return ActionResult({"update": {**_addon_updates[update_id], "status": "InProgress"}})


def _describe_update(self):
    update = _addon_updates.get(self._get_param("updateId"))
    if update is None:
        raise moto.eks.exceptions.ResourceNotFoundException(
            clusterName=self._get_param("name"),
            nodegroupName=None,
            fargateProfileName=None,
            addonName=self._get_param("addonName"),
            message=f"No update found for ID: {self._get_param('updateId')}",
        )
    return ActionResult({"update": update})


def _delete_addon(self):
    addon = _addon(self)
    del _addons_of(self).addons[addon["addonName"]]
    return ActionResult({"addon": {**addon, "status": "DELETING"}})


def _addon_by_arn(backend, arn):
    if ":addon/" not in arn:
        return None
    for cluster in backend.clusters.values():
        for addon in getattr(cluster, "addons", {}).values():
            if addon["addonArn"] == arn:
                return addon
    raise _addon_not_found(None, arn)


def _tags_also_on_addons(operation, on_addon):
    def tags(self, resource_arn, *args):
        addon = _addon_by_arn(self, resource_arn)
        return operation(self, resource_arn, *args) if addon is None else on_addon(addon, *args)

    return tags


def _untag(addon, keys):
    for key in keys if isinstance(keys, list) else [keys]:
        addon["tags"].pop(key, None)


_eks = moto.eks.models.EKSBackend
_eks.tag_resource = _tags_also_on_addons(_eks.tag_resource, lambda addon, tags: addon["tags"].update(tags))
_eks.untag_resource = _tags_also_on_addons(_eks.untag_resource, _untag)
_eks.list_tags_for_resource = _tags_also_on_addons(_eks.list_tags_for_resource, lambda addon: addon["tags"])

for _name, _call in {
    "create_addon": _create_addon,
    "describe_addon": _describe_addon,
    "list_addons": _list_addons,
    "update_addon": _update_addon,
    "describe_update": _describe_update,
    "delete_addon": _delete_addon,
}.items():
    setattr(moto.eks.responses.EKSResponse, _name, _call)
moto.eks.urls.url_paths.update(
    {
        "{0}/clusters/(?P<name>[^/]+)/addons$": moto.eks.urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)$": moto.eks.urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)/update$": moto.eks.urls.response.dispatch,
        "{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$": moto.eks.urls.response.dispatch,
    }
)


# RevokeSecurityGroupIngress/Egress with SecurityGroupRuleIds naming a rule that is gone: real EC2
# answers InvalidSecurityGroupRuleId.NotFound, which the AWS provider takes as "already deleted";
# moto answered InvalidPermission.NotFound, which fails the destroy when a revoke is re-sent (see
# ReplayRetriedSuccesses below) or the rule was removed outside Terraform.
def _revoke_reporting_unknown_rule_ids(revoke, rules_of):
    def revoke_by_rule_id(self, group_name_or_id, *args, security_rule_ids=None, vpc_id=None, **kwargs):
        group = self.get_security_group_by_name_or_id(group_name_or_id, vpc_id)
        if group is not None and security_rule_ids:
            known = {rule.id for rule in rules_of(group)}
            for rule_id in security_rule_ids:
                if rule_id not in known:
                    raise ec2_exceptions.InvalidSecurityGroupRuleIdNotFoundError(rule_id)
        return revoke(self, group_name_or_id, *args, security_rule_ids=security_rule_ids, vpc_id=vpc_id, **kwargs)

    return revoke_by_rule_id


_backend = security_group_models.SecurityGroupBackend
_backend.revoke_security_group_ingress = _revoke_reporting_unknown_rule_ids(
    _backend.revoke_security_group_ingress, lambda group: group.ingress_rules
)
_backend.revoke_security_group_egress = _revoke_reporting_unknown_rule_ids(
    _backend.revoke_security_group_egress, lambda group: group.egress_rules
)


# The AWS SDKs re-send a call whose answer they did not get, with the same amz-sdk-invocation-id
# and attempt=2. Against this emulator that happens a few times per test run for calls moto had
# answered 200 (logged as sent; why the client lost it was not found), and a re-sent create then
# failed with "already exists" (CreateLaunchTemplate, AuthorizeSecurityGroupIngress), a re-sent
# revoke with "not found". Real EC2 makes most creates idempotent with the ClientToken the SDK
# keeps across attempts, which moto ignores. So a successful answer is kept per invocation id, and
# a re-sent attempt of that invocation gets the same answer instead of running again. Re-sent
# attempts after an error (throttling, 5xx, eventual consistency) still run, as on AWS.
class ReplayRetriedSuccesses:
    KEPT_ANSWERS = 2000
    LARGEST_KEPT_BODY = 1 << 20

    def __init__(self, app):
        self.app = app
        self.answers = collections.OrderedDict()

    def __call__(self, environ, start_response):
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID")
        if not invocation:
            return self.app(environ, start_response)
        key = (invocation, environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"), environ.get("CONTENT_LENGTH"))
        kept = self.answers.get(key)
        if kept is not None:
            status, headers, body = kept
            # In the emulator's log, so a test run shows how often this happened.
            attempt = environ.get("HTTP_AMZ_SDK_REQUEST", "")
            print(f"replayed the answer of invocation {invocation} ({attempt})", file=sys.stderr, flush=True)
            start_response(status, headers)
            return [body]
        answer = {}

        def keep_status(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, headers
            return start_response(status, headers, exc_info)

        answered = self.app(environ, keep_status)
        try:
            body = b"".join(answered)
        finally:
            if hasattr(answered, "close"):
                answered.close()
        if answer.get("status", "").startswith("2") and len(body) <= self.LARGEST_KEPT_BODY:
            self.answers[key] = (answer["status"], answer["headers"], body)
            while len(self.answers) > self.KEPT_ANSWERS:
                self.answers.popitem(last=False)
        return [body]


# moto's in-memory models are not thread-safe (a request that iterates a collection while another
# changes it can fail), and moto_server answers each request on its own thread. AWS applies each
# call atomically; answering one request at a time gives the same here. Requests take
# milliseconds, so the Terraform waiters, not the emulator, still set the pace.
_run_simple = moto.server.run_simple


def _run_simple_one_request_at_a_time(host, port, app, *args, **kwargs):
    kwargs["threaded"] = False
    return _run_simple(host, port, ReplayRetriedSuccesses(app), *args, **kwargs)


moto.server.run_simple = _run_simple_one_request_at_a_time


if __name__ == "__main__":
    moto.server.main(sys.argv[1:])
