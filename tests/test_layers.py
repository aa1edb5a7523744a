"""The import layers: no module under app/ imports a layer it sits below (walks every import)."""

import ast
from pathlib import Path

import pytest

import app

APP_DIR = Path(app.__file__).parent
NEUTRAL = ("app.models", "app.db", "app.text", "app.flags", "app.identity", "app.urls")
ABOVE_NEUTRAL = ("app.ingest", "app.compare", "app.queries", "app.corrections", "app.web")
# Ingest modules that write to the store, and the packages re-exporting them.
WRITING_INGEST = (
    "app.ingest.run",
    "app.ingest.align.store",
    "app.ingest.events.assign",
    "app.ingest.events.keys",
    "app.ingest.events.storylines",
)
WRITING_PACKAGES = ("app.ingest.align", "app.ingest.events")
SERVICES = ("app.uploads", "app.jobs", "app.corrections", "app.feeds", "app.tokens")
TOOLS = ("app.cli", "app.bench", "app.evaluation")

# (modules that start with this, may never import modules that start with any of these)
RULES = [
    *((module, ABOVE_NEUTRAL + SERVICES + TOOLS) for module in NEUTRAL),
    ("app.ingest", ("app.compare", "app.queries", "app.web", *SERVICES, *TOOLS)),
    ("app.compare", ("app.ingest", "app.queries", "app.web", *SERVICES, *TOOLS)),
    ("app.queries", ("app.web", *SERVICES, *TOOLS, *WRITING_INGEST)),
    ("app.corrections", ("app.web", "app.queries", "app.uploads", "app.jobs", *TOOLS)),
    ("app.uploads", ("app.web", *TOOLS)),
    ("app.jobs", ("app.web", *TOOLS)),
    ("app.feeds", ("app.web", "app.uploads", "app.jobs", "app.corrections", *TOOLS)),
    ("app.tokens", ("app.web", "app.queries", *SERVICES, *TOOLS)),
    ("app.web", TOOLS),
]


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, and `package.name` for each `from package import name`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def module_name(path: Path) -> str:
    parts = path.relative_to(APP_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def crossings(module: str, imports: set[str]) -> set[str]:
    found = set()
    for owner, forbidden in RULES:
        if within(module, owner):
            found |= {i for i in imports if any(within(i, f) for f in forbidden)}
    if within(module, "app.queries"):
        found |= imports & set(WRITING_PACKAGES)
    return {f"{module} imports {imported}" for imported in found}


def test_no_module_imports_a_layer_above_it():
    found = set()
    for path in APP_DIR.rglob("*.py"):
        module = module_name(path)
        found |= crossings(module, imported_modules(path))
    assert found == set()


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("app.ingest.align.score", "from app import compare\n"),
        ("app.ingest.claims", "from app.queries.common import flag_label\n"),
        ("app.queries.admin", "from app.ingest.events import assign_article\n"),
        ("app.queries.events", "from app.ingest import run\n"),
        ("app.queries.timeline", "import app.web.pages\n"),
        ("app.models", "from app.ingest.events.features import person_key\n"),
        ("app.feeds.poll", "from app.web.admin import page\n"),
        ("app.ingest.run", "from app.feeds.poll import Poller\n"),
    ],
)
def test_a_crossing_is_caught(tmp_path, module, source):
    path = tmp_path / "crossing.py"
    path.write_text(source)
    assert crossings(module, imported_modules(path))


def test_reading_a_pure_ingest_module_from_queries_is_allowed(tmp_path):
    path = tmp_path / "pure.py"
    path.write_text("from app.ingest.events.features import person_key\n")
    assert crossings("app.queries.timeline", imported_modules(path)) == set()
