# Two entry points for newcomers: `make run` and `make test`.
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTHON ?= python3

.PHONY: install run test test-postgres lint format browser migration clean

$(BIN)/parallax: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	touch $@

install: $(BIN)/parallax

run: install
	$(BIN)/parallax migrate
	$(BIN)/parallax ingest seeds/
	$(BIN)/parallax serve --host $(HOST) --port $(PORT)

# Debian's chromium drives the browser tests; CI machines start without it.
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The whole suite twice: on SQLite, then on a throwaway PostgreSQL server (scripts/with-postgres
# installs Debian's postgresql when missing, starts it, and stops it afterwards).
test: install browser lint
	$(BIN)/pytest
	scripts/with-postgres $(BIN)/pytest
	$(BIN)/parallax eval

# Only the PostgreSQL run, e.g. `make test-postgres ARGS="-x tests/test_search.py"`.
test-postgres: install
	scripts/with-postgres $(BIN)/pytest $(ARGS)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerates the initial migration from the models (until the first release); later
# hand-written revisions (0002_search, ...) are set aside meanwhile, since autogenerate needs head = 0001.
migration: install
	rm -rf /tmp/parallax-migration && mkdir -p /tmp/parallax-migration/later
	rm -f migrations/versions/0001_initial.py
	find migrations/versions -name '0*.py' -exec mv {} /tmp/parallax-migration/later/ \;
	PARALLAX_DATABASE_URL=sqlite:////tmp/parallax-migration/empty.db $(BIN)/alembic revision --autogenerate --rev-id 0001 -m initial
	find /tmp/parallax-migration/later -name '*.py' -exec mv {} migrations/versions/ \;
	$(BIN)/ruff format migrations/versions

clean:
	rm -rf $(VENV) data
