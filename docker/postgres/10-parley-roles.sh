#!/bin/bash
# Runs once, when the postgres container initialises an empty data volume (docker-entrypoint-initdb.d),
# as the cluster's superuser. Creates Parley's two roles and its database (README, "Database roles"):
#   parley      owns the database and runs the migrations (MIGRATION_DATABASE_URL);
#   parley_app  is what the app connects as (DATABASE_URL): it owns nothing, so it cannot switch off
#               the session log's append-only triggers; Parley grants it its table rights after
#               every migration.
set -euo pipefail
: "${PARLEY_OWNER_PASSWORD:?set PARLEY_OWNER_PASSWORD}"
: "${PARLEY_APP_PASSWORD:?set PARLEY_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$PARLEY_OWNER_PASSWORD" -v app_password="$PARLEY_APP_PASSWORD" <<'SQL'
CREATE ROLE parley LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE parley_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE DATABASE parley OWNER parley;
REVOKE ALL ON DATABASE parley FROM PUBLIC;
GRANT CONNECT ON DATABASE parley TO parley_app;
SQL
