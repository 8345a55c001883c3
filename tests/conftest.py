"""Shared fixtures: the example workshop, the synthetic definitions, stores on SQLite and
PostgreSQL, and the Hypothesis profiles.

The suite runs in parallel (pytest-xdist, `make test`): every fixture here is per test process,
so nothing is shared between workers but the bundled examples, which no test may change.

- `example_copy`: a fresh copy of examples/acme in the test's tmp_path, for a test that changes it.
  Module- or session-scoped fixtures call `playbook.paths.copy_example` themselves: the one way
  to copy an example (it leaves out stores, secrets and outputs a checkout may hold).
- `example_readonly`: one copy per session for tests that only read it; changing it fails the test.
- `kernel_config()`: the Config of a kernel on Unix sockets, for nbclient or papermill (`config=`).
- `mini`, `drill`: the synthetic definitions of tests/synthetic.py.
- `store`, `make_store(**kw)`: a Store of drill.yml for teams north and south, on an empty
  database (`store_url`; `new_store_url(name)` gives more). Every test that uses one runs once on
  SQLite and once on PostgreSQL (a throwaway server per test process, see pg_cluster.py) unless
  marked `sqlite_only` or `postgresql_only`; the test sees which as the `backend` argument.
- `browser`, `tab`: one Chromium for a module's tests, and a tab of its one kept window (tests/chromium.py).
- Hypothesis: profile "ci" when CI is set, else "dev"; HYPOTHESIS_PROFILE picks one by name.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pg_cluster
import pytest
from chromium import browser_fixture, tab, tabs  # noqa: F401 - the browser tests' fixtures (see chromium.py)
from hypothesis import HealthCheck, settings
from synthetic import MINI, write_drill
from traitlets.config import Config

from playbook import paths
from playbook.answers.store import Store
from playbook.batch import kernels
from playbook.model.exercises import Exercise, load_file

ROOT = Path(__file__).resolve().parents[1]
BACKENDS = ("sqlite", "postgresql")

# What the kit reads from the environment: a developer's shell must not point the tests at a
# real store or workshop. Tests that need one set it themselves (monkeypatch).
for _name in ("PLAYBOOK_STORE_URL", "PLAYBOOK_WORKSHOP", "PLAYBOOK_SERVED", "QUERY_STRING", "PLAYBOOK_CATALOGUES"):
    os.environ.pop(_name, None)
# The `playbook` command speaks the system's language when the kit has it (LANGUAGE comes first,
# and only message catalogues read it): the suite reads its messages in English.
os.environ["LANGUAGE"] = "en"
# A suite started in the background of a non-interactive shell (`make test &`, some CI runners)
# inherits SIGINT ignored, and so would every command it starts: the Ctrl-C tests' commands would
# not stop. With Python's handler here, the commands start with the default one again.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# --- Hypothesis -------------------------------------------------------------------------------
# Tests that start kernels or open stores also say deadline=None themselves; their explicit
# settings (max_examples, ...) win over a profile's.
settings.register_profile(
    "ci",  # reproducible: the same examples on every run, timing never fails a test on a busy machine
    derandomize=True, deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",  # new random examples each run; failures are kept in .hypothesis/ and tried first next time
    deadline=1000, print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev"))


# --- parallel runs ----------------------------------------------------------------------------

@pytest.hookimpl(trylast=True)  # after pytest has ordered the tests by fixture
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` (`make test`): keep what must share a worker together, slow tests first.

    Tests that share a module-scoped fixture (a served workshop, a browser, built handouts) form one
    group per module, run by one worker, so the fixture is built once. Everything else is spread
    test by test; slow tests go first so that no worker is left with a long one at the end while
    the others idle (the Makefile passes --no-loadscope-reorder to keep this order).
    """
    if not (hasattr(config, "workerinput") and config.getvalue("loadgroup")):
        return
    slow: dict[str, bool] = {}
    unit: dict[str, str] = {}
    for item in items:
        infos = getattr(item, "_fixtureinfo", None)
        shared = infos is not None and any(
            defs[-1].scope in ("class", "module", "package")
            for name in item.fixturenames if (defs := infos.name2fixturedefs.get(name))
        )
        key = item.nodeid.split("::")[0] if shared else item.nodeid
        slow[key] = slow.get(key, False) or item.get_closest_marker("slow") is not None
        if shared:
            _join_group(item, key)
        unit[item.nodeid] = key
    items.sort(key=lambda item: not slow[unit[item.nodeid]])


