# The production image: compiled JavaScript and the ahead-of-time workflow bundle.
# One image, two processes: `node dist/worker/main.js` (default) and `node dist/api/main.js`.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# The font the report's charts are drawn in when they become PNG (resvg) for the managers' e-mail.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    KLACHTFLOW_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    KLACHTFLOW_PROCEDURES_DIR=/app/procedures
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
COPY procedures ./procedures
RUN mkdir -p /var/lib/klachtflow && chown node:node /var/lib/klachtflow
USER node
EXPOSE 3000
CMD ["node", "dist/worker/main.js"]
