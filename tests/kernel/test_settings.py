from django.conf import settings


def test_suite_runs_in_a_private_data_directory() -> None:
    assert "saraban-test-" in str(settings.HOME)
    assert settings.PASSWORD_HASHERS[0].endswith("MD5PasswordHasher")
