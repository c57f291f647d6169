# syntax=docker/dockerfile:1
# Build: every dependency, TypeScript compiled to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && rm dist/.tsbuildinfo

# Production dependencies only (no TypeScript, no loader, no test tools).
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Run: the compiled code as the non-root `node` user, tini as PID 1 (forwards signals, reaps children).
FROM node:22-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
# No npm upgrade notice (nor its registry lookup) on every `npm run cli` in a running image.
ENV NODE_ENV=production PORT=3000 METRICS_PORT=9464 DATA_DIR=/app/data NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json slack-app-manifest.yml ./
COPY rubrics ./rubrics
COPY examples ./examples
# The image is already built: `npm start` and `npm run cli` run dist/ without compiling first.
RUN npm pkg delete scripts.prestart scripts.precli && mkdir -p /app/data && chown node:node /app/data
# The embedded database (no DATABASE_URL) keeps its files here: a plain `docker run` keeps them too.
VOLUME /app/data
USER node
# 3000: Slack's requests (/slack/events), behind the load balancer. 9464: /healthz and /metrics, private.
EXPOSE 3000 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD node -e "fetch('http://127.0.0.1:'+(process.env.METRICS_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--max-old-space-size=512", "dist/src/main.js"]
