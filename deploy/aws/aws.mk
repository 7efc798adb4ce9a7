# deploy/aws: the release artifact for EC2 and the offline tests of the AWS deploy.
#   make artifact        dist/seedkeeper-<arch>.tar.gz (static Swift runtime, libstdc++ and hiredis);
#                        ARCH=arm64 for Graviton, through Docker where no Swift is installed
#   make artifact-check  the artifact, then proof that it runs on glibc 2.34 in a bare Debian root
#   make aws-test        only the deploy tests (cfn-lint, policy, moto, shellcheck, systemd)

# The deploy tests (Tests/deploy) run in `make test`: cfn-lint; boto3, which seedkeeper-aws itself
# needs (deploy/aws/pyproject.toml); moto, in process for most tests, and its server for the one
# that runs the command as a program of its own (test_aws_cli_python_only.py).
PIP_PACKAGES += cfn-lint>=1.20,<2 moto[server]>=5.0.20,<6 boto3>=1.35
TEST_APT_PACKAGES += shellcheck systemd curl binutils debootstrap

ARTIFACT_APT_PACKAGES := libhiredis-dev g++ binutils
ARTIFACT_CHECK_APT_PACKAGES := debootstrap curl binutils

.PHONY: artifact artifact-check aws-test

# ARCH=x86_64 or arm64 (default: this machine's). Built natively on Linux when Swift is on PATH and ARCH is
# this machine's, else through Docker (the Dockerfile's `artifact` stage): deploy/docker/README.md.
ARCH ?=
artifact:
	@if command -v swift >/dev/null && command -v apt-get >/dev/null; then ./scripts/ensure-apt $(ARTIFACT_APT_PACKAGES); fi
	deploy/aws/build-artifact.sh $(if $(ARCH),--arch $(ARCH))

# `make test` builds the artifact and checks it through Tests/deploy/test_aws_artifact.py; this
# target runs the same check alone.
artifact-check: artifact
	@./scripts/ensure-apt $(ARTIFACT_CHECK_APT_PACKAGES)
	deploy/aws/artifact-check.sh

aws-test: test-deps
	$(PYTHON) -m pytest -c Tests/pytest.ini Tests/deploy
