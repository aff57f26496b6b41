"""Salutations and closings (คำขึ้นต้น / คำลงท้าย) of Appendix 2, chosen by the class of recipient.

The regulation's Appendix 2 is a table keyed by who the letter goes to.  The rows below are the usual
ones (regulation.md §3.1, R12).  They are working knowledge [K], not re-checked against the Royal
Gazette text: an agency that needs another row adds it to :data:`APPENDIX_2` rather than editing
templates.  ``{addressee}`` in an opening is replaced by the recipient's position or name.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class RecipientClass(StrEnum):
    """Who a letter is addressed to, as Appendix 2 distinguishes them."""

    GENERAL = "general"
    """Officials and the public in general: เรียน / ขอแสดงความนับถือ."""
    TOP_OFFICIAL = "top_official"
    """President of the Privy Council, Prime Minister, Presidents of Parliament, the House, the Senate,
    the Supreme Court, the Constitutional Court, the Supreme Administrative Court, and the like."""
    MONK = "monk"
    """A monk in general (พระภิกษุสงฆ์ทั่วไป)."""
    SENIOR_MONK = "senior_monk"
    """สมเด็จพระราชาคณะ or รองสมเด็จพระราชาคณะ."""
    SUPREME_PATRIARCH = "supreme_patriarch"
    """สมเด็จพระสังฆราช."""
    ROYAL_PRINCE = "royal_prince"
    """สมเด็จเจ้าฟ้า, พระองค์เจ้า."""
    MOM_CHAO = "mom_chao"
    """หม่อมเจ้า."""


@dataclass(frozen=True)
class Salutation:
    """The opening and closing words for one recipient class."""

    opening: str
    """Opening word(s), e.g. ``เรียน``; ``{addressee}`` is where the recipient goes if not simply after."""
    closing: str
    """Closing line above the signature, e.g. ``ขอแสดงความนับถือ``."""
    label_th: str
    """What the class is, in Thai, for pick lists."""

    def open(self, addressee: str) -> str:
        """The salutation line for ``addressee``: ``เรียน อธิบดีกรมศิลปากร``."""
        addressee = addressee.strip()
        if "{addressee}" in self.opening:
            return self.opening.replace("{addressee}", addressee)
        return f"{self.opening} {addressee}" if addressee else self.opening


APPENDIX_2: dict[RecipientClass, Salutation] = {
    RecipientClass.GENERAL: Salutation("เรียน", "ขอแสดงความนับถือ", "บุคคลทั่วไป"),
    RecipientClass.TOP_OFFICIAL: Salutation(
        "กราบเรียน", "ขอแสดงความนับถืออย่างยิ่ง", "ประธานองคมนตรี นายกรัฐมนตรี ประธานรัฐสภา ฯลฯ"
    ),
    RecipientClass.MONK: Salutation("นมัสการ", "ขอนมัสการด้วยความเคารพ", "พระภิกษุสงฆ์ทั่วไป"),
    RecipientClass.SENIOR_MONK: Salutation(
        "นมัสการ", "ขอนมัสการด้วยความเคารพอย่างยิ่ง", "สมเด็จพระราชาคณะ รองสมเด็จพระราชาคณะ"
    ),
    RecipientClass.SUPREME_PATRIARCH: Salutation(
        "ขอประทานกราบทูล {addressee}", "ควรมิควรแล้วแต่จะโปรด", "สมเด็จพระสังฆราช"
    ),
    RecipientClass.ROYAL_PRINCE: Salutation(
        "ขอประทานกราบทูล {addressee}", "ควรมิควรแล้วแต่จะโปรด", "สมเด็จเจ้าฟ้า พระองค์เจ้า"
    ),
    RecipientClass.MOM_CHAO: Salutation("ทูล {addressee}", "ควรมิควรแล้วแต่จะโปรด", "หม่อมเจ้า"),
}


def salutation_for(recipient_class: RecipientClass | str) -> Salutation:
    """The Appendix 2 pair for ``recipient_class`` (default pair for :attr:`RecipientClass.GENERAL`)."""
    return APPENDIX_2[RecipientClass(recipient_class)]
