"""A local RFC 3161 time-stamping authority on loopback HTTP, and the HTTP client for any TSA.

The authority is pyHanko's ``DummyTimeStamper`` (it signs whatever it is asked, with the TSA
certificate of the test PKI) stamping the time of Saraban's clock, behind a small threaded HTTP
server.  It is for tests and the demo; production uses a real TSA (ขมธอ. 33-2566) through
:class:`HttpTimeStamper`.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx
from asn1crypto import cms, core, keys, tsp
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from pyhanko.sign import general
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from saraban.kernel import clock

from .errors import TimestampFailed
from .pki import Credential

CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"


class ClockedTimeStamper(DummyTimeStamper):
    """pyHanko's test TSA, stamping the time of :mod:`saraban.kernel.clock`.

    It also keeps its private key loaded: the parent class parses the RSA key for every token, and
    ``cryptography`` checks an RSA key on every load (about 30 ms).
    """

    def __init__(self, *args: Any, signing_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._signing_key = signing_key

    def _sign_tst_info(self, tst_info_data: bytes, md_algorithm: str, dt: Any) -> tuple[bytes, cms.CMSAttributes]:
        digest = hashes.Hash(get_pyca_cryptography_hash(md_algorithm))
        digest.update(tst_info_data)
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(dt)})),
            simple_cms_attribute("signing_certificate", general.as_signing_certificate(self.tsa_cert)),
            simple_cms_attribute("message_digest", digest.finalize()),
        ])
        algorithm = get_pyca_cryptography_hash(md_algorithm.upper())
        key = self._signing_key
        if isinstance(key, rsa.RSAPrivateKey):
            signature = key.sign(signed_attrs.dump(), PKCS1v15(), algorithm)
        else:
            signature = key.sign(signed_attrs.dump(), ec.ECDSA(algorithm))
        return signature, signed_attrs

    def request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        message_imprint: tsp.MessageImprint = req["message_imprint"]
        md_algorithm = self.override_md or message_imprint["hash_algorithm"]["algorithm"].native
        when = self.fixed_dt or clock.now()
        tst_info = self._build_tst_info(message_imprint, when, req)
        tst_info_data = tst_info.dump()
        signature, signed_attrs = self._sign_tst_info(tst_info_data, md_algorithm, when)
        signed_data = self._build_signed_data(tst_info_data, md_algorithm, signature, signed_attrs)
        token = cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})
        status = tsp.PKIStatusInfo({"status": tsp.PKIStatus("granted")})
        return tsp.TimeStampResp({"status": status, "time_stamp_token": token})


def stamper_for(credential: Credential) -> ClockedTimeStamper:
    """An in-process TSA signing with ``credential`` (which needs EKU timeStamping)."""
    key_der = credential.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return ClockedTimeStamper(
        tsa_cert=credential.asn1_cert(),
        tsa_key=keys.PrivateKeyInfo.load(key_der),
        certs_to_embed=SimpleCertificateStore.from_certs(credential.asn1_chain()),
        signing_key=credential.key,
    )


class _Handler(BaseHTTPRequestHandler):
    server: _TSAServer
    protocol_version = "HTTP/1.1"  # keep-alive: one connection for a signing session
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            request = tsp.TimeStampReq.load(body)
            reply = self.server.stamper.request_tsa_response(request).dump()
        except Exception:  # a malformed request: answer 400, keep serving
            self.send_error(400, "bad time-stamp request")
            return
        self.send_response(200)
        self.send_header("Content-Type", CONTENT_TYPE_REPLY)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        return


class _TSAServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], stamper: DummyTimeStamper) -> None:
        super().__init__(address, _Handler)
        self.stamper = stamper


class LocalTSA:
    """The test TSA served on ``http://127.0.0.1:<port>/`` from a background thread.

    Use it as a context manager, or call :meth:`start` and :meth:`stop`.
    """

    def __init__(self, credential: Credential, host: str = "127.0.0.1", port: int = 0) -> None:
        self.credential = credential
        self._address = (host, port)
        self._server: _TSAServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the TSA is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> LocalTSA:
        if self._server is None:
            self._server = _TSAServer(self._address, stamper_for(self.credential))
            self._thread = threading.Thread(target=self._server.serve_forever, name="saraban-tsa", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> LocalTSA:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


class HttpTimeStamper(TimeStamper):
    """An RFC 3161 client over HTTP (one kept-alive connection), for pyHanko's signer."""

    def __init__(self, url: str, *, timeout: float = 10.0, client: httpx.Client | None = None) -> None:
        super().__init__()
        self.url = url
        # TCP_NODELAY: httpx writes headers and body separately; with Nagle's algorithm the body
        # waits for the server's delayed ACK (40 ms on loopback).
        transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._client = client or httpx.Client(timeout=timeout, transport=transport)

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            response = self._client.post(
                self.url, content=req.dump(), headers={"Content-Type": CONTENT_TYPE_QUERY}
            )
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise TimestampFailed(url=self.url, reason=str(exc)) from exc
        if response.headers.get("Content-Type", "").split(";")[0] != CONTENT_TYPE_REPLY:
            raise TimestampFailed(url=self.url, reason="not a time-stamp reply")
        return tsp.TimeStampResp.load(response.content)

    def close(self) -> None:
        self._client.close()
