"""The records app's tables, one module per concern (file plan and filing; destruction; loans; re-grading)."""

from .destruction import CommitteeMember, CommitteeRole, Decision, DestructionItem, DestructionList, ListState
from .grading import GradeChange, Regrading
from .keeping import FileCode, Filing, FilingState
from .loans import APPROVAL_SCOPES, BorrowerScope, CertifiedCopy, Loan, LoanMedium

__all__ = ["APPROVAL_SCOPES", "BorrowerScope", "CertifiedCopy", "CommitteeMember", "CommitteeRole", "Decision",
           "DestructionItem", "DestructionList", "FileCode", "Filing", "FilingState", "GradeChange", "ListState",
           "Loan", "LoanMedium", "Regrading"]
