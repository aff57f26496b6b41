"""Gapless numbering: the next number of a book, taken inside the registering transaction.

The increment is one ``UPDATE … RETURNING`` on the book row: PostgreSQL holds that row's lock until the
transaction ends, and SQLite runs every write transaction alone (``BEGIN IMMEDIATE``).  A transaction
that rolls back gives its number back with it, so numbers are never skipped, duplicated or reused.
"""

from __future__ import annotations

import uuid

from django.db import connection

from saraban.letters.changes import touch
from saraban.orgs.models import Unit

from .models import RegisterBook, RegisterEntry


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
    book_id = row[0] if not isinstance(row[0], str) else uuid.UUID(row[0])
    book = RegisterBook(id=book_id, unit=unit, kind=kind, year_be=year_be, last_number=int(row[1]))
    book._state.adding = False
    book._state.db = "default"
    return book, int(row[1])


def insert_numbered(entry: RegisterEntry, unit: Unit, kind: str, year_be: int, *, display: tuple[str, str]) -> None:
    """Take the next number of the book and insert ``entry`` with it, ``display`` being the text around the
    number (``("ดศ 0201/", "")``).

    On PostgreSQL this is one statement: the book row is locked and the entry written in one round trip,
    which keeps the stretch during which the book is locked as short as it can be.
    """
    prefix, suffix = display
    touch(entry.letter_id)  # the letter is found by its register number (saraban.search)
    if connection.vendor != "postgresql":
        book, number = next_number(unit, kind, year_be)
        entry.book, entry.number, entry.display = book, number, f"{prefix}{number}{suffix}"
        entry.save(force_insert=True)
        return
    books = connection.ops.quote_name(RegisterBook._meta.db_table)
    entries = connection.ops.quote_name(RegisterEntry._meta.db_table)
    computed = {"book_id": "n.id", "number": "n.last_number", "display": "%s || n.last_number::text || %s"}
    columns, values, params = [], [], []
    for field in RegisterEntry._meta.concrete_fields:
        columns.append(connection.ops.quote_name(field.column))
        if field.attname in computed:
            values.append(computed[field.attname])
            if field.attname == "display":
                params += [prefix, suffix]
            continue
        values.append("%s")
        params.append(field.get_db_prep_save(field.pre_save(entry, True), connection))
    sql = (
        f"WITH n AS (UPDATE {books} SET last_number = last_number + 1 WHERE unit_id = %s AND kind = %s "
        f"AND year_be = %s RETURNING id, last_number) "
        f"INSERT INTO {entries} ({', '.join(columns)}) SELECT {', '.join(values)} FROM n "
        "RETURNING book_id, number"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [unit.pk, kind, year_be, *params])
        row = cur.fetchone()
        if row is None:  # the first number of this book
            RegisterBook.objects.bulk_create([RegisterBook(unit=unit, kind=kind, year_be=year_be)],
                                             ignore_conflicts=True)
            cur.execute(sql, [unit.pk, kind, year_be, *params])
            row = cur.fetchone()
    book_id, number = row
    book = RegisterBook(id=book_id, unit=unit, kind=kind, year_be=year_be, last_number=number)
    book._state.adding = False
    book._state.db = "default"
    entry.book, entry.number, entry.display = book, int(number), f"{prefix}{number}{suffix}"
    entry._state.adding = False
    entry._state.db = "default"
