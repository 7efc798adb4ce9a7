"""The CloudFormation template: deploy/aws/seedkeeper.yaml beside this package in the repository,
or the copy an installed package carries (setup.py puts it there)."""
from pathlib import Path

from .console import CliError

# CloudFormation takes at most 51 200 bytes as TemplateBody (larger ones need an S3 URL).
MAX_BODY = 51200


def template_body(path=None) -> str:
    here = Path(__file__).resolve().parent
    candidates = [Path(path)] if path else [here.parent / "seedkeeper.yaml", here / "seedkeeper.yaml"]
    for candidate in candidates:
        if candidate.is_file():
            body = candidate.read_text(encoding="utf-8")
            if len(body.encode()) > MAX_BODY:
                raise CliError(f"{candidate} is larger than CloudFormation's {MAX_BODY}-byte limit")
            return body
    raise CliError(f"no template at {candidates[0]}: reinstall seedkeeper-aws, or pass --template FILE")
