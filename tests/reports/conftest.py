from tests.records.conftest import letters  # noqa: F401  (the letters the records tests lend and re-grade)
