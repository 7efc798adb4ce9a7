#!/usr/bin/env bash
# Installs seed-server as the systemd service `seedkeeper` on one Linux host (Amazon Linux 2023 on
# EC2, or any systemd distribution with glibc). The stack's boot script runs it; people doing the
# assignment by hand run it themselves after copying and unpacking the artifact:
#
#   tar -xzf seedkeeper-x86_64.tar.gz && sudo seedkeeper/install.sh --redis-url redis://HOST:6379/0
#
# It creates the unprivileged user `seedkeeper`, puts the binary under /opt/seedkeeper, writes
# /etc/seedkeeper/seedkeeper.env, installs the unit, starts it and waits until GET / answers.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: install.sh [options]
  --redis-url URL       redis://[user:password@]host[:port][/db] (implies --backend redis)
  --backend redis|memory  default: redis when --redis-url is given, memory otherwise
  --instance-name NAME  X-Served-By name (default: the EC2 instance id via IMDSv2, else the host name)
  --port N              the app port (default 8080)
  --binary PATH         seed-server to install (default: bin/seed-server beside this script)
  --unit PATH           the unit file (default: seedkeeper.service beside this script)
  --root DIR            stage the files under DIR instead of / ; creates no user, starts nothing
  -h, --help            this text
EOF
}

die() { echo "install.sh: $*" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
redis_url="" backend="" instance_name="" port=8080 root="" binary="" unit=""

while [ $# -gt 0 ]; do
  case "$1" in
    --redis-url) redis_url="${2:?--redis-url needs a value}"; shift 2 ;;
    --backend) backend="${2:?--backend needs redis or memory}"; shift 2 ;;
    --instance-name) instance_name="${2:?--instance-name needs a value}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --binary) binary="${2:?--binary needs a path}"; shift 2 ;;
    --unit) unit="${2:?--unit needs a path}"; shift 2 ;;
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done

# The artifact holds bin/seed-server and seedkeeper.service beside this script; the repository
# keeps the unit in deploy/systemd/.
if [ -z "$binary" ]; then binary="$here/bin/seed-server"; fi
if [ -z "$unit" ]; then
  if [ -f "$here/seedkeeper.service" ]; then unit="$here/seedkeeper.service"
  else unit="$here/../systemd/seedkeeper.service"; fi
fi
[ -x "$binary" ] || die "no seed-server at $binary — unpack the artifact (make artifact) and run its seedkeeper/install.sh, or pass --binary PATH"
[ -f "$unit" ] || die "no unit file at $unit — pass --unit PATH"
if ! [[ "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
  die "--port must be a number from 1024 to 65535 (the unit grants no capability for lower ports)"
fi

if [ -z "$backend" ]; then
  if [ -n "$redis_url" ]; then backend=redis; else backend=memory; fi
fi
case "$backend" in
  redis) [ -n "$redis_url" ] || die "--backend redis needs --redis-url redis://HOST:6379/0" ;;
  memory) echo "install.sh: memory backend — this instance keeps its own seed; give --redis-url to share one" >&2 ;;
  *) die "--backend must be redis or memory, not '$backend'" ;;
esac

# The instance id, through IMDSv2 (a session token first: the stack requires it). Off EC2 the
# metadata address does not answer within a second and the host name is used instead.
if [ -z "$instance_name" ] && [ -z "$root" ]; then
  imds=http://169.254.169.254/latest
  if token=$(curl -sSf --max-time 1 -X PUT "$imds/api/token" \
               -H "X-aws-ec2-metadata-token-ttl-seconds: 60" 2>/dev/null); then
    instance_name=$(curl -sSf --max-time 1 -H "X-aws-ec2-metadata-token: $token" \
                      "$imds/meta-data/instance-id" 2>/dev/null || true)
  fi
fi
[ -n "$instance_name" ] || instance_name="$(hostname)"

# systemd reads the file literally: refuse what would need quoting rather than write it wrong.
for value in "$redis_url" "$instance_name"; do
  case "$value" in
    *[[:space:]\"\'\\]*) die "values must not contain spaces, quotes or backslashes: '$value'" ;;
  esac
done

if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then
  die "run as root (sudo $0 ...), or pass --root DIR to stage the files only"
fi

if [ -z "$root" ] && ! id seedkeeper >/dev/null 2>&1; then
  nologin="$(command -v nologin || echo /sbin/nologin)"
  useradd --system --no-create-home --home-dir /nonexistent --shell "$nologin" seedkeeper
fi

install -d -m 0755 "$root/opt/seedkeeper/bin" "$root/etc/seedkeeper" "$root/etc/systemd/system"
install -m 0755 "$binary" "$root/opt/seedkeeper/bin/seed-server"
install -m 0644 "$unit" "$root/etc/systemd/system/seedkeeper.service"

# Readable by root only: the Redis URL may carry a password. systemd reads it before it drops to
# the service user.
env_file="$root/etc/seedkeeper/seedkeeper.env"
umask 077
cat > "$env_file.new" <<EOF
# Written by deploy/ec2/install.sh; read by seedkeeper.service. Re-run install.sh to change it.
SEEDKEEPER_BACKEND=$backend
REDIS_URL=$redis_url
INSTANCE_NAME=$instance_name
PORT=$port
EOF
if [ "$backend" = memory ]; then sed -i '/^REDIS_URL=/d' "$env_file.new"; fi
mv "$env_file.new" "$env_file"
chmod 0600 "$env_file"

if [ -n "$root" ]; then
  echo "staged seedkeeper under $root (no user created, nothing started)"
  exit 0
fi

systemctl daemon-reload
systemctl enable seedkeeper.service >/dev/null
systemctl restart seedkeeper.service

# Any HTTP answer means it serves; a 503 means it runs but cannot reach Redis yet.
for _ in $(seq 1 30); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/" || true)
  case "$code" in
    200) echo "seedkeeper is serving on port $port as '$instance_name' ($backend backend)"; exit 0 ;;
    503) echo "seedkeeper runs on port $port but answers 503: it cannot reach Redis at $redis_url yet —" \
              "check the Redis security group and endpoint (journalctl -u seedkeeper)" >&2; exit 0 ;;
  esac
  sleep 1
done
die "seedkeeper did not answer on port $port within 30 s — see: systemctl status seedkeeper; journalctl -u seedkeeper"
