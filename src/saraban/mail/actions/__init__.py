"""Every state change of the central mailbox: one transaction, one audit event each.

Subjects never enter the audit log from here (a mail may be classified before anyone knows it): events
carry Message-IDs, addresses, sizes, hashes and reasons.
"""

from .account import save_account
from .inbound import discard, note_failure, on_registered, process, receive, release
from .outbound import record_attempt_failed, record_failed, record_sent, reply_with_number

__all__ = ["discard", "note_failure", "on_registered", "process", "receive", "record_attempt_failed",
           "record_failed", "record_sent", "release", "reply_with_number", "save_account"]