def _join_group(item: pytest.Item, group: str) -> None:
    """What an `xdist_group` mark does: loadgroup reads the group from the id's "@" suffix.

    Done here rather than with the mark because xdist 3.8 sets `_nodeid`, which pytest 9.2 no
    longer reads (pytest-dev/pytest-xdist#1386); the suffix then silently goes missing.
    """
    grouped = f"{item.nodeid}@{group}"
    if hasattr(item, "_id"):  # pytest >= 9.2: a structured id
        from _pytest.nodeid import NodeId

        item._id = NodeId.parse(grouped)
    else:
        item._nodeid = grouped
    assert item.nodeid == grouped, "cannot group tests for xdist with this pytest"


# --- the bundled examples ---------------------------------------------------------------------

def _listing(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*")}


def _changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted({name for name, _ in set(before.items()) ^ set(after.items())})


@pytest.fixture(scope="session", autouse=True)
def _examples_stay_untouched() -> Iterator[None]:
    """No test may write into the bundled examples: tests work on copies."""
    root = ROOT / "examples"
    before = _listing(root)
    yield
    changed = _changed(before, _listing(root))
    assert not changed, f"tests changed the bundled examples: {changed[:5]}"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A fresh copy of examples/acme at tmp_path/acme, for a test that changes it."""
    return paths.copy_example(tmp_path / "acme")


@pytest.fixture(scope="session")
def example_readonly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of examples/acme for the whole session: read it, never change it."""
    return paths.copy_example(tmp_path_factory.mktemp("readonly") / "acme")


@pytest.fixture(autouse=True)
def _readonly_stays_readonly(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test that changed `example_readonly` (checked only where it is used)."""
    if "example_readonly" not in request.fixturenames:
        yield
        return
    root: Path = request.getfixturevalue("example_readonly")
    before = _listing(root)
    yield
    changed = _changed(before, _listing(root))
    assert not changed, f"this test changed example_readonly (use example_copy to change a copy): {changed[:5]}"


@pytest.fixture(scope="session")
def kernel_config(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Config]:
    """Gives the traitlets Config of one kernel for nbclient or papermill (`config=`): it talks
    over Unix sockets, as the batch worker's, since a TCP kernel can lose its ports to another
    process of the suite before it binds them (`playbook.batch.kernels`)."""
    folder = tmp_path_factory.mktemp("kernels")
    return lambda: Config({"KernelManager": kernels.sockets(folder)})


# --- synthetic definitions --------------------------------------------------------------------

@pytest.fixture(scope="session")
def mini() -> Exercise:
    """A small definition using every field type, method, metric kind and condition."""
    return load_file(MINI)


@pytest.fixture(scope="session")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Exercise:
    """The store's definition: one field of every type (tests/data/drill.yml)."""
    return load_file(write_drill(tmp_path_factory.mktemp("drill")))


# --- stores on SQLite and PostgreSQL ----------------------------------------------------------

def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test that uses a store database runs once per backend (`backend` is the parameter)."""
    if "backend" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        backends: tuple[str, ...] = ("sqlite",)
    elif metafunc.definition.get_closest_marker("postgresql_only"):
        backends = ("postgresql",)
    else:
        backends = BACKENDS
    metafunc.parametrize("backend", backends)


@pytest.fixture(scope="session")
def postgres() -> Iterator[pg_cluster.Cluster]:
    """This test process's PostgreSQL server, started on first use; skips where it cannot run."""
    try:
        cluster = pg_cluster.Cluster()
    except pg_cluster.Unavailable as exc:
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture
def new_store_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., str]:
    """`new_store_url(name)`: the URL of an empty database on this test's backend; the same name
    gives the same database (SQLite: tmp_path/<name>.db; PostgreSQL: a schema of its own)."""
    if backend == "sqlite":
        return lambda name="responses": f"sqlite:///{tmp_path / name}.db"
    cluster: pg_cluster.Cluster = request.getfixturevalue("postgres")
    made: dict[str, str] = {}

    def url(name: str = "responses") -> str:
        if name not in made:
            made[name] = cluster.schema_url()
        return made[name]

    return url


@pytest.fixture
def store_url(new_store_url: Callable[..., str]) -> str:
    """An empty store database (SQLite: tmp_path/responses.db)."""
    return new_store_url()


@pytest.fixture
def make_store(store_url: str, drill: Exercise) -> Iterator[Callable[..., Store]]:
    """`make_store(**kw)`: a Store on `store_url` (or `url=`), workshop "acme", teams north and
    south, the drill definition, each overridable; closed after the test."""
    opened: list[Store] = []

    def make(**kw: Any) -> Store:
        kw.setdefault("workshop", "acme")
        kw.setdefault("teams", ["north", "south"])
        kw.setdefault("exercises", [drill])
        made = Store(kw.pop("url", store_url), **kw)
        opened.append(made)
        return made

    yield make
    for made in opened:
        made.close()


@pytest.fixture
def store(make_store: Callable[..., Store]) -> Store:
    """An empty Store of the drill definition, on SQLite and on PostgreSQL."""
    return make_store()
