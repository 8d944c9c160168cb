"""Every app's read actions are declared to the ledger, so that a read (a page opened, a file
downloaded, an export) is traced even where no write transaction is open — as on a real server,
where no test transaction wraps the request."""
import importlib

import pytest
from django.apps import apps

from liuhen.ledger import services as ledger
from liuhen.ledger.vocabulary import is_read


def declared_reads():
    out = []
    for config in apps.get_app_configs():
        if not config.name.startswith("liuhen."):
            continue
        try:
            vocabulary = importlib.import_module(f"{config.name}.vocabulary")
        except ModuleNotFoundError:
            continue
        out.extend(getattr(vocabulary, "READ_ACTIONS", ()))
    return sorted(set(out))


def test_the_apps_declare_their_reads():
    reads = declared_reads()
    for expected in ("case.view", "case.party_reveal", "record.view", "record.download", "audit.view",
                     "audit.export", "auth.login_failed", "cases.refused", "records.refused"):
        assert expected in reads
    assert [a for a in reads if not is_read(a)] == []
    assert is_read("web.refused")


@pytest.mark.django_db(transaction=True)
def test_a_read_is_appended_outside_any_transaction():
    for action in declared_reads():
        ledger.append(action, object_type="test", object_id="1")  # must not ask for atomic()
    with pytest.raises(RuntimeError):
        ledger.append("record.create", object_type="test", object_id="1")
