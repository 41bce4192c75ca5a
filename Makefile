# The two commands: `make run` serves the demo, `make test` checks everything. Both set up .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000

.PHONY: run test lint check-migrations check-compose check-deploy messages compile-messages worker beat

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

run: $(BIN)/.installed compile-messages
	$(MANAGE) migrate --noinput -v0
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

test: $(BIN)/.installed lint check-migrations check-compose check-deploy compile-messages
	$(BIN)/pytest

worker: $(BIN)/.installed
	$(BIN)/celery -A edc worker --loglevel=INFO

beat: $(BIN)/.installed
	$(BIN)/celery -A edc beat --loglevel=INFO
