"""The SBX endpoint: exchange's own transport (``saraban sbx serve``).

:mod:`.server` is the exchange process (HTTPS with mutual TLS on aiohttp, and the outbox loop);
:mod:`.endpoints` is what each SBX URL answers.  Like the web and the API, it may import the exchange
domain; nothing in the domain imports it.
"""
