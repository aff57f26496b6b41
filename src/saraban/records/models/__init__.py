"""The records app's tables, one module per concern (file plan and filing; loans; destruction; handover)."""
