"""Sending through the agency's mail server: SMTP with TLS (implicit or STARTTLS) and authentication."""

from __future__ import annotations

import smtplib
import ssl

from .base import SendFailed, Server, SmtpAnswer


def _answer(code: int, reply: bytes | str) -> str:
    return (reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)).replace("\n", " ")


def _check(code: int, reply: bytes, ok: tuple[int, ...]) -> None:
    if code not in ok:
        raise SendFailed(code, _answer(code, reply), retry=400 <= code < 500)


class SmtpSender:
    def send(self, server: Server, mail_from: str, rcpt: str, raw: bytes) -> SmtpAnswer:
        try:
            if server.security == "tls":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout,
                                                      context=server.tls_context())
            else:
                conn = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
            with conn:
                conn.ehlo()
                if server.security == "starttls":
                    conn.starttls(context=server.tls_context())
                    conn.ehlo()
                if server.user:
                    conn.login(server.user, server.password)
                code, reply = conn.mail(mail_from, ["SMTPUTF8"] if not mail_from.isascii() else [])
                _check(code, reply, (250,))
                code, reply = conn.rcpt(rcpt)
                _check(code, reply, (250, 251))
                code, reply = conn.data(raw)
                _check(code, reply, (250,))
                return SmtpAnswer(code, _answer(code, reply))
        except SendFailed:
            raise
        except smtplib.SMTPAuthenticationError as exc:
            refused = f"authentication failed: {_answer(0, exc.smtp_error)}"
            raise SendFailed(exc.smtp_code, refused, retry=False) from exc
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(exc.smtp_code, _answer(0, exc.smtp_error), retry=400 <= exc.smtp_code < 500) from exc
        except ssl.SSLCertVerificationError as exc:
            raise SendFailed(None, f"TLS certificate not trusted: {exc.verify_message}", retry=True) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise SendFailed(None, f"{type(exc).__name__}: {exc}", retry=True) from exc
