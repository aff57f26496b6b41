"""``saraban routing digest | holidays [YEAR] | holidays-load FILE | holiday-add DATE NAME | working-days N``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saraban.kernel import clock
from saraban.kernel.thai import format_date, parse_user_date


class Command(BaseCommand):
    help = "Routing: send daily digests, show or load the holiday calendar, count working days"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["digest", "holidays", "holidays-load", "holiday-add", "working-days"])
        parser.add_argument("rest", nargs="*")

    def handle(self, *args: Any, **opts: Any) -> None:
        from saraban.routing import actions, calendar
        from saraban.routing.models import Holiday
        from saraban.routing.tasks import send_daily_digests

        what, rest = opts["what"], opts["rest"]
        if what == "digest":
            self.stdout.write(f"digests sent: {send_daily_digests.call()}")
        elif what == "holidays":
            year = int(rest[0]) if rest else clock.year_be()
            for h in Holiday.objects.filter(day__year=year - 543):
                self.stdout.write(f"{h.day.isoformat()}  {format_date(h.day)}  {h.name_th}  [{h.kind}]")
        elif what == "holidays-load":
            files = [Path(p) for p in rest] or calendar.shipped_files()
            for f in files:
                self.stdout.write(f"{f.name}: {actions.load_holidays(None, calendar.read_file(f))} added")
        elif what == "holiday-add":
            if len(rest) < 2:
                raise CommandError("usage: saraban routing holiday-add 14/5/2569 'วันพืชมงคล'")
            from django.contrib.auth import get_user_model

            admin = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
            h = actions.add_holiday(admin, parse_user_date(rest[0]), " ".join(rest[1:]), kind="official")
            self.stdout.write(f"added {h.day.isoformat()} {h.name_th}")
        elif what == "working-days":
            n = int(rest[0]) if rest else 3
            start = parse_user_date(rest[1]) if len(rest) > 1 else clock.today()
            due: dt.date = calendar.add_working_days(start, n)
            self.stdout.write(f"{n} working days after {format_date(start)}: {format_date(due)}")
