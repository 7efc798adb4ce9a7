# shellcheck shell=bash
# The CloudFormation stack: its state, creating or updating it, and showing its events as they
# happen while CloudFormation works.

POLL_SECONDS="${SEEDKEEPER_POLL_SECONDS:-5}"
STACK_TIMEOUT="${SEEDKEEPER_STACK_TIMEOUT:-3600}"   # ElastiCache alone can take 15 minutes

# The stack's status, or "" when there is none.
stack_status() {
  local out
  if ! out="$(aws_text cloudformation describe-stacks --stack-name "$1" \
                --query 'Stacks[0].StackStatus' 2>&1)"; then
    case "$out" in
      *"does not exist"*) return 0 ;;
      *) die "could not read stack $1: $out" ;;
    esac
  fi
  printf '%s' "$out"
}

stack_id() {
  aws_text cloudformation describe-stacks --stack-name "$1" --query 'Stacks[0].StackId' 2>/dev/null || true
}

# One output of the stack named by the global STACK (set by seedkeeper-aws).
stack_output() {
  # shellcheck disable=SC2153
  aws_text cloudformation describe-stacks --stack-name "$STACK" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue | [0]"
}

is_terminal() {
  case "$1" in
    *_IN_PROGRESS) return 1 ;;
    *_COMPLETE|*_FAILED|"") return 0 ;;
    *) return 1 ;;
  esac
}

# Prints the events of stack $1 (a name or id) that are not in file $2 yet, oldest first, and
# records them there.
print_new_events() {
  local stack="$1" seen="$2" events id ts logical type status reason
  events="$(aws_text cloudformation describe-stack-events --stack-name "$stack" \
      --query 'StackEvents[].[EventId,Timestamp,LogicalResourceId,ResourceType,ResourceStatus,ResourceStatusReason]' \
      2>/dev/null)" || return 0
  # The CLI lists the newest first.
  while IFS=$'\t' read -r id ts logical type status reason; do
    [ -n "$id" ] || continue
    grep -qxF "$id" "$seen" && continue
    echo "$id" >>"$seen"
    [ "$reason" = "None" ] && reason=""
    printf '  %s  %-30s %-24s %-22s %s\n' "${ts:11:8}" "$status" "$logical" "${type##*::}" "$reason" >&2
  done < <(printf '%s\n' "$events" | tac)
}

# Records the events a stack already has, so that watching shows only what happens next.
mark_events_seen() {
  local stack="$1" seen="$2"
  { aws_text cloudformation describe-stack-events --stack-name "$stack" \
      --query 'StackEvents[].EventId' 2>/dev/null | tr '\t' '\n'; echo; } >>"$seen" || true
}

# Shows events until stack $1 (an id: it stays readable after deletion) settles; prints the final
# status.
watch_stack() {
  local stack="$1" seen="$2" status deadline
  deadline=$(( $(date +%s) + STACK_TIMEOUT ))
  while :; do
    print_new_events "$stack" "$seen"
    status="$(stack_status "$stack")"
    if is_terminal "$status"; then
      print_new_events "$stack" "$seen"
      printf '%s' "${status:-DELETE_COMPLETE}"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "stack $STACK is still $status after ${STACK_TIMEOUT}s — watch it with '$0 status' or in the CloudFormation console"
    fi
    sleep "$POLL_SECONDS"
  done
}

# Why a stack failed: the reasons of its FAILED events, first ones first.
failure_reasons() {
  aws_text cloudformation describe-stack-events --stack-name "$1" \
    --query "StackEvents[?contains(ResourceStatus,'FAILED')].[LogicalResourceId,ResourceStatusReason]" \
    2>/dev/null | tac | sed 's/^/    /' >&2 || true
}
