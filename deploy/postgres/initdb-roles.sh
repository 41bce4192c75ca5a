#!/bin/sh
# docker-compose: the postgres image runs this once, when it creates the database volume.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v owner_password="$EDC_DB_OWNER_PASSWORD" -v app_password="$EDC_DB_APP_PASSWORD" \
    -f /etc/edc/roles.sql
