"""Exchange of official letters between e-Saraban systems: SBX 1.0 (``docs/exchange.md``).

Sending: :func:`actions.dispatch` writes one :class:`~.models.Dispatch` and one outbox row per recipient in
the same transaction; :mod:`.outbox` (run by the exchange worker and the task queue) builds the signed
envelope and ASiC-E package, delivers them (over HTTPS with mutual TLS, or in-process for agencies of
this deployment) and records the recipient's signed ``delivered`` receipt.  Receiving: :mod:`.inbox`
verifies before it accepts, deduplicates on the message id, stores, commits and answers with a signed
receipt; the letter then reaches the recipient's intake queue, and registering or returning it sends
``registered`` / ``rejected`` back.
"""
