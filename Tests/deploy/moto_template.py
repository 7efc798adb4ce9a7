"""The real template, minus only what moto's CloudFormation cannot create.

moto creates no ElastiCache resources from a template (it skips them with a warning), and a
template whose outputs and user data read the Redis endpoint then fails to resolve. It cannot
create an EventBridge Scheduler schedule either (it warns and skips it). So the transform removes
those resource types and puts a placeholder where their attributes were read. Everything else
reaches moto as written. test_aws_moto_gaps.py proves each gap is still there.
"""
import copy
import json
from pathlib import Path

from cfnlint.decode import decode

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = REPO_ROOT / "deploy" / "aws" / "seedkeeper.yaml"

# Resource types moto's CloudFormation does not create (see test_aws_moto_gaps.py).
MOTO_CANNOT_CREATE = ("AWS::ElastiCache::ReplicationGroup", "AWS::ElastiCache::SubnetGroup",
                      "AWS::Scheduler::Schedule")
PLACEHOLDER_HOST = "redis.stripped-for-moto.invalid"
PLACEHOLDER_PORT = "6379"


def load_template(path: Path = TEMPLATE) -> dict:
    """The template as CloudFormation reads it (short forms like !Ref turned into Ref/Fn::*)."""
    template, matches = decode(str(path))
    if template is None:
        raise ValueError(f"{path} does not parse: {matches}")
    return template


def _replace_refs(node, stripped: set):
    if isinstance(node, dict):
        if set(node) == {"Fn::GetAtt"}:
            target = node["Fn::GetAtt"]
            name, attr = (target if isinstance(target, list) else target.split(".", 1))[:2]
            if name in stripped:
                return PLACEHOLDER_PORT if attr.endswith("Port") else PLACEHOLDER_HOST
        if set(node) == {"Ref"} and node["Ref"] in stripped:
            return f"{node['Ref']}-stripped-for-moto"
        return {k: _replace_refs(v, stripped) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace_refs(v, stripped) for v in node]
    return node


def moto_template(template: dict) -> dict:
    """A copy without the resources moto cannot create; reads of them become placeholders."""
    out = copy.deepcopy(template)
    stripped = {name for name, res in out["Resources"].items() if res["Type"] in MOTO_CANNOT_CREATE}
    for name in stripped:
        del out["Resources"][name]
    for res in out["Resources"].values():
        depends = res.get("DependsOn")
        if isinstance(depends, list):
            res["DependsOn"] = [d for d in depends if d not in stripped]
        elif depends in stripped:
            del res["DependsOn"]
    return _replace_refs(out, stripped)


def write_moto_template(dest: Path) -> Path:
    dest.write_text(json.dumps(moto_template(load_template()), indent=1, default=str))
    return dest
