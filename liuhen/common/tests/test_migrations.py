"""The models and the migrations say the same thing: a model change without its migration would
reach a deployed database only as a surprise at the next `migrate`."""
import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_lacks_its_migration(capsys):
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=1)
    except SystemExit as exc:  # --check exits 1 when a migration is missing
        pytest.fail(f"a migration is missing (run `liuhen makemigrations`):\n{capsys.readouterr().out}"
                    if exc.code else "")
