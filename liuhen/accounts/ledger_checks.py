"""What `liuhen verify` asks of the accounts app.

- Does each person hold exactly the roles the log granted them? A role slipped into
  accounts_user_groups by SQL would let someone read every case (机关负责人) or approve records
  (负责人) — the roles decide access, so they are checked.
- Does each person, certificate (执法证), agency, unit, supervision (上级监督) and end of one still
  have the state the log last recorded for it (models.*.ledger_state_fields)? A certificate's end
  date pushed back by SQL would let an expired officer act; a person moved to another unit would see
  its cases; is_superuser set by SQL would bypass every permission; a supervision row slipped in
  would open one agency's cases to another.
"""
from django.contrib.auth.models import Group

from liuhen.ledger.subjects import check_states, finding, key_of, model_states, row_pk, state_checker, with_codes

from . import vocabulary as v
from .roles import Role
from .models import Agency, Certificate, Supervision, SupervisionEnd, Unit, User

ROLE_ACTIONS = v.ROLE_ACTIONS


def _coded(object_type: str, findings: list[dict]) -> list[dict]:
    return with_codes(findings, v.STATE_CODES[object_type])


def check(events: dict[str, list]) -> list[dict]:
    """Each person's roles against the grant and revoke events about them."""
    out = []
    logged: dict[int, set[str]] = {}
    last_event: dict[int, tuple] = {}
    role_names = set(Role.values)
    for uid, evs in events.items():
        pk = row_pk(uid)
        if pk is None:
            continue  # names no person: the state check reports it (an object with events and no row)
        roles: set[str] = set()
        for ev in evs:
            action, role = ev[2]["action"], key_of(ev[2]["detail"].get("role"))
            if action not in ROLE_ACTIONS:
                continue
            if role not in role_names:
                out.append(finding("altered", f"日志授予或撤销了不存在的角色“{role}”", f"user:{uid}", ev,
                                   code=v.E001))
                continue
            if action == v.ROLE_GRANT:
                roles.add(role)
            else:
                roles.discard(role)
            last_event[pk] = ev
        logged[pk] = roles
    held: dict[int, set[str]] = {}
    for uid, name in User.groups.through.objects.filter(group__in=Group.objects.filter(name__in=role_names)) \
            .values_list("user_id", "group__name"):
        held.setdefault(uid, set()).add(name)
    for uid in held.keys() | {u for u, r in logged.items() if r}:
        have, want = held.get(uid, set()), logged.get(uid, set())
        for role in sorted(have - want):
            out.append(finding("inserted", f"角色“{Role(role).label}”没有对应的授予记录", f"user:{uid}",
                               last_event.get(uid), code=v.E002))
        for role in sorted(want - have):
            out.append(finding("deleted", f"日志授予的角色“{Role(role).label}”已不在", f"user:{uid}",
                               last_event.get(uid), code=v.E003))
    return out


def check_user(events: dict[str, list]) -> list[dict]:
    """The "user" checker: each person's roles, then their state, against the same events.

    Most of a log's "user" events are logins and logouts: they are read in one pass, keeping per
    person only the role events and the last event that logged a state (what check_states reads)."""
    roles, states = {}, {}
    for uid, evs in events.items():
        roles[uid] = [ev for ev in evs if ev[2]["action"] in ROLE_ACTIONS]
        states[uid] = [next((ev for ev in reversed(evs) if ev[2]["content_sha256"]), evs[-1])]
    return check(roles) + _coded("user", check_states(User.ledger_object_type, states, model_states(User),
                                                      str(User._meta.verbose_name)))


def _coded_checker(model):
    return state_checker(model, codes=v.STATE_CODES[model.ledger_object_type])


check_certificate = _coded_checker(Certificate)
check_agency = _coded_checker(Agency)
check_unit = _coded_checker(Unit)
check_supervision = _coded_checker(Supervision)
check_supervision_end = _coded_checker(SupervisionEnd)
