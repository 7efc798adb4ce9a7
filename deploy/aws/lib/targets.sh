# shellcheck shell=bash
# The two instances as the load balancer sees them: registered, and healthy (GET / answers 200).

HEALTH_TIMEOUT="${SEEDKEEPER_HEALTH_TIMEOUT:-900}"   # boot, download, install, two health checks

# Lines "instance-id<TAB>state<TAB>reason".
target_health() {
  aws_text elbv2 describe-target-health --target-group-arn "$1" \
    --query 'TargetHealthDescriptions[].[Target.Id,TargetHealth.State,TargetHealth.Reason]'
}

wait_for_healthy_targets() {
  local tg_arn="$1" want="$2" deadline health healthy last=""
  deadline=$(( $(date +%s) + HEALTH_TIMEOUT ))
  say "waiting for $want healthy targets (the instances boot, fetch the artifact and pass two health checks)"
  while :; do
    health="$(target_health "$tg_arn" || true)"
    if [ "$health" != "$last" ]; then
      printf '%s\n' "$health" | sed 's/^/  target /; s/\tNone$//; s/\t/  /g' >&2
      last="$health"
    fi
    healthy="$(printf '%s\n' "$health" | awk -F'\t' '$2 == "healthy"' | grep -c . || true)"
    if [ "$healthy" -ge "$want" ]; then
      say "targets: $healthy healthy"
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "only $healthy of $want targets are healthy after ${HEALTH_TIMEOUT}s.
  Look inside an instance: aws ssm start-session --region $REGION --target INSTANCE_ID
  then: sudo cat /var/log/seedkeeper-boot.log; sudo journalctl -u seedkeeper
  The stack stays up (and costs money): '$0 down' removes it."
    fi
    sleep "$POLL_SECONDS"
  done
}
