# syntax=docker/dockerfile:1
# tenantwire as a container. Build: `docker build -t tenantwire .` Run:
#   docker run -p 8080:8080 -p 9090:9090 -e CT_TARGET=http://distributor:8080/api/v1/push \
#     --read-only -v tenantwire-data:/var/lib/tenantwire tenantwire
# Config: /etc/tenantwire/cortex-tenant.yml (deploy/docker/cortex-tenant.yml; mount your own over
# it). Every key has a CT_* or TENANTWIRE_* variable that overrides it (README: "Replacing
# cortex-tenant"); queue mode: TENANTWIRE_QUEUE_DIR=queue (under the volume).
# What this image runs is tested without Docker in test/deploy/ (the packed tarball installed with
# production dependencies only, started with this config); test/deploy/dockerfile.test.ts checks
# these instructions.
ARG NODE_VERSION=22

# 1. Build: compile TypeScript and pack the npm tarball exactly as it is published.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json LICENSE README.md ./
COPY src ./src
COPY proto ./proto
RUN npm run build && npm pack --ignore-scripts --pack-destination /pack && mv /pack/tenantwire-*.tgz /pack/tenantwire.tgz

# 2. Production dependencies only: the tarball installed as users install it.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY --from=build /pack/tenantwire.tgz /tmp/tenantwire.tgz
RUN npm install --omit=dev --no-audit --no-fund --no-package-lock /tmp/tenantwire.tgz && rm /tmp/tenantwire.tgz

# 3. Runtime: node, the installed package, the config; no compiler, no dev dependencies.
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production
COPY --from=deps /app /app
COPY deploy/docker/cortex-tenant.yml /etc/tenantwire/cortex-tenant.yml
COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs
# The only writable place: data (dir:// targets) and the queue directory. The image's `node`
# user (uid 1000) owns it; everything else can be mounted read-only (--read-only).
RUN mkdir -p /var/lib/tenantwire && chown 1000:1000 /var/lib/tenantwire
VOLUME ["/var/lib/tenantwire"]
USER 1000:1000
WORKDIR /var/lib/tenantwire
# 8080: remote-write, /alive, /ready, /metrics; 9090: /metrics only (listen_metrics_address).
EXPOSE 8080 9090
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 CMD ["node", "/app/healthcheck.mjs"]
# node is PID 1 (exec form, no shell): SIGTERM reaches it and starts the graceful shutdown;
# give `docker stop -t` more than timeout_shutdown + timeout + 2 s (17 s; queue mode 28 s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/node_modules/tenantwire/dist/main.js"]
CMD ["--config", "/etc/tenantwire/cortex-tenant.yml"]
