# syntax=docker/dockerfile:1
# Every backend service: auth, tickets, orders, payments, balances, expiration, live and queue. SERVICE
# names the service's folder (skaffold.yaml passes it as a build argument):
#   docker build --build-arg SERVICE=orders -t ticketing/orders .
# Built from the repository root so the workspace package @ticketing/common is
# compiled into the image with the service. The client has its own Dockerfile.

FROM node:24.22.3-alpine AS deps
ARG SERVICE
RUN test -n "$SERVICE" || { echo 'build with --build-arg SERVICE=<auth|tickets|orders|payments|balances|expiration|live|queue>' >&2; exit 1; }
WORKDIR /app
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY ${SERVICE}/package.json ${SERVICE}/
RUN --mount=type=cache,target=/root/.npm npm ci --workspace @ticketing/${SERVICE} --include-workspace-root --no-audit --no-fund

FROM deps AS build
COPY tsconfig.base.json ./
COPY common/ common/
COPY ${SERVICE}/ ${SERVICE}/
RUN npx tsc -b ${SERVICE}

# `skaffold dev` runs this stage: it syncs edited sources into <service>/src and tsx restarts the process.
# CMD cannot expand a build argument, so the service's folder is the working directory instead.
FROM build AS dev
RUN chown -R node:node ${SERVICE}/src
WORKDIR /app/${SERVICE}
USER node
CMD ["../node_modules/.bin/tsx", "watch", "--clear-screen=false", "src/index.ts"]

FROM node:24.22.3-alpine AS prod-deps
ARG SERVICE
WORKDIR /app
COPY package.json package-lock.json ./
COPY common/package.json common/
COPY ${SERVICE}/package.json ${SERVICE}/
RUN --mount=type=cache,target=/root/.npm npm ci --workspace @ticketing/${SERVICE} --omit=dev --no-audit --no-fund

FROM node:24.22.3-alpine
ARG SERVICE
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /app/common/build common/build
COPY --from=build /app/${SERVICE}/build ${SERVICE}/build
WORKDIR /app/${SERVICE}
USER node
EXPOSE 3000
CMD ["node", "build/index.js"]
