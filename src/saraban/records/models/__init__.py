"""The records app's tables, one module per concern (file plan and filing; loans; destruction; handover)."""

from .grading import GradeChange, Regrading
from .loans import APPROVAL_SCOPES, BorrowerScope, CertifiedCopy, Loan, LoanMedium

__all__ = ["APPROVAL_SCOPES", "BorrowerScope", "CertifiedCopy", "GradeChange", "Loan", "LoanMedium", "Regrading"]
