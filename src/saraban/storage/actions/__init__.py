"""Actions of the storage app, by concern: :mod:`.damage` (damage found while reading), :mod:`.checks`
(verification runs and sweeps), :mod:`.keys` (key rotation and re-wrapping), :mod:`.backups` (backup runs and
restores).  Each is one transaction with one audit event.
"""
