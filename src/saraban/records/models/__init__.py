"""The records app's tables, one module per concern (file plan and filing; loans; destruction; handover)."""

from .destruction import CommitteeMember, CommitteeRole, Decision, DestructionItem, DestructionList, ListState
from .keeping import FileCode, Filing, FilingState

__all__ = ["CommitteeMember", "CommitteeRole", "Decision", "DestructionItem", "DestructionList", "FileCode",
           "Filing", "FilingState", "ListState"]
