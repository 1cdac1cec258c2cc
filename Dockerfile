# Shoal signal server + web app. Multi-stage: the build stage has the dev toolchain; the runtime stage
# has only the server's runtime dependencies and the built files, and runs as the unprivileged `node`.
# NOT built or run on the machine this was written on (no Docker there); see README, "Scaling out".
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Manifests first: the dependency layer is cached until they change.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY signal-server/package.json signal-server/
COPY web/package.json web/
COPY e2e/package.json e2e/
COPY peer/package.json peer/
# No install scripts: the server and the web app need none, and peer/'s SQLite addon would need a C
# toolchain this image lacks (the keeper has its own Dockerfile, see peer/README.md).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build -w web && npm run build -w signal-server

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY signal-server/package.json signal-server/
COPY web/package.json web/
COPY e2e/package.json e2e/
COPY peer/package.json peer/
# ws, pino and ioredis: everything else is bundled into dist/main.js.
RUN npm ci --omit=dev --workspace signal-server --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/signal-server/dist signal-server/dist
COPY --from=build /app/web/dist web/dist
USER node
EXPOSE 8080
# 200 also while Redis is away ("degraded"): the process still serves its own rooms.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "signal-server/dist/main.js"]
