"""How first_release.json.gz and files/ were made (kept to make them again, not run by the tests).

The first release is commit 2dffaf2 (the last one whose schema was only the initial migration,
c62a0d924700). Its own code filled a demo database, dumped here table by table:

    git archive 2dffaf2 | tar -x -C /tmp/first
    cd /tmp/first && MICROGIGS_DATA_DIR=/tmp/first-data MICROGIGS_DEMO_MODE=true \\
        /path/to/.venv/bin/python -c "from alembic.config import Config; from alembic import command; \\
        c = Config(); c.set_main_option('script_location', 'alembic'); command.upgrade(c, 'head'); \\
        from microgigs.cli import main; main(['seed-demo'])"
    .venv/bin/python tests/data/first_release/make_fixture.py /tmp/first-data

Values are kept as SQLite gave them (datetimes as text, booleans as 0/1); the test turns them
into the column's type on either database.
"""

import gzip
import json
import shutil
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(data_dir: Path) -> None:
    connection = sqlite3.connect(data_dir / "microgigs.db")
    tables = {}
    names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for name in names:
        if name == "alembic_version" or name.startswith("sqlite_"):
            continue
        cursor = connection.execute(f'SELECT * FROM "{name}"')
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        if rows:
            tables[name] = {"columns": columns, "rows": rows}
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    with gzip.open(HERE / "first_release.json.gz", "wt", encoding="utf-8") as out:
        json.dump({"revision": revision, "tables": tables}, out, separators=(",", ":"))
    shutil.rmtree(HERE / "files", ignore_errors=True)
    shutil.copytree(data_dir / "files", HERE / "files")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
