#!/usr/bin/env bash
# Builds the deployable artifact: dist/seedkeeper-<arch>.tar.gz holding
#   seedkeeper/bin/seed-server     release build, Swift runtime and hiredis linked statically
#   seedkeeper/seedkeeper.service  the systemd unit (deploy/systemd/)
#   seedkeeper/install.sh          the installer (deploy/ec2/)
# The binary needs nothing but glibc 2.34 or newer (Amazon Linux 2023's) and libgcc_s, which every
# glibc system has (glibc itself loads it). `make artifact-check` proves it.
#
# usage: deploy/aws/build-artifact.sh [--arch x86_64|arm64] [--via native|docker] [--dist DIR] [--dry-run]
#   --arch  x86_64 for t3/t2 instances, arm64 for Graviton (t4g); default: this machine's.
#   --via   native: swift build here (needs Linux, Swift 6.3 and libhiredis-dev, and a host of that
#           arch: the artifact is a Linux binary);
#           docker: the Dockerfile's `artifact` stage, which runs this same script inside the Swift
#           image (needs a Docker engine with BuildKit: Docker Desktop on macOS and Windows; another
#           arch runs under emulation, slowly; on Apple silicon the arm64 build runs at native speed
#           in Docker Desktop's Linux VM).
#           Default: native on Linux when `swift` is on PATH and the arch is this machine's, else
#           docker (always on macOS: Xcode's swift builds for macOS, not Linux).
#   --dist  the folder the tarball goes to (default: dist).
#   --dry-run  print the way chosen ("via docker arch arm64 os Darwin out dist/…") and stop.
#
# The tarball is reproducible: the same source and toolchain give the same bytes (sorted entries,
# owner 0, fixed times — SOURCE_DATE_EPOCH, default 0 — and no name or time in gzip's header).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
umask 022

die() { echo "build-artifact: $*" >&2; exit 1; }
# sha256sum is GNU coreutils'; macOS has shasum (Perl) instead.
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi; }
usage="usage: build-artifact.sh [--arch x86_64|arm64] [--via native|docker] [--dist DIR] [--dry-run]"
host_os="$(uname -s)"
case "$(uname -m)" in
  x86_64) host_arch=x86_64 ;;
  aarch64|arm64) host_arch=arm64 ;;
  *) host_arch="$(uname -m)" ;;
esac
arch="$host_arch"
via=""
dist=dist
dry_run=""
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="${2:-}"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    --via) via="${2:-}"; shift 2 ;;
    --via=*) via="${1#--via=}"; shift ;;
    --dist) dist="${2:-}"; shift 2 ;;
    --dist=*) dist="${1#--dist=}"; shift ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) die "unknown argument '$1' — $usage" ;;
  esac
done
case "$arch" in
  x86_64) platform=linux/amd64 ;;
  arm64) platform=linux/arm64 ;;
  *) die "no artifact for arch '$arch' — use x86_64 (t3, t2) or arm64 (t4g)" ;;
esac
# The artifact is a Linux binary: a swift elsewhere (Xcode's on a Mac) cannot build it.
if [ -z "$via" ]; then
  if [ "$host_os" = Linux ] && command -v swift >/dev/null && [ "$arch" = "$host_arch" ]; then
    via=native
  else
    via=docker
  fi
fi
case "$via" in
  native|docker) ;;
  *) die "--via must be native or docker, not '$via'" ;;
esac
[ -n "$dist" ] || die "--dist needs a folder"
out="$dist/seedkeeper-$arch.tar.gz"
if [ -n "$dry_run" ]; then
  echo "via $via arch $arch os $host_os out $out"
  exit 0
fi

if [ "$via" = docker ]; then
  if ! command -v docker >/dev/null; then
    if [ "$host_os" = Linux ]; then
      die "neither a Swift toolchain for $arch nor docker found — install Swift 6.3 (swift.org) and libhiredis-dev, or Docker"
    fi
    die "the artifact is a Linux binary: on $host_os it is built in Docker, and docker was not found — install Docker Desktop (docker.com/products/docker-desktop), start it, and run this again"
  fi
  mkdir -p "$dist"
  # An engine that answers (Docker Desktop's, or a running dockerd), else this checkout's own, started
  # for this build and stopped after it; and a client that builds with BuildKit first on PATH.
  engine_env="$(deploy/docker/engine up)" || die "no Docker engine (above)"
  # Only `engine up`'s own answer may say this run started the daemon (and so stops it at exit).
  unset SEEDKEEPER_ENGINE_STARTED
  eval "$engine_env"
  [ -z "${SEEDKEEPER_ENGINE_STARTED:-}" ] || trap 'deploy/docker/engine down' EXIT
  # Where no registry answers, the Swift image is built here from this machine's parts.
  if ! docker image inspect swift:6.3-bookworm >/dev/null 2>&1 && ! docker pull --platform "$platform" swift:6.3-bookworm; then
    deploy/docker/standins/build swift:6.3-bookworm
  fi
  [ "$arch" = "$host_arch" ] || echo "build-artifact: $arch on a $host_arch machine runs the compiler under emulation: expect 30-60 minutes" >&2
  # The Dockerfile's `artifact` stage holds only /seedkeeper-<arch>.tar.gz.
  build=(docker build --platform "$platform" --target artifact --output "type=local,dest=$dist" .)
  echo "+ DOCKER_BUILDKIT=1 ${build[*]}"
  DOCKER_BUILDKIT=1 "${build[@]}" || die "the Docker build failed (above); with an old client, set DOCKER_BUILDKIT=1 or install buildx"
  [ -f "$out" ] || die "the Docker build made no $out"
  echo "artifact: $out ($(du -h "$out" | cut -f1), sha256 $(sha256 "$out" | cut -c1-16)…)"
  exit 0
