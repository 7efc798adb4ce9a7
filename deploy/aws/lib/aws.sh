# shellcheck shell=bash
# Calling the AWS CLI (v1 or v2) the same way everywhere, and the checks that must pass before
# anything is created: a CLI, a region, credentials.

# The CLI v2 pipes long output through a pager; a script must never wait on one.
export AWS_PAGER=""

die() {
  echo "seedkeeper-aws: $*" >&2
  exit 1
}

say() { echo "$*" >&2; }

# Every call names the region, and the endpoint when AWS_ENDPOINT_URL is set: the CLI reads that
# variable itself only from v1.29 / v2.13 on, so older ones get it as --endpoint-url.
awscli() {
  local global=(--region "$REGION")
  if [ -n "${AWS_ENDPOINT_URL:-}" ]; then global+=(--endpoint-url "$AWS_ENDPOINT_URL"); fi
  "$AWS_CLI" "${global[@]}" "$@"
}

# One value with --output text; "None" (the CLI's word for null) becomes empty. A non-empty answer
# ends with a newline, so that piped into sed, tac or read its last line is a whole line.
aws_text() {
  local out
  out="$(awscli "$@" --output text)" || return $?
  if [ "$out" = "None" ]; then out=""; fi
  if [ -n "$out" ]; then printf '%s\n' "$out"; fi
}

require_aws_cli() {
  AWS_CLI="${AWS_CLI:-aws}"
  command -v "$AWS_CLI" >/dev/null 2>&1 || die "the AWS CLI ('$AWS_CLI') is not installed — install it
  (v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html, or v1: pip install awscli)
  then run 'aws configure'"
}

require_region() {
  if [ -z "${REGION:-}" ]; then REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"; fi
  if [ -z "$REGION" ]; then REGION="$("$AWS_CLI" configure get region 2>/dev/null || true)"; fi
  [ -n "$REGION" ] || die "no AWS region set — pass --region us-east-1, or set AWS_REGION, or run 'aws configure'"
}

require_credentials() {
  local errfile err
  errfile="$(mktemp)"
  if ! ACCOUNT_ID="$(aws_text sts get-caller-identity --query Account 2>"$errfile")"; then
    err="$(tr '\n' ' ' <"$errfile")"
    rm -f "$errfile"
    die "no usable AWS credentials (${err:-sts get-caller-identity failed}) —
  run 'aws configure' (access key) or 'aws sso login', or set AWS_PROFILE, then try again"
  fi
  rm -f "$errfile"
  [ -n "$ACCOUNT_ID" ] || die "AWS did not say which account these credentials belong to — check 'aws sts get-caller-identity'"
}

preflight() {
  require_aws_cli
  require_region
  require_credentials
}
