-- The two database roles of the EDC (21 CFR 11.10(e); see edc/audit_sql.py). Idempotent.
--
-- Run as a superuser, connected to the EDC database, before the first `migrate`:
--   psql -v ON_ERROR_STOP=1 -d edc -v owner_password=... -v app_password=... -f deploy/postgres/roles.sql
--
-- owner_role (default edc_owner) owns the database, its schema and every table, and runs the
-- migrations (DATABASE_OWNER_URL). app_role (default edc_app, setting EDC_DB_APP_ROLE) is what the
-- application logs in as (DATABASE_URL): no superuser, no ownership; `migrate` grants it its
-- privileges. A password left empty is not set (for trust or peer authentication) and an existing
-- one is kept. Tables that another role owns (a database created before the roles) are handed to
-- the owner.
\set ON_ERROR_STOP on
\if :{?owner_role}
\else
  \set owner_role edc_owner
\endif
\if :{?app_role}
\else
  \set app_role edc_app
\endif
\if :{?owner_password}
\else
  \set owner_password ''
\endif
\if :{?app_password}
\else
  \set app_password ''
\endif

-- Roles are the cluster's: two runs at once (parallel test workers, two deploys) would race on
-- them ("tuple concurrently updated"). Held until this session ends.
SELECT pg_advisory_lock(hashtext('edc deploy/postgres/roles.sql')) AS roles_locked \gset

SELECT format('CREATE ROLE %I', r) FROM unnest(ARRAY[:'owner_role', :'app_role']) AS r
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec

SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS'
              ' INHERIT', r) FROM unnest(ARRAY[:'owner_role', :'app_role']) AS r \gexec
SELECT format('ALTER ROLE %I PASSWORD %L', r, p)
FROM (VALUES (:'owner_role', :'owner_password'), (:'app_role', :'app_password')) AS v(r, p)
WHERE p <> '' \gexec
-- Neither role may act as the other (or as anyone else).
SELECT format('REVOKE %I FROM %I', m.rolname, r.rolname)
FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.roleid JOIN pg_roles r ON r.oid = a.member
WHERE r.rolname IN (:'owner_role', :'app_role') \gexec

SELECT format('ALTER DATABASE %I OWNER TO %I', current_database(), :'owner_role') \gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'owner_role') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), :'app_role') \gexec
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app_role') \gexec

SELECT format('ALTER TABLE public.%I OWNER TO %I', tablename, :'owner_role')
FROM pg_tables WHERE schemaname = 'public' AND tableowner <> :'owner_role' \gexec
SELECT format('ALTER SEQUENCE public.%I OWNER TO %I', s.relname, :'owner_role')
FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
WHERE s.relkind = 'S' AND n.nspname = 'public' AND pg_get_userbyid(s.relowner) <> :'owner_role'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = s.oid AND d.deptype IN ('a', 'i')) \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner_role')
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> :'owner_role'
  AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') \gexec
