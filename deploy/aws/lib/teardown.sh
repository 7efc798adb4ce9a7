# shellcheck shell=bash
# After the stack is deleted: proof that nothing billable of it is left. Two looks: every billable
# resource the stack had (recorded before deleting), and everything tagged with the stack's name
# (CloudFormation tags what it creates; this also finds remains of earlier, failed stacks).

# Lines "type<TAB>physical-id" of the stack's billable resources.
billable_stack_resources() {
  aws_text cloudformation describe-stack-resources --stack-name "$1" \
    --query "StackResources[?contains(['AWS::EC2::Instance','AWS::ElasticLoadBalancingV2::LoadBalancer','AWS::ElasticLoadBalancingV2::TargetGroup','AWS::ElastiCache::ReplicationGroup','AWS::EC2::EIP'], ResourceType)].[ResourceType,PhysicalResourceId]" \
    2>/dev/null || true
}

# Is this recorded resource still there (and still costing)? Asked by listing, so that "gone" is
# an empty answer and never a failed call: when AWS cannot be asked, it counts as still there.
resource_remains() {
  local type="$1" id="$2" out
  case "$type" in
    AWS::EC2::Instance)
      out="$(aws_text ec2 describe-instances --filters "Name=instance-id,Values=$id" \
               --query 'Reservations[].Instances[].State.Name')" || return 0
      [ -n "$out" ] && [ "$out" != terminated ] ;;
    AWS::ElasticLoadBalancingV2::LoadBalancer)
      out="$(aws_text elbv2 describe-load-balancers --query "LoadBalancers[?LoadBalancerArn=='$id'].LoadBalancerArn")" || return 0
      [ -n "$out" ] ;;
    AWS::ElasticLoadBalancingV2::TargetGroup)
      out="$(aws_text elbv2 describe-target-groups --query "TargetGroups[?TargetGroupArn=='$id'].TargetGroupArn")" || return 0
      [ -n "$out" ] ;;
    AWS::ElastiCache::ReplicationGroup)
      out="$(aws_text elasticache describe-replication-groups \
               --query "ReplicationGroups[?ReplicationGroupId=='$id'].Status")" || return 0
      [ -n "$out" ] ;;
    AWS::EC2::EIP)
      out="$(aws_text ec2 describe-addresses --filters "Name=public-ip,Values=$id" --query 'Addresses[].PublicIp')" || return 0
      [ -n "$out" ] ;;
    *) return 1 ;;
  esac
}

# Deletes one of the stack's own resources that the stack's deletion left behind (CloudFormation
# keeps what it could not delete, e.g. after DELETE_FAILED). Only recorded physical ids get here.
delete_remaining_resource() {
  local type="$1" id="$2"
  say "deleting what the stack left behind: ${type##*::} $id"
  case "$type" in
    AWS::EC2::Instance)
      awscli ec2 terminate-instances --instance-ids "$id" >/dev/null ;;
    AWS::ElasticLoadBalancingV2::LoadBalancer)
      awscli elbv2 delete-load-balancer --load-balancer-arn "$id" ;;
    AWS::ElasticLoadBalancingV2::TargetGroup)
      awscli elbv2 delete-target-group --target-group-arn "$id" ;;
    AWS::ElastiCache::ReplicationGroup)
      awscli elasticache delete-replication-group --replication-group-id "$id" >/dev/null ;;
    AWS::EC2::EIP)
      awscli ec2 release-address --public-ip "$id" ;;
  esac || say "  could not delete it (see the error above)"
}

# Deletes whatever of the recorded resources still exists.
delete_remaining_resources() {
  local recorded="$1" type id
  while IFS=$'\t' read -r type id; do
    [ -n "$type" ] || continue
    if resource_remains "$type" "$id"; then delete_remaining_resource "$type" "$id"; fi
  done <<<"$recorded"
}

# Lines "kind<TAB>id" of billable resources tagged with the stack.
tagged_leftovers() {
  local stack="$1" tag arns arn tags
  for tag in aws:cloudformation:stack-name seedkeeper:stack; do
    aws_text ec2 describe-instances \
      --filters "Name=tag:$tag,Values=$stack" \
                Name=instance-state-name,Values=pending,running,shutting-down,stopping,stopped \
      --query 'Reservations[].Instances[].InstanceId' | tr '\t' '\n' | sed '/^$/d; s/^/instance\t/'
    aws_text ec2 describe-addresses --filters "Name=tag:$tag,Values=$stack" \
      --query 'Addresses[].PublicIp' | tr '\t' '\n' | sed '/^$/d; s/^/elastic-ip\t/'
  done
  # Load balancers, target groups and caches are filtered by tag one by one.
  arns="$(aws_text elbv2 describe-load-balancers --query 'LoadBalancers[].LoadBalancerArn') $(
          aws_text elbv2 describe-target-groups --query 'TargetGroups[].TargetGroupArn')"
  for arn in $arns; do
    tags="$(aws_text elbv2 describe-tags --resource-arns "$arn" \
              --query 'TagDescriptions[].Tags[].[Key,Value]' 2>/dev/null || true)"
    if printf '%s\n' "$tags" | grep -qE "^(aws:cloudformation:stack-name|seedkeeper:stack)"$'\t'"$stack\$"; then
      case "$arn" in
        *:loadbalancer/*) printf 'load-balancer\t%s\n' "$arn" ;;
        *) printf 'target-group\t%s\n' "$arn" ;;
      esac
    fi
  done
  for arn in $(aws_text elasticache describe-replication-groups --query 'ReplicationGroups[].ARN' 2>/dev/null || true); do
    tags="$(aws_text elasticache list-tags-for-resource --resource-name "$arn" \
              --query 'TagList[].[Key,Value]' 2>/dev/null || true)"
    if printf '%s\n' "$tags" | grep -qE "^(aws:cloudformation:stack-name|seedkeeper:stack)"$'\t'"$stack\$"; then
      printf 'redis\t%s\n' "$arn"
    fi
  done
}

# Prints what is left; returns 1 when something is.
verify_nothing_left() {
  local stack="$1" recorded="$2" left="" type id
  while IFS=$'\t' read -r type id; do
    [ -n "$type" ] || continue
    if resource_remains "$type" "$id"; then left+="${type##*::}"$'\t'"$id"$'\n'; fi
  done <<<"$recorded"
  left+="$(tagged_leftovers "$stack")"
  left="$(printf '%s\n' "$left" | sed '/^$/d' | sort -u)"
  if [ -n "$left" ]; then
    say "STILL THERE (and may still cost money):"
    printf '%s\n' "$left" | sed 's/^/  /; s/\t/  /' >&2
    say "Delete them in the console (EC2, Load Balancers / Target Groups, ElastiCache), or run '$0 down' again."
    return 1
  fi
  return 0
}
