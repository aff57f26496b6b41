from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from saraban.kernel.errors import SarabanError
from saraban.orgs.queries import unit_by_code
from saraban.registry.actions import set_book_floor
from saraban.registry.models import RegisterBook


class Command(BaseCommand):
    help = ("Register books: `books list`; `books floor <unit> <kind> <year B.E.> <last paper number> --as <admin>` "
            "starts a book after the numbers used in the paper register.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        sub.add_parser("list")
        f = sub.add_parser("floor")
        f.add_argument("unit")
        f.add_argument("kind")
        f.add_argument("year", type=int)
        f.add_argument("last_number", type=int)
        f.add_argument("--as", dest="username", default="admin")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["op"] == "list":
            for b in RegisterBook.objects.select_related("unit").order_by("-year_be", "unit__path", "kind"):
                self.stdout.write(f"{b.year_be} {b.unit.code:<16} {b.kind:<16} last {b.last_number} (floor {b.floor})")
            return
        unit = unit_by_code(str(opts["unit"]))
        if unit is None:
            raise CommandError(f"ไม่พบหน่วยงาน / unknown unit {opts['unit']}")
        user = get_user_model().objects.filter(username=opts["username"]).first()
        try:
            set_book_floor(user, unit, str(opts["kind"]), int(opts["year"]), int(opts["last_number"]))  # type: ignore[arg-type]
        except SarabanError as exc:
            raise CommandError(f"{exc.message_th} / {exc.message_en}") from exc
        self.stdout.write(f"{opts['kind']} {opts['year']} of {unit.code} continues from {opts['last_number']}")
