"""Records: the file plan, retention, lending, yearly destruction, the 20-year handover and re-grading
(Chapter 3 of the regulation, ข้อ 52–70)."""
