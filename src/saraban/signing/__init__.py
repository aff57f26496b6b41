"""Signing letters: a test PKI (:mod:`.pki`), a local RFC 3161 TSA (:mod:`.tsa`), key sources
(:mod:`.signers`, :mod:`.softhsm`), PAdES signing with visible Thai blocks, the agency seal and the
verification QR code (:mod:`.pades`, :mod:`.seal`, :mod:`.qr`), and validation reports
(:mod:`.validate`).  Errors are in :mod:`.errors`.
"""
