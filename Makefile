# The two commands: `make run` serves the demo, `make test` checks everything. Both set up .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
BACKUP_DIR ?= backups
# Migrations run as the owner role when DATABASE_OWNER_URL is set; the app uses DATABASE_URL.
AS_OWNER := $(if $(DATABASE_OWNER_URL),DATABASE_URL="$$DATABASE_OWNER_URL")
# pg_dump and pg_restore connect as the owner if there is one (a libpq postgres:// URL).
PG_URL := url="$${DATABASE_OWNER_URL:-$${DATABASE_URL:-}}"; case "$$url" in postgres://*|postgresql://*) ;; \
	*) echo "set DATABASE_URL or DATABASE_OWNER_URL to a postgres:// URL"; exit 1;; esac

.PHONY: run migrate test lint check-migrations check-compose check-deploy messages compile-messages \
	worker beat backup restore

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

compile-messages: $(BIN)/.installed
	$(MANAGE) compilemessages --ignore=.venv -v0

# Refresh the catalogues after changing user-facing strings, then translate locale/zh_Hans.
messages: $(BIN)/.installed
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests

migrate: $(BIN)/.installed
	$(AS_OWNER) $(MANAGE) migrate --noinput -v0

run: $(BIN)/.installed compile-messages migrate
	$(MANAGE) seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
		echo "REDIS_URL set: starting a Celery worker and beat (logs in .venv/celery-*.log)"; \
		$(BIN)/celery -A edc worker --loglevel=INFO >$(VENV)/celery-worker.log 2>&1 & \
		$(BIN)/celery -A edc beat --loglevel=INFO >$(VENV)/celery-beat.log 2>&1 & \
	else echo "No REDIS_URL: Celery tasks run eagerly inside the web process."; fi
	$(MANAGE) runserver 0.0.0.0:$(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check-migrations: $(BIN)/.installed
	$(MANAGE) makemigrations --check --dry-run

check-compose:
	@if command -v docker-compose >/dev/null 2>&1; then \
		docker-compose -f docker-compose.yml config -q && echo "docker-compose.yml is valid"; \
	else echo "!! docker-compose not installed: compose-file check SKIPPED (apt-get install docker-compose)"; \
		if [ "$$CI" = "true" ]; then exit 1; fi; fi

check-deploy: $(BIN)/.installed
	DJANGO_SETTINGS_MODULE=edc.settings.production DJANGO_SECRET_KEY=check-deploy-only-$$(date +%s)-0123456789abcdefghijklmnopqrstuvwxyz \
		DJANGO_ALLOWED_HOSTS=edc.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# One worker per core, each on a test database of its own; an idle worker takes tests queued
# for a busy one (the crawl of the demo and the worker journeys take minutes each).
test: $(BIN)/.installed lint check-migrations check-compose check-deploy compile-messages
	$(BIN)/pytest -n auto --dist worksteal

worker: $(BIN)/.installed
	$(BIN)/celery -A edc worker --loglevel=INFO

beat: $(BIN)/.installed
	$(BIN)/celery -A edc beat --loglevel=INFO

# A dated custom-format dump of the whole database (data, triggers, owners and grants).
backup:
	@$(PG_URL); mkdir -p $(BACKUP_DIR); file="$(BACKUP_DIR)/edc-$$(date -u +%Y%m%dT%H%M%SZ).dump"; \
	pg_dump --format=custom --file="$$file" --dbname="$$url" && echo "backup written to $$file"

# Into an EMPTY database (createdb -O edc_owner ...); all or nothing, never over existing tables.
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=$(BACKUP_DIR)/edc-....dump"; exit 1; }
	@$(PG_URL); pg_restore --exit-on-error --single-transaction --dbname="$$url" "$(FILE)" \
	&& echo "restored $(FILE)"
