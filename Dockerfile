# syntax=docker/dockerfile:1

# Node 22 LTS on Debian bookworm (slim), pinned by digest: every build starts from exactly these bytes.
# The digest is the one public projects pin for node:22-bookworm-slim; to move to a newer Node 22 image, run
# `docker buildx imagetools inspect node:22-bookworm-slim` and put the index digest it prints here.
ARG NODE_IMAGE=node:22-bookworm-slim@sha256:f32b81066cde10a75dbac96646099533316d94bac4150c55da1636e1f0ffdc46

# Build: install everything, compile TypeScript (npm ci runs the `prepare` build), drop dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY bin ./bin
COPY src ./src
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Node alone: the same base without the package managers (npm, npx, corepack, yarn). Nothing at run time
# installs anything, and a shell in a compromised container finds no npm to fetch code with.
FROM ${NODE_IMAGE} AS node-only
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* /usr/local/include/node \
  && mkdir -p /data && chown node:node /data

# Run: one layer holding node and the system files it needs (not the npm that lies in the base image's
# lower layers), then the compiled service, its playbooks and example config, as the unprivileged user node.
FROM scratch AS runtime
COPY --from=node-only / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production PORT=3000 DATA_DIR=/data PLAYBOOKS_DIR=/app/playbooks
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY package.json incidentbot.example.yml manifest.yml ./
COPY playbooks ./playbooks
USER node
VOLUME ["/data"]
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
