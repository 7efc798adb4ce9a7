#!/usr/bin/env bash
# Builds the deployable artifact: dist/seedkeeper-<arch>.tar.gz holding
#   seedkeeper/bin/seed-server     release build, Swift runtime and hiredis linked statically
#   seedkeeper/seedkeeper.service  the systemd unit (deploy/systemd/)
#   seedkeeper/install.sh          the installer (deploy/ec2/)
# The binary needs nothing but glibc 2.34 or newer (Amazon Linux 2023's) and libgcc_s, which every
# glibc system has (glibc itself loads it). `make artifact-check` proves it.
#
# arm64 (t4g): run the same command on an arm64 Linux host with Swift 6.3 and libhiredis-dev; the
# result is dist/seedkeeper-arm64.tar.gz. Cross-compiling is not set up.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

scratch=.build-artifact
case "$(uname -m)" in
  x86_64) arch=x86_64 ;;
  aarch64|arm64) arch=arm64 ;;
  *) echo "build-artifact: no artifact name for $(uname -m)" >&2; exit 1 ;;
esac

command -v swift >/dev/null || { echo "build-artifact: swift not found — install Swift 6.3 (swift.org)" >&2; exit 1; }
[ -f /usr/lib/"$(uname -m)"-linux-gnu/libhiredis.a ] || [ -f /usr/lib64/libhiredis.a ] || [ -f /usr/lib/libhiredis.a ] || {
  echo "build-artifact: libhiredis.a not found — install libhiredis-dev (make deps does)" >&2; exit 1; }

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
echo "+ ${build[*]}"
"${build[@]}"
bin_dir="$("${build[@]}" --show-bin-path)"

stage="$scratch/stage"
rm -rf "$stage"
install -d "$stage/seedkeeper/bin"
install -m 0755 "$bin_dir/seed-server" "$stage/seedkeeper/bin/seed-server"
strip "$stage/seedkeeper/bin/seed-server"
install -m 0644 deploy/systemd/seedkeeper.service "$stage/seedkeeper/seedkeeper.service"
install -m 0755 deploy/ec2/install.sh "$stage/seedkeeper/install.sh"

mkdir -p dist
out="dist/seedkeeper-$arch.tar.gz"
tar -czf "$out" -C "$stage" --owner=0 --group=0 seedkeeper
echo "artifact: $out ($(du -h "$out" | cut -f1))"
