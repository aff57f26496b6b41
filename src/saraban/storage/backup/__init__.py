"""Backups in a second place (Regulation No. 4, Appendix 6): :mod:`.run` makes them, :mod:`.restore` rebuilds a
system from one, :mod:`.check` proves one restorable.  :mod:`.schedule` runs them from ``saraban tick``.
"""
