#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on offline machines.
# Only `prisma generate` runs with it; migrations go through @prisma/schema-engine-wasm instead
# (see server/src/db/migrate.ts). Any command that really needs the engine fails loudly here.
echo "Prisma's native schema engine is not installed; use 'npm run migrate' (WASM engine)." >&2
exit 1
