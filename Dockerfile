FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY client/package.json client/
COPY e2e/package.json e2e/
COPY server/scripts server/scripts
COPY prisma prisma
RUN npm ci --no-audit --no-fund
# mediasoup's worker, built from its npm source with Debian packages (server/scripts/mediasoup):
# MEDIA_ENGINE=auto then runs calls on mediasoup. The build tree is dropped; the binary stays in
# .mediasoup/ (ignored in the build context, so a host's worker never replaces it).
RUN npm run media:worker && rm -rf /root/.cache/parley
COPY . .
RUN npm run build
ENV NODE_ENV=production
EXPOSE 3000
CMD ["npm", "run", "start", "-w", "server"]
