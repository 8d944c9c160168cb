"""`liuhen verify` holds the clients to what the log recorded: scopes widened, an expiry moved, a token
nobody issued inserted, a revocation deleted (a revoked token working again) — each named with its code
(exchange.E001–E006). The calls themselves are read events: they leave verify clean."""
import datetime

from django.utils import timezone

from liuhen.exchange import services
from liuhen.exchange import vocabulary as v
from liuhen.exchange.models import ApiClient, ApiClientRevocation
from liuhen.ledger.models import Entry
from liuhen.ledger.storage import integrate_all
from liuhen.ledger.verify import verify_log
from liuhen.testing.tampering import drop_append_only, found, sql


def _clean():
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]


def test_clients_and_calls_verify_clean_then_tampering_is_found(verified_world, client):
    world = verified_world
    row, token = services.add_client(None, agency=world.agency, name="省平台", scopes=["cases:read"], days=5)
    gone, _ = services.add_client(None, agency=world.agency, name="旧平台", scopes=["cases:read"], days=5)
    revocation = services.revoke_client(None, gone)
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200
    _clean()
    drop_append_only(ApiClient._meta.db_table, ApiClientRevocation._meta.db_table)
    sql("UPDATE exchange_apiclient SET scopes = %s, expires_at = %s WHERE id = %s",
        ['["cases:read", "decisions:read"]', timezone.now() + datetime.timedelta(days=9000), row.pk])
    sql("DELETE FROM exchange_apiclientrevocation WHERE id = %s", [revocation.pk])
    report = verify_log()
    assert found(report, "altered", f"api_client:{row.pk}",
                 Entry.objects.get(action=v.CLIENT_ADD, object_id=str(row.pk))).code == v.E001
    assert found(report, "deleted", f"api_client_revocation:{revocation.pk}").code == v.E006


def test_vocabulary_labels_every_action():
    actions = {getattr(v, n) for n in dir(v) if n.isupper() and str(getattr(v, n)).startswith("exchange.")
               and not str(getattr(v, n)).startswith("exchange.E")}
    assert actions == set(v.ACTION_LABELS) and v.READ_ACTIONS <= actions
