"""The boto3 session every command uses, and the checks that come before anything is created: a
region and credentials. boto3 reads AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) by itself
since 1.28.57, so another endpoint (moto, LocalStack) needs nothing here."""
from dataclasses import dataclass

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from .console import CliError

# Standard retry mode: backoff with jitter on throttling and transient errors, for every call.
_CONFIG = Config(retries={"max_attempts": 8, "mode": "standard"}, connect_timeout=10, read_timeout=60)


@dataclass
class Aws:
    """A region, the account of the credentials, and clients bound to both."""
    session: boto3.session.Session
    region: str
    account: str

    def client(self, service: str, **config):
        """A client of `service`; `config`: botocore Config settings on top of the defaults."""
        merged = _CONFIG.merge(Config(**config)) if config else _CONFIG
        return self.session.client(service, region_name=self.region, config=merged)


def error_code(error: Exception) -> str:
    """The AWS error code of a ClientError ("ValidationError", "OperationAborted", ...), else ""."""
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Code", "")
    return ""


def error_message(error: Exception) -> str:
    if isinstance(error, ClientError):
        return error.response.get("Error", {}).get("Message", "") or str(error)
    return str(error)


def connect(region: str = None) -> Aws:
    """Region from --region, else AWS_REGION / AWS_DEFAULT_REGION / the profile; fails with what
    to do when there is no region or no working credentials."""
    session = boto3.session.Session(region_name=region or None)
    if not session.region_name:
        raise CliError("no AWS region: pass --region (e.g. --region us-east-1), set AWS_REGION, "
                       "or run 'aws configure'")
    try:
        identity = session.client("sts", config=_CONFIG).get_caller_identity()
    except NoRegionError:
        raise CliError("no AWS region: pass --region, set AWS_REGION, or run 'aws configure'")
    except NoCredentialsError:
        raise CliError("no usable AWS credentials: run 'aws configure' (access key) or "
                       "'aws sso login', or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    except (ClientError, BotoCoreError) as e:
        raise CliError(f"AWS refused these credentials ({error_message(e)}): check them with "
                       "'aws sts get-caller-identity', or run 'aws configure' again")
    return Aws(session=session, region=session.region_name, account=identity["Account"])
