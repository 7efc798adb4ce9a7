# seed-server in a container: the official Swift image builds a release binary, and a slim
# Debian image runs it. Used by docker-compose.yml; `docker build -t seedkeeper .` works alone too.

# Debian 12 in both stages, so the binary meets the glibc it was linked against.
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${SWIFT_IMAGE} AS build
# hiredis's static library: release builds link it in (see Package.swift).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libhiredis-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# The manifest names test targets too, so their folders must exist for it to load.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
# --static-swift-stdlib: the Swift runtime and FoundationEssentials are linked in, so the runtime image
# needs nothing Swift-specific.
RUN swift build -c release --static-swift-stdlib --product seed-server \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/seed-server" /out/seed-server \
    && strip /out/seed-server

FROM ${RUNTIME_IMAGE}
# The binary needs only glibc, libstdc++ and libgcc, which the slim image has. No curl: the
# compose health checks speak HTTP through bash's /dev/tcp.
RUN useradd --system --no-create-home --shell /usr/sbin/nologin seedkeeper
COPY --from=build /out/seed-server /usr/local/bin/seed-server
USER seedkeeper
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/seed-server"]
CMD ["--backend", "memory"]
