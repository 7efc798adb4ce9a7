# shellcheck shell=bash
# The private bucket that carries the artifact to the instances (they read it with their role).

bucket_name() {
  # Account and region make it unique worldwide; S3 names are lower case, at most 63 characters.
  printf 'seedkeeper-%s-%s-%s' "$ACCOUNT_ID" "$REGION" "$STACK" | tr '[:upper:]' '[:lower:]' | cut -c1-63
}

ensure_bucket() {
  local bucket="$1"
  if awscli s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
    say "bucket: s3://$bucket (exists)"
    return
  fi
  # us-east-1 is the one region that refuses an explicit LocationConstraint.
  if [ "$REGION" = us-east-1 ]; then
    awscli s3api create-bucket --bucket "$bucket" >/dev/null
  else
    awscli s3api create-bucket --bucket "$bucket" \
      --create-bucket-configuration "LocationConstraint=$REGION" >/dev/null
  fi || die "could not create bucket $bucket (see the error above)"
  awscli s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true \
    || die "could not block public access on $bucket — delete it ('$0 down') and retry"
  awscli s3api put-bucket-tagging --bucket "$bucket" \
    --tagging "TagSet=[{Key=seedkeeper:stack,Value=$STACK}]" >/dev/null
  say "bucket: s3://$bucket (created, private)"
}

# Prints the key it uploaded to. The key carries the content's hash, so a new build is a new
# object and the stack's read permission always names exactly the object in use.
upload_artifact() {
  local bucket="$1" file="$2" arch="$3" digest key
  digest="$(sha256sum "$file" | cut -c1-16)"
  key="artifacts/seedkeeper-$arch-$digest.tar.gz"
  awscli s3 cp --only-show-errors "$file" "s3://$bucket/$key" >&2 \
    || die "could not upload $file to s3://$bucket/$key (see the error above)"
  say "artifact: s3://$bucket/$key"
  printf '%s' "$key"
}

delete_bucket() {
  local bucket="$1"
  if ! awscli s3api head-bucket --bucket "$bucket" >/dev/null 2>&1; then
    say "bucket: s3://$bucket is already gone"
    return
  fi
  awscli s3 rb --force "s3://$bucket" >/dev/null \
    || die "could not delete s3://$bucket — empty and delete it in the S3 console, then run down again"
  say "bucket: s3://$bucket deleted"
}