fi
[ "$host_os" = Linux ] || die "a native build needs Linux (the artifact is a Linux binary); on $host_os use --via docker (Docker Desktop)"
[ "$arch" = "$host_arch" ] || die "a native build makes $host_arch only; for $arch use --via docker"
mkdir -p "$dist"

scratch=.build-artifact
command -v swift >/dev/null || die "swift not found — install Swift 6.3 (swift.org), or use --via docker"
[ -f /usr/lib/"$(uname -m)"-linux-gnu/libhiredis.a ] || [ -f /usr/lib64/libhiredis.a ] || [ -f /usr/lib/libhiredis.a ] || \
  die "libhiredis.a not found — install libhiredis-dev (make deps does)"

# Built on a newer system than Amazon Linux 2023 (glibc 2.34, GCC 11), the binary must not ask
# for anything newer than AL2023 has:
# - libstdc++ is linked statically: AL2023's is older than the compiler's (GLIBCXX_3.4.30). A
#   directory holding only libstdc++.a, searched first, makes the toolchain's -lstdc++ take it.
# - glibc-compat/*.c, linked ahead of everything, keep the few calls that newer glibc versioned
#   anew (hypot, arc4random) at versions 2.34 has (see each file for why).
mkdir -p "$scratch/static-cxx" "$scratch/glibc-compat"
ln -sf "$(c++ -print-file-name=libstdc++.a)" "$scratch/static-cxx/libstdc++.a"
[ -f "$scratch/static-cxx/libstdc++.a" ] || { echo "build-artifact: libstdc++.a not found — install g++" >&2; exit 1; }
link_flags=(-Xlinker "-L$PWD/$scratch/static-cxx")
for source in deploy/aws/glibc-compat/*.c; do
  object="$scratch/glibc-compat/$(basename "${source%.c}").o"
  cc -O2 -fPIC -c "$source" -o "$object"
  link_flags+=(-Xlinker "$PWD/$object")
done

build=(swift build -c release --static-swift-stdlib --product seed-server --scratch-path "$scratch"
       "${link_flags[@]}")
bin_dir="$("${build[@]}" --show-bin-path)"
# SwiftPM does not see the objects above as inputs of the link: without the old binary it links
# anew, so a changed glibc-compat file always reaches the artifact (a link takes seconds).
rm -f "$bin_dir/seed-server"
echo "+ ${build[*]}"
"${build[@]}"

# Two compilations of the same source differ in one place: the Swift compiler writes a hash into
# each object's .swift_modhash section that changes from run to run (the same file compiled twice
# gives two), and the linker's build ID is a hash over the whole file. Neither is read at run time:
# the hashes are zeroed, and the build ID is set to the SHA-1 of the file so normalised.
normalise_binary() {
  local binary="$1" work
  work="$(mktemp -d)"
  if objcopy --dump-section .swift_modhash="$work/modhash" "$binary" 2>/dev/null; then
    head -c "$(stat -c %s "$work/modhash")" /dev/zero >"$work/zeros"
    objcopy --update-section .swift_modhash="$work/zeros" "$binary"
  fi
  if objcopy --dump-section .note.gnu.build-id="$work/note" "$binary" 2>/dev/null; then
    # The note: a 16-byte header (sizes, type, "GNU"), then the 20-byte ID.
    { head -c 16 "$work/note"; head -c 20 /dev/zero; } >"$work/note.zero"
    objcopy --update-section .note.gnu.build-id="$work/note.zero" "$binary"
    { head -c 16 "$work/note"; printf '%b' "$(sha1sum "$binary" | cut -c1-40 | sed 's/../\\x&/g')"; } >"$work/note.id"
    objcopy --update-section .note.gnu.build-id="$work/note.id" "$binary"
  fi
  rm -rf "$work"
}

stage="$scratch/stage"
rm -rf "$stage"
install -d "$stage/seedkeeper/bin"
install -m 0755 "$bin_dir/seed-server" "$stage/seedkeeper/bin/seed-server"
strip "$stage/seedkeeper/bin/seed-server"
normalise_binary "$stage/seedkeeper/bin/seed-server"
install -m 0644 deploy/systemd/seedkeeper.service "$stage/seedkeeper/seedkeeper.service"
install -m 0755 deploy/ec2/install.sh "$stage/seedkeeper/install.sh"

# Reproducible: entries sorted by name, owned by 0:0, all dated SOURCE_DATE_EPOCH; gzip -n leaves
# the name and time out of its header.
epoch="${SOURCE_DATE_EPOCH:-0}"
tar -C "$stage" --format=gnu --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
  -c seedkeeper | gzip -9 -n >"$out.tmp"
mv "$out.tmp" "$out"
echo "artifact: $out ($(du -h "$out" | cut -f1), sha256 $(sha256 "$out" | cut -c1-16)…)"
