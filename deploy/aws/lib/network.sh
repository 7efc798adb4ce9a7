# shellcheck shell=bash
# Where the stack goes: the account's default VPC and two of its default subnets, in two
# Availability Zones that offer the instance type (what the assignment's console steps use).

# Sets VPC_ID, SUBNET_A, SUBNET_B.
find_network() {
  local instance_type="$1" offered subnets az subnet
  VPC_ID="$(aws_text ec2 describe-vpcs --filters Name=isDefault,Values=true --query 'Vpcs[0].VpcId')" \
    || die "could not list the VPCs of $REGION (see the error above)"
  [ -n "$VPC_ID" ] || die "no default VPC in $REGION — create one with
  'aws ec2 create-default-vpc --region $REGION' (or VPC console > Actions > Create default VPC), then run up again"

  offered="$(aws_text ec2 describe-instance-type-offerings --location-type availability-zone \
      --filters "Name=instance-type,Values=$instance_type" --query 'InstanceTypeOfferings[].Location')" \
    || die "could not ask $REGION which zones offer $instance_type (see the error above)"
  [ -n "$offered" ] || die "$REGION does not offer instance type $instance_type — pick another with
  --instance-type (t3.micro and t2.micro are the usual free-tier ones) or another --region"

  subnets="$(aws_text ec2 describe-subnets \
      --filters "Name=vpc-id,Values=$VPC_ID" Name=default-for-az,Values=true \
      --query 'Subnets[].[AvailabilityZone,SubnetId]' | sort)"
  SUBNET_A="" SUBNET_B=""
  local az_a=""
  while read -r az subnet; do
    [ -n "$az" ] || continue
    # Only zones that offer the instance type, and two different ones.
    tr -s '\t ' '\n' <<<"$offered" | grep -qx "$az" || continue
    if [ -z "$SUBNET_A" ]; then SUBNET_A="$subnet" az_a="$az"
    elif [ "$az" != "$az_a" ]; then SUBNET_B="$subnet"; break; fi
  done <<<"$subnets"
  [ -n "$SUBNET_B" ] || die "the default VPC $VPC_ID has no default subnets in two zones that offer
  $instance_type — create them with 'aws ec2 create-default-subnet --availability-zone ZONE', or pick another --instance-type"
  say "network: default VPC $VPC_ID, subnets $SUBNET_A and $SUBNET_B"
}
