"""The rooms of the code hold: an import that goes the wrong way fails here.

Read from the source (every import, those inside functions too), not from what happens to be
loaded: a cycle hidden by an import inside a function is still a cycle.

- Services are layered: foundation, then lifecycles, then rules, then workflows, then read
  models. A module imports only from its own layer or the ones below, and the services'
  import graph has no cycle. A new service module must be given a layer in LAYERS.
- Services never import Reflex (nor states, pages or components).
- Among the states only `state/session.py` opens the database; among the HTTP routes only
  `http/unit_of_work.py` (states and routes act through them: docs/architecture.md).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "microgigs"

# Lowest first. A name is a module of microgigs.services, or a package (then every module in it).
LAYERS: list[tuple[str, set[str]]] = [
    (
        "foundation",
        {
            "errors",
            "statuses",
            "validation",
            "amounts",
            "policy",
            "audit",
            "changes",
            "kept_reads",
            "center",
            "markdown",
            "lifecycle",
            "throttle",
            "view_log",
            "notifications",
            "mail_preferences",
            "images",
            "row_locks",
        },
    ),
    ("lifecycles", {"application_lifecycle", "engagement_lifecycle", "payment_lifecycle", "gigs.lifecycle"}),
    (
        "rules",
        {
            "center_settings",
            "accounts",
            "account_security",
            "sso",
            "credentials",
            "profiles",
            "reviews",
            "gigs.vocabulary",
            "prohibited_terms",
            "calendar_links",
            # The board's search reads only foundation and vocabulary: saved-search alerts (a
            # workflow, called when a gig opens) match with it.
            "search",
        },
    ),
    (
        "workflows",
        {
            "gigs",
            "gig_completion",
            "moderation",
            "password_sign_in",
            "applications",
            "engagements",
            "payments",
            "payment_events",
            "closing",
            "disputes",
            "milestones",
            "hiring",
            "evidence",
            "organizations",
            "privacy",
            "mail_queue",
            "reminders",
            "alerts",
            "digest",
        },
    ),
    (
        "read models",
        {
            "dashboards",
            "money",
            "insights",
            "portfolio",
            "audit_log",
            "outbox",
            "track_record",
            "gigs.board",
            "gigs.board_cache",
            "monitoring",
            "center_pages",
            "calendar_feed",
        },
    ),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def imports_of(module: str) -> set[str]:
    """Every module `module` imports (its own package's and outside ones), wherever in the file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                # `from microgigs.services import gigs` imports the module gigs, not the package.
                full = f"{base}.{alias.name}"
                found.add(full if full in MODULES else base)
    return found


def layer_of(module: str) -> int | None:
    """The layer of a services module: its own entry, else its package's; None if unassigned."""
    name = module.removeprefix("microgigs.services.")
    while name:
        for index, (_, members) in enumerate(LAYERS):
            if name in members:
                return index
        name = name.rpartition(".")[0]
    return None


SERVICES = sorted(m for m in MODULES if m.startswith("microgigs.services."))


def service_imports(module: str) -> set[str]:
    return {m for m in imports_of(module) if m.startswith("microgigs.services.") and m != module}


def test_every_service_module_has_a_layer():
    unassigned = [m for m in SERVICES if layer_of(m) is None]
    assert unassigned == [], f"give these modules a layer in LAYERS: {unassigned}"


@pytest.mark.parametrize("module", SERVICES)
def test_services_import_only_their_own_layer_or_below(module):
    mine = layer_of(module) or 0  # an unassigned module fails the test above
    # A package's __init__ re-exports its own modules, whatever their layer.
    upward = sorted(m for m in service_imports(module) if (layer_of(m) or 0) > mine and not m.startswith(module + "."))
    assert upward == [], f"{module} ({LAYERS[mine][0]}) imports a higher layer: " + ", ".join(
        f"{m} ({LAYERS[layer_of(m) or 0][0]})" for m in upward
    )


def test_services_import_graph_has_no_cycle():
    graph = {m: {d for d in service_imports(m) if d in MODULES and not _package_of(m, d)} for m in SERVICES}
    cycle = _find_cycle(graph)
    assert cycle is None, "import cycle among services: " + " -> ".join(cycle)


def _package_of(module: str, other: str) -> bool:
    """A package's __init__ re-exports its own modules: that is not a cycle with them."""
    return module.startswith(other + ".") or other.startswith(module + ".")


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in visiting:
            return [*visiting[visiting.index(node) :], node]
        if node in done:
            return None
        visiting.append(node)
        for nxt in sorted(graph.get(node, ())):
            found = visit(nxt)
            if found:
                return found
        visiting.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start)
        if found:
            return found
    return None


@pytest.mark.parametrize("module", SERVICES)
def test_services_never_import_the_ui(module):
    ui = sorted(
        m
        for m in imports_of(module)
        if m == "reflex" or m.startswith(("reflex.", "microgigs.state", "microgigs.pages", "microgigs.components"))
    )
    assert ui == [], f"{module} imports {ui}"


@pytest.mark.parametrize(
    "folder, the_one",
    [("microgigs.state", "microgigs.state.session"), ("microgigs.http", "microgigs.http.unit_of_work")],
)
def test_only_one_module_of_states_and_routes_opens_the_database(folder, the_one):
    opening = sorted(m for m in MODULES if m.startswith(folder + ".") and "microgigs.db" in imports_of(m))
    assert opening == [the_one]
