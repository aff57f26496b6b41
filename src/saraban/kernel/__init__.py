"""Kernel: clock, Thai text/dates/digits, ids, errors and small interfaces shared by every app."""
