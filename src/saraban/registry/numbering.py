"""Gapless numbering: the next number of a book, taken inside the registering transaction.

The increment is one ``UPDATE … RETURNING`` on the book row: PostgreSQL holds that row's lock until the
transaction ends, and SQLite runs every write transaction alone (``BEGIN IMMEDIATE``).  A transaction
that rolls back gives its number back with it, so numbers are never skipped, duplicated or reused.
"""

from __future__ import annotations

from django.db import connection

from saraban.orgs.models import Unit

from .models import RegisterBook


def next_number(unit: Unit, kind: str, year_be: int) -> tuple[RegisterBook, int]:
    if not connection.in_atomic_block:
        raise RuntimeError("numbers are only taken inside the registering transaction")
    table = connection.ops.quote_name(RegisterBook._meta.db_table)
    sql = (
        f"UPDATE {table} SET last_number = last_number + 1 "
        "WHERE unit_id = %s AND kind = %s AND year_be = %s RETURNING id, last_number"
    )
    unit_key = unit.pk.hex if connection.vendor == "sqlite" else unit.pk
    with connection.cursor() as cur:
        cur.execute(sql, [unit_key, kind, year_be])
        row = cur.fetchone()
        if row is None:
            RegisterBook.objects.bulk_create(
                [RegisterBook(unit=unit, kind=kind, year_be=year_be)], ignore_conflicts=True
            )
            cur.execute(sql, [unit_key, kind, year_be])
            row = cur.fetchone()
    book_id = row[0] if not isinstance(row[0], str) else __import__("uuid").UUID(row[0])
    book = RegisterBook(id=book_id, unit=unit, kind=kind, year_be=year_be, last_number=int(row[1]))
    book._state.adding = False
    book._state.db = "default"
    return book, int(row[1])
