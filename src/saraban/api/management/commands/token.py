from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from saraban.api.actions import create_token, revoke_token
from saraban.api.models import ApiToken


class Command(BaseCommand):
    help = ("API tokens: `token create <username> [--days N] [--name X]` prints the token as its last line; "
            "`token list`; `token revoke <prefix>`.")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        sub = parser.add_subparsers(dest="op", required=True)
        c = sub.add_parser("create")
        c.add_argument("username")
        c.add_argument("--days", type=int, default=None, help="expire after N days (default: never)")
        c.add_argument("--name", default="", help="what the token is for")
        sub.add_parser("list")
        r = sub.add_parser("revoke")
        r.add_argument("prefix")

    def handle(self, *args: object, **opts: object) -> None:
        op = opts["op"]
        if op == "create":
            user = get_user_model().objects.filter(username=opts["username"]).first()
            if user is None:
                raise CommandError(f"ไม่พบผู้ใช้ / no such user: {opts['username']}")
            row, token = create_token(user, name=str(opts["name"]), days=opts["days"])  # type: ignore[arg-type]
            if row.expires_at:
                self.stdout.write(f"expires: {row.expires_at.isoformat()}")
            self.stdout.write(token)
        elif op == "list":
            for row in ApiToken.objects.select_related("user").order_by("created_at"):
                state = "revoked" if row.revoked_at else "active"
                self.stdout.write(f"{row.prefix}…  {row.user.username:<16} {state:<8} {row.name}")
        elif op == "revoke":
            rows = list(ApiToken.objects.filter(prefix__startswith=opts["prefix"], revoked_at__isnull=True))
            if len(rows) != 1:
                raise CommandError(f"{len(rows)} tokens match; give a longer prefix")
            revoke_token(rows[0])
            self.stdout.write("revoked")
