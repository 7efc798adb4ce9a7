# deploy/aws: the release artifact for EC2 and the offline tests of the AWS deploy.
#   make artifact        dist/seedkeeper-<arch>.tar.gz (static Swift runtime, libstdc++ and hiredis)
#   make artifact-check  the artifact, then proof that it runs on glibc 2.34 in a bare Debian root
#   make aws-test        only the deploy tests (cfn-lint, policy, moto, shellcheck, systemd)

# The deploy tests (Tests/deploy) run in `make test`: cfn-lint, moto_server and the AWS CLI v1
# (the script is written for v1 and v2; v1 is the one PyPI carries), boto3 for the tests' own look.
PIP_PACKAGES += cfn-lint>=1.20,<2 moto[server]>=5.0.20,<6 boto3>=1.35 awscli>=1.35,<2
TEST_APT_PACKAGES += shellcheck systemd curl binutils debootstrap

ARTIFACT_APT_PACKAGES := libhiredis-dev g++ binutils
ARTIFACT_CHECK_APT_PACKAGES := debootstrap curl binutils

.PHONY: artifact artifact-check aws-test

artifact:
	@./scripts/ensure-apt $(ARTIFACT_APT_PACKAGES)
	deploy/aws/build-artifact.sh

# Not part of `make test`: a release build takes 5-13 minutes on two cores, and CI already builds
# the debug binaries once. Run it after changing the build flags, Package.swift or the toolchain.
artifact-check: artifact
	@./scripts/ensure-apt $(ARTIFACT_CHECK_APT_PACKAGES)
	deploy/aws/artifact-check.sh

aws-test: test-deps
	$(PYTHON) -m pytest -c Tests/pytest.ini Tests/deploy
