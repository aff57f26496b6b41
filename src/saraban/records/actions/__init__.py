"""The records app's actions, one module per concern (loans, re-grading)."""
