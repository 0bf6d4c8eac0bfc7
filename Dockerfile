# The worker image for docker-compose.yml: the same code `npm start` runs, without the dev server.
FROM node:20-slim

WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts skips our postinstall, which provisions the Temporal dev server and test server
# through pip (not in this image); a worker connects to a cluster and needs neither.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY . .
RUN mkdir -p /data && chown node:node /data
USER node
ENV NODE_ENV=production REFERRALS_DATA_DIR=/data

# node itself, not `npx tsx`: npx runs tsx through `sh -c`, which does not pass `docker stop`'s
# SIGTERM on, so the worker would be killed instead of draining.
CMD ["node", "--import", "tsx", "worker/main.ts"]
