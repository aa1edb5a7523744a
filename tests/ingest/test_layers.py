"""The ingest layer's imports: no module under app/ingest/ reaches into query-time or web code."""

import ast
from pathlib import Path

import app

APP_DIR = Path(app.__file__).parent
FORBIDDEN = ("app.compare", "app.queries", "app.web")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_ingest_imports_no_query_time_module():
    crossings = {
        f"{path.relative_to(APP_DIR)} imports {module}"
        for path in (APP_DIR / "ingest").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN)
    }
    assert crossings == set()


def test_the_walk_sees_a_crossing(tmp_path):
    module = tmp_path / "crossing.py"
    module.write_text("from app import compare\nfrom app.queries.common import flags\n")
    assert {"app.compare", "app.queries.common"} <= imported_modules(module)
