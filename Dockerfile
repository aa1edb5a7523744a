# Parallax web app: `docker build -t parallax .` then
# `docker run -p 8000:8000 -v parallax-data:/data parallax` (the SQLite database lives in /data).
# Load the seed articles: `docker run --rm -v parallax-data:/data parallax parallax ingest seeds/`
# (other folders: mount them, e.g. `-v "$PWD/articles:/articles:ro" ... parallax ingest /articles`).
# Quality gates in the image: `docker run --rm parallax parallax eval` (or `--data-root /labelled`).
# On PostgreSQL: set PARALLAX_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@HOST:5432/DB and
# PARALLAX_SECRET_KEY; compose.yaml runs PostgreSQL, migrate, web and worker (README: "Running on
# PostgreSQL"). psycopg's binary wheel bundles libpq, so the slim image needs no system package.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PARALLAX_DATABASE_URL=sqlite:////data/parallax.db

WORKDIR /app

# Runtime dependencies only (not the dev extra), at the exact versions of the lock file; this layer
# is rebuilt only when the dependency list or the lock changes.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.in \
    && pip install -c requirements.lock -r /tmp/requirements.in \
    && rm /tmp/requirements.in

# The code is installed in place (editable): the app finds alembic.ini, migrations/, templates/
# and static/ next to its package.
COPY alembic.ini ./
COPY migrations ./migrations
COPY templates ./templates
COPY static ./static
# `parallax eval` reads seeds/ and tests/data/ under its data root (here /app, the checkout).
COPY seeds ./seeds
COPY tests/data ./tests/data
COPY app ./app
RUN pip install --no-deps -e . \
    && useradd --create-home --uid 10001 parallax \
    && mkdir /data \
    && chown parallax:parallax /data

USER parallax
VOLUME ["/data"]
EXPOSE 8000

CMD ["sh", "-c", "parallax migrate && exec parallax serve --host 0.0.0.0"]
