"""Web pages of an agency's organisation settings: its emblems (the Garuda, its own seal, sizes)."""
