"""The one small adapter through which the integration tests read and poke the database of a
running Countersign, whichever engine it uses.

`COUNTERSIGN_IT_STORAGE=postgres` (with `COUNTERSIGN_TEST_POSTGRES_URL`, which `make test` sets
after starting its own server) gives every `Site` a fresh PostgreSQL database instead of a SQLite
file. Tests write SQLite-flavoured SQL (`?` placeholders, bare `AspNetUsers` identifiers); for
PostgreSQL the adapter quotes ASP.NET's PascalCase identifiers and turns `?` into `%s`. Rows
answer both `row["Column"]` and `row[0]`; PostgreSQL's booleans compare equal to 1 and 0.
"""
from __future__ import annotations

import hashlib
import os
import re
import sqlite3

ENGINE = os.environ.get("COUNTERSIGN_IT_STORAGE", "sqlite")
POSTGRES_URL = os.environ.get("COUNTERSIGN_TEST_POSTGRES_URL", "")

IDENTIFIERS = [
    "AspNetUsers", "Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
    "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumber", "PhoneNumberConfirmed", "TwoFactorEnabled",
    "LockoutEnd", "LockoutEnabled", "AccessFailedCount", "FirstName", "LastName",
]
_IDENTIFIER_RE = re.compile(r'(?<!["\w])(' + "|".join(IDENTIFIERS) + r')(?!["\w])')


_FLAG_RE = re.compile(r'("(?:EmailConfirmed|PhoneNumberConfirmed|TwoFactorEnabled|LockoutEnabled)"\s*=\s*)([01])\b')


def postgres_sql(sql: str) -> str:
    """SQLite-flavoured test SQL as PostgreSQL reads it (flags written as 0/1 become booleans)."""
    sql = _IDENTIFIER_RE.sub(r'"\1"', sql)
    sql = _FLAG_RE.sub(lambda m: m.group(1) + ("true" if m.group(2) == "1" else "false"), sql)
    return sql.replace("?", "%s")


class Row(dict):
    """A result row by column name or by position."""

    def __getitem__(self, key):
        if isinstance(key, int):
            return list(self.values())[key]
        return super().__getitem__(key)

    def keys(self):  # like sqlite3.Row
        return list(super().keys())


class _PostgresConnection:
    """A psycopg connection that speaks the tests' SQLite dialect; `with` commits like sqlite3."""

    def __init__(self, url: str):
        import psycopg
        self._conn = psycopg.connect(url, autocommit=False)

    def execute(self, sql: str, params=()):
        cursor = self._conn.cursor(row_factory=lambda cur: (
            lambda values: Row(zip([c.name for c in cur.description], values))))
        cursor.execute(postgres_sql(sql), tuple(params))
        return cursor

    def commit(self):
        self._conn.commit()

    def close(self):
        self._conn.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        if kind is None:
            self._conn.commit()
        else:
            self._conn.rollback()
        self._conn.close()
        return False


class Database:
    """A Site's database: its config keys, connections, creation and removal."""

    def __init__(self, root, engine: str | None = None):
        # `engine` overrides the run's engine, for a test that needs both (moving a site).
        self.engine = engine or ENGINE
        self.path = root / "countersign.db"
        # One database per site folder, like the SQLite file in it: a site restarted on the same
        # folder finds its data again.
        self.name = "cs_it_" + hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
        if self.engine == "postgres":
            if not POSTGRES_URL:
                raise RuntimeError("COUNTERSIGN_IT_STORAGE=postgres needs COUNTERSIGN_TEST_POSTGRES_URL (make test sets it)")
            self.url = re.sub(r"dbname=\S+", "", POSTGRES_URL).strip() + f" dbname={self.name}"
            import psycopg
            with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
                if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)).fetchone() is None:
                    conn.execute(f"CREATE DATABASE {self.name}")

    def config(self) -> dict[str, str]:
        if self.engine == "postgres":
            return {"storage.provider": "postgres", "storage.url": self.url}
        return {"storage.path": str(self.path)}

    def connect(self):
        if self.engine == "postgres":
            return _PostgresConnection(self.url)
        conn = sqlite3.connect(self.path, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def drop(self) -> None:
        if self.engine == "postgres":
            self._admin(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(sql)
