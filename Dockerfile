# al-cape as an Assemblyline 4 service image: no Python, one binary. Multi-stage: build on Debian bookworm,
# run on bookworm-slim with only the shared libraries the binary needs (checked by tests/deploy/image_libs.py:
# every library `ldd al-cape` resolves must come from RUNTIME_PACKAGES or their dependencies).
#
#   docker build --build-arg version=4.7.0.stable1 -t ${REGISTRY}al-cape/al-cape:4.7.0.stable1 .
#
# Keep "assemblyline" out of the image reference: the scaler would attach a Python health check this image
# cannot run (docs/deploy.md).

FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config ca-certificates \
      libsimdjson-dev nlohmann-json3-dev libyaml-dev libssl-dev libzip-dev libfmt-dev libspdlog-dev \
      libcli11-dev libre2-dev libcurl4-openssl-dev libcpp-httplib-dev libmagic-dev libgtest-dev libgmock-dev \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DALCAPE_BENCH=OFF \
    && cmake --build /build --target al-cape \
    && strip /build/al-cape

FROM debian:bookworm-slim
# The runtime libraries of al-cape, linked or loaded on first use (libcurl4, libmagic1; one line:
# tests/deploy/image_libs.py reads it), ca-certificates for https
# to the nests, coreutils for the `chown -R 1000:1000` init container the Kubernetes scaler runs on mounts.
ARG RUNTIME_PACKAGES="libcurl4 libsimdjson14 libre2-9 libssl3 libyaml-0-2 libcpp-httplib0.11 libzip4 libfmt9 libmagic1 libstdc++6 libgcc-s1 libc6 ca-certificates coreutils"
RUN apt-get update && apt-get install -y --no-install-recommends ${RUNTIME_PACKAGES} \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --uid 1000 --user-group --no-create-home --home-dir /opt/al_service alcape \
    && mkdir -p /opt/al_service /updates && chown 1000:1000 /opt/al_service /updates

COPY --from=build /build/al-cape /usr/local/bin/al-cape
COPY --from=build /src/service_manifest.yml /opt/al_service/service_manifest.yml

ARG version=4.7.0.dev0
# The registered version: the manifest's $SERVICE_TAG (al-cape uses the embedded manifest and this variable).
ENV SERVICE_TAG=${version}
RUN sed -i -e "s/\$SERVICE_TAG/${version}/g" /opt/al_service/service_manifest.yml

# GnuTLS is only here because Debian's libcurl4 links librtmp; al-cape never uses it (curl talks TLS through
# OpenSSL), so its implicit initialisation at load (p11-kit modules, ~0.8 MB resident) is switched off.
ENV GNUTLS_NO_IMPLICIT_INIT=1

USER 1000:1000
WORKDIR /opt/al_service
# Liveness: the process itself; AL's scaler attaches no probe to an image without "assemblyline" in its name.
CMD ["/usr/local/bin/al-cape", "service"]
