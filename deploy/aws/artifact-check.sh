#!/usr/bin/env bash
# Proves the artifact deploys anywhere Amazon Linux 2023 runs:
#   1. it holds seedkeeper/bin/seed-server, seedkeeper/seedkeeper.service, seedkeeper/install.sh;
#   2. ldd lists only glibc's own libraries (and libgcc_s, which glibc itself loads);
#   3. no symbol needs a glibc newer than 2.34 (AL2023's), and none needs libstdc++;
#   4. inside a minimal Debian root made with debootstrap (no Swift, no hiredis, no ICU) it starts,
#      serves GET and POST on loopback, and exits 0 on SIGTERM.
# usage: deploy/aws/artifact-check.sh [ARTIFACT]   (default: dist/seedkeeper-<arch>.tar.gz)
# Settings: ARTIFACT_CHECK_SUITE (bookworm), DEBIAN_MIRROR (http://deb.debian.org/debian).
# The root is kept in .build-artifact/rootfs-SUITE and reused. Needs root (debootstrap, chroot).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

MAX_GLIBC=2.34
arch="$(uname -m | sed 's/aarch64/arm64/')"
artifact="${1:-dist/seedkeeper-$arch.tar.gz}"
suite="${ARTIFACT_CHECK_SUITE:-bookworm}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
rootfs=".build-artifact/rootfs-$suite"

fail() { echo "artifact-check: FAIL: $*" >&2; exit 1; }
pass() { echo "artifact-check: ok: $*"; }

[ -f "$artifact" ] || fail "no artifact at $artifact — run 'make artifact' first"
[ "$(id -u)" -eq 0 ] || fail "debootstrap and chroot need root — run it as root (with sudo)"
for tool in ldd objdump debootstrap chroot curl; do
  command -v "$tool" >/dev/null || fail "$tool not found — 'make artifact-check' installs what it needs"
done

work="$(mktemp -d)"
server_pid=""
proc_mounted=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" || true; fi
  if [ -n "$proc_mounted" ]; then umount "$rootfs/proc" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Layout.
tar -xzf "$artifact" -C "$work"
for file in bin/seed-server seedkeeper.service install.sh; do
  [ -f "$work/seedkeeper/$file" ] || fail "$artifact lacks seedkeeper/$file"
done
binary="$work/seedkeeper/bin/seed-server"
pass "layout: seed-server, seedkeeper.service, install.sh ($(du -h "$artifact" | cut -f1) packed, $(du -h "$binary" | cut -f1) binary)"

# 2. Shared libraries.
echo "ldd $binary:"
ldd "$binary" | sed 's/^/    /'
unexpected="$(ldd "$binary" | awk '{print $1}' \
  | grep -vE '^(linux-vdso\.so\.1|linux-gate\.so\.1|libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libresolv\.so\.2|libgcc_s\.so\.1|/lib(64)?/ld-linux[-a-z0-9_.]*\.so\.[0-9])$' || true)"
[ -z "$unexpected" ] || fail "links libraries beyond glibc: $(echo "$unexpected" | tr '\n' ' ')"
pass "shared libraries: glibc's own and libgcc_s only"

# 3. Symbol versions.
newest="$(objdump -T "$binary" | grep -oE 'GLIBC_[0-9]+\.[0-9]+(\.[0-9]+)?' | sed 's/GLIBC_//' | sort -uV | tail -1)"
if [ "$(printf '%s\n%s\n' "$newest" "$MAX_GLIBC" | sort -V | tail -1)" != "$MAX_GLIBC" ]; then
  fail "needs glibc $newest, newer than Amazon Linux 2023's $MAX_GLIBC: $(objdump -T "$binary" | grep "GLIBC_$newest" | awk '{print $NF}' | tr '\n' ' ')"
fi
if objdump -T "$binary" | grep -qE 'GLIBCXX_|CXXABI_'; then fail "needs the system's libstdc++ (it should be linked in)"; fi
pass "newest glibc symbol version: $newest (Amazon Linux 2023 has $MAX_GLIBC)"

# 4. A run inside a minimal root.
if [ ! -f "$rootfs/.complete" ]; then
  echo "debootstrap $suite into $rootfs (once; reused afterwards)"
  rm -rf "$rootfs"
  mkdir -p "$rootfs"
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap $suite from $mirror failed"; }
  touch "$rootfs/.complete"
fi
glibc_in_root="$(chroot "$rootfs" ldd --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+$' || true)"
for lib in libswiftCore.so libFoundation.so libhiredis.so libicuuc.so; do
  if find "$rootfs/usr/lib" "$rootfs/lib" -name "$lib*" 2>/dev/null | grep -q .; then
    fail "the $suite root has $lib, so running there would prove nothing"
  fi
done
install -D -m 0755 "$binary" "$rootfs/opt/seedkeeper/bin/seed-server"
# Every Linux host has /proc, and the Swift runtime reads it at start (without it the process
# traps with SIGILL): mount it for the run only, reduced the way the unit reduces it
# (ProcSubset=pid, ProtectProc=invisible), so the check also proves the server needs no more.
mount -t proc -o subset=pid,hidepid=invisible proc "$rootfs/proc"
proc_mounted=yes

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# chroot shares this machine's network namespace: the server listens on this loopback.
chroot "$rootfs" /opt/seedkeeper/bin/seed-server --host 127.0.0.1 --port "$port" \
  --backend memory --instance-name artifact-check >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; fail "seed-server exited at start inside $suite"; }
  sleep 0.1
done
body="$(curl -sS --max-time 5 "http://127.0.0.1:$port/")" || { cat "$work/server.log" >&2; fail "GET / did not answer"; }
[ "$body" = 0 ] || fail "GET / answered '$body', expected 0"
posted="$(curl -sS --max-time 5 -X POST -H 'Content-Type: application/json' -d '{"num": 7}' "http://127.0.0.1:$port/")"
[ "$posted" = 7 ] || fail "POST {\"num\": 7} answered '$posted'"
served_by="$(curl -sS --max-time 5 -D - -o /dev/null "http://127.0.0.1:$port/" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-served-by"{print $2}')"
[ "$served_by" = artifact-check ] || fail "X-Served-By was '$served_by'"
kill -TERM "$server_pid"
for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server_pid" 2>/dev/null && fail "seed-server did not exit within 30 s of SIGTERM"
status=0; wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || fail "seed-server exited $status on SIGTERM, expected 0"
pass "inside debootstrapped Debian $suite (glibc ${glibc_in_root:-?}, no Swift/hiredis/ICU): served GET and POST on loopback, exited 0 on SIGTERM"
