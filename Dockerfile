# Lanes, production image (docs/deploy.md). Multi-stage: dependencies, build, then a runtime stage
# that holds only what `serve.ts start` needs, running as the unprivileged `node` user.
#
#   docker build -t lanes .
#   docker run -p 3000:3000 -e DATABASE_URL=… -e AUTH_SECRET=… -e APP_URL=… lanes
#
# The image runs Lanes' own HTTP server (src/server/http/serve.ts: Next inside it), not Next's
# standalone server.js: see docs/decisions/0041-deploy-files.md.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS base
# Prisma's CLI picks its schema engine by the OpenSSL it finds: without it, the slim image gets the
# openssl-1.1.x engine, which cannot load on bookworm (libssl3), and `prisma migrate deploy` fails.
RUN apt-get update && apt-get install -y --no-install-recommends openssl && rm -rf /var/lib/apt/lists/*

FROM base AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
WORKDIR /app
COPY . .
# The type check is CI's job; the image only compiles.
ENV NEXT_TELEMETRY_DISABLED=1 LANES_BUILD_SKIP_TYPECHECK=1
RUN npm run build && npm prune --omit=dev --no-audit --no-fund && rm -rf .next/cache

FROM base AS runtime
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOST=0.0.0.0
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/next.config.ts /app/prisma.config.ts /app/tsconfig.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/prisma ./prisma
COPY --from=build --chown=node:node /app/src ./src
COPY --from=build --chown=node:node /app/scripts ./scripts
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM drains (in-flight requests finish, live streams end with a reconnect, jobs are released).
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=32", "--import", "tsx", "src/server/http/serve.ts", "start", "--port", "3000", "--hostname", "0.0.0.0"]
