"""``saraban sbx …``: run the exchange endpoint, send, inspect the outbox and inbox, manage the directory."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from saraban.kernel.errors import SarabanError


def _out(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1, default=str))


class Command(BaseCommand):
    help = "SBX exchange between e-Saraban systems: serve, send, outbox, inbox, directory."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="cmd", required=True)
        s = sub.add_parser("serve", help="run the SBX endpoint (HTTPS, mutual TLS) and the outbox sender")
        s.add_argument("--listen", help="host:port (default: `listen` of node.toml)")
        s.add_argument("--no-sender", action="store_true", help="only receive; leave sending to the task worker")
        s.add_argument("--send-threads", type=int, default=4)
        s.add_argument("--threads", type=int, default=8)
        s.add_argument("--behind-proxy", action="store_true",
                       help="plain HTTP on loopback; the reverse proxy does the mutual TLS and passes the verified "
                            "client certificate in X-SBX-Client-Cert (deploy/nginx)")

        d = sub.add_parser("directory", help="the participant directory")
        d.add_argument("op", choices=["show", "load", "refresh"])
        d.add_argument("source", nargs="?", help="file or URL (load); default: the configured source")
        d.add_argument("--signature", default="", help="the .p7s (default: source + .p7s)")

        snd = sub.add_parser("send", help="send an issued letter to agencies (as a user who may send it)")
        snd.add_argument("letter_id")
        snd.add_argument("recipients", nargs="+")
        snd.add_argument("--as", dest="username", required=True)
        snd.add_argument("--ttl", type=int, help="seconds to keep trying (default 72 h, 24 h for ด่วนที่สุด)")

        o = sub.add_parser("outbox", help="messages to send: list (default) or run the due ones now")
        o.add_argument("op", nargs="?", choices=["list", "run"], default="list")
        o.add_argument("--all", action="store_true", help="also delivered and failed ones")
        o.add_argument("--limit", type=int, default=50)

        i = sub.add_parser("inbox", help="messages received")
        i.add_argument("--limit", type=int, default=50)

        st = sub.add_parser("status", help="one message, sent or received, by its message id")
        st.add_argument("message_id")
        st.add_argument("--remote", action="store_true", help="ask the recipient's endpoint (…/status, …/receipt)")

        mb = sub.add_parser("mailbox", help="pull what our intermediary holds for agencies without an endpoint")
        mb.add_argument("op", choices=["pull"])

        sub.add_parser("schemas", help="write the JSON Schemas (envelope.json, letter.json) from the models")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            getattr(self, "do_" + o["cmd"].replace("-", "_"))(o)
        except SarabanError as exc:
            raise CommandError(f"[{exc.code}] {exc.message_th} / {exc.message_en}") from exc

    def do_serve(self, o: dict[str, Any]) -> None:
        from saraban.exchange.sbx import server

        server.serve(o.get("listen"), sender=not o["no_sender"], threads=o["threads"], send_threads=o["send_threads"],
                     behind_proxy=o["behind_proxy"])

    def do_directory(self, o: dict[str, Any]) -> None:
        from saraban.exchange import directory, refresh
        from saraban.exchange.models import Participant

        if o["op"] == "load":
            if o["source"]:
                v = refresh.load_from(o["source"], o["signature"])
                _out({"serial": v.serial, "entries": v.entries, "signer": v.signer})
                return
            o["op"] = "refresh"
        if o["op"] == "refresh":
            _out({"refresh": refresh.refresh()})
            return
        v = directory.current()
        _out({"serial": v.serial if v else None, "expires_at": v.expires_at if v else None,
              "participants": [{"code": p.code, "org": p.org, "name": p.name_th, "endpoint": p.endpoint,
                                "via": p.via, "email": p.email} for p in Participant.objects.all()]})

    def do_send(self, o: dict[str, Any]) -> None:
        import datetime as dt

        from saraban.exchange import actions
        from saraban.letters.models import Letter

        user = get_user_model().objects.get(username=o["username"])
        letter = Letter.objects.get(pk=o["letter_id"])
        ttl = dt.timedelta(seconds=o["ttl"]) if o.get("ttl") else None
        out = actions.dispatch(user, letter, o["recipients"], ttl=ttl)
        _out([{"recipient": d.recipient_code, "status": d.status, "message_id": str(d.message.message_id)}
              for d in out])

    def do_outbox(self, o: dict[str, Any]) -> None:
        from saraban.exchange.models import OutboxMessage
        from saraban.exchange.outbox import worker

        if o["op"] == "run":
            _out(worker.deliver_due(o["limit"]))
            return
        qs = OutboxMessage.objects.order_by("-created_at")
        if not o["all"]:
            qs = qs.filter(status="pending")
        _out([{"message_id": str(m.message_id), "kind": m.kind, "signal": m.signal, "to": m.recipient_code,
               "status": m.status, "attempts": m.attempts, "next_attempt_at": m.next_attempt_at,
               "expires_at": m.expires_at, "last_error": f"{m.last_error_code} {m.last_error}".strip(),
               "receipt_id": m.receipt_id} for m in qs[: o["limit"]]])

    def do_inbox(self, o: dict[str, Any]) -> None:
        from saraban.exchange.models import InboundMessage

        _out([{"message_id": str(m.message_id), "from": m.sender_code, "to": m.recipient_code, "kind": m.kind,
               "signal": m.signal, "received_at": m.received_at, "receipt_id": m.receipt_id,
               "intake_item": m.intake_item_id, "mailbox": m.mailbox}
              for m in InboundMessage.objects.order_by("-received_at")[: o["limit"]]])

    def do_status(self, o: dict[str, Any]) -> None:
        from saraban.exchange.models import InboundMessage, OutboxMessage
        from saraban.exchange.outbox import worker
        from saraban.exchange.transport import https

        mid = o["message_id"]
        sent = OutboxMessage.objects.filter(message_id=mid).select_related("dispatch").first()
        got = InboundMessage.objects.filter(message_id=mid).first()
        if sent is None and got is None:
            raise CommandError(f"no message {mid}")
        data: dict[str, Any] = {}
        if sent is not None:
            data["sent"] = {"to": sent.recipient_code, "status": sent.status, "attempts": sent.attempts,
                            "receipt_id": sent.receipt_id, "route": sent.route,
                            "dispatch": sent.dispatch.status if sent.dispatch else None}
            if o["remote"]:
                to = worker.route(sent)
                if to.kind == "https":
                    base = to.url.rsplit("/messages", 1)[0]
                    r = https.get(f"{base}/messages/{mid}/status")
                    data["remote"] = {"http": r.status_code, "body": r.json()}
        if got is not None:
            data["received"] = {"from": got.sender_code, "receipt_id": got.receipt_id, "received_at": got.received_at,
                                "intake_item": got.intake_item_id, "verification": got.verification}
        _out(data)

    def do_mailbox(self, o: dict[str, Any]) -> None:
        from saraban.exchange import mailbox

        _out(mailbox.pull_all())

    def do_schemas(self, o: dict[str, Any]) -> None:
        from saraban.exchange import schemas

        _out([str(p) for p in schemas.write()])
