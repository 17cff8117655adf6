# One image for every yujing service; the command picks the service (see docker-compose.yml).
FROM node:24-bookworm-slim
WORKDIR /app
RUN npm install -g pnpm@10.34.8
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY packages ./packages
COPY services ./services
COPY simulators ./simulators
COPY test/package.json ./test/package.json
COPY bench/package.json ./bench/package.json
RUN pnpm install --frozen-lockfile
COPY tsconfig.base.json tsconfig.json ./
# The console's web app (Vite build into services/console/dist), which the console service serves.
RUN pnpm --filter @yujing/console run --if-present build
# The yujing CLI as one bundle on plain node (registry publish, broker-auth), no tsx at run time.
RUN pnpm --filter @yujing/cli run build
COPY deploy/questdb ./deploy/questdb
ENV NODE_ENV=production
USER node
