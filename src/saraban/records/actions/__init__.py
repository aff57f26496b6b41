"""Actions of the records app, one module per concern (file plan, filing, destruction, handover, loans, re-grading)."""
