# seed-server in a container: the official Swift image makes the release artifact with the same
# script as `make artifact` (deploy/aws/build-artifact.sh), and a slim Debian image runs the binary
# from it. One release build serves both targets:
#   docker build -t seedkeeper .            the runtime image (docker-compose.yml builds this one)
#   docker build --platform linux/amd64 --target artifact --output type=local,dest=dist .
#                                           dist/seedkeeper-x86_64.tar.gz, the EC2 artifact
# Both need BuildKit (Docker 23+ with buildx, or DOCKER_BUILDKIT=1 on 20.10): RUN --mount below.

# Debian 12 in both stages, so the binary meets the glibc it was linked against.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# hiredis's static library (release builds link it in, see Package.swift) and g++ (the artifact
# links libstdc++ statically). Installed only when missing, so an image that has them builds
# without reaching a Debian mirror.
RUN missing=""; \
    for pkg in libhiredis-dev g++; do \
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $pkg"; \
    done; \
    if [ -n "$missing" ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /src
# The manifest names test targets too, so their folders must exist for it to load (.dockerignore
# keeps only their Swift files, so editing a Python test does not invalidate the build).
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
COPY deploy/aws/build-artifact.sh deploy/aws/
COPY deploy/aws/glibc-compat deploy/aws/glibc-compat
COPY deploy/systemd/seedkeeper.service deploy/systemd/
COPY deploy/ec2/install.sh deploy/ec2/
# The release build (Swift runtime, FoundationEssentials, libstdc++ and hiredis linked in), then
# the binary unpacked from the very tarball the artifact stage exports. SwiftPM's scratch folder is
# a BuildKit cache kept between builds, so a change to the sources recompiles only what it touches.
RUN --mount=type=cache,target=/src/.build-artifact,sharing=locked \
    deploy/aws/build-artifact.sh --via native \
    && mkdir /out \
    && tar -xzf dist/seedkeeper-*.tar.gz -C /out

# Only the tarball: `--target artifact --output type=local,dest=dist` writes it to dist/.
FROM scratch AS artifact
COPY --from=build /src/dist/ /

FROM ${RUNTIME_IMAGE} AS runtime
# The binary needs only glibc and libgcc_s, which the slim image has. No curl: the compose health
# checks speak HTTP through bash's /dev/tcp.
RUN useradd --system --no-create-home --shell /usr/sbin/nologin seedkeeper
COPY --from=build /out/seedkeeper/bin/seed-server /usr/local/bin/seed-server
USER seedkeeper
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/seed-server"]
CMD ["--backend", "memory"]
