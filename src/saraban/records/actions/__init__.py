"""Actions of the records app, one module per concern."""
