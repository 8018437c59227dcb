# sso-harness: the SAML 2.0 + SCIM 2.0 test harness, the wired demo on port 8400 by default.
#
#   docker build -t sso-harness .
#   docker run -p 8400:8400 sso-harness                      # http://localhost:8400
#   docker run -p 9000:8400 -e SSO_HARNESS_BASE_URL=http://localhost:9000 sso-harness
#
# Configured by environment variables (README, "Run it in a container") and an optional mounted
# config file (SSO_HARNESS_CONFIG). State (keys and the SQLite database) lives in the /data volume.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV npm_config_update_notifier=false
COPY package.json package-lock.json ./
# ca_bundle: an optional build secret, for networks whose TLS proxy npm must trust; it is mounted
# for this step only and never lands in a layer. The Node headers of the official image let
# node-gyp build without downloading them.
RUN --mount=type=secret,id=ca_bundle,required=false \
    if [ -s /run/secrets/ca_bundle ]; then \
      export NODE_EXTRA_CA_CERTS=/run/secrets/ca_bundle npm_config_cafile=/run/secrets/ca_bundle; \
    fi; \
    if [ -f /usr/local/include/node/node.h ]; then export npm_config_nodedir=/usr/local; fi; \
    npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 esbuild
# The project's own install step (building dist/) waits for its sources, below: the dependencies
# above stay cached while only the sources change.
COPY tsconfig.json tsconfig.build.json ./
COPY scripts scripts
COPY src src
# Build with the dev dependencies, then drop them (the compiled better-sqlite3 stays).
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE_IMAGE}
ENV NODE_ENV=production \
    PORT=8400 \
    SSO_HARNESS_HOST=0.0.0.0 \
    SSO_HARNESS_DATA=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8400
# Ready means seeded and serving: /healthz answers 503 until the demo or the seed is in place.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8400) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js", "start"]
