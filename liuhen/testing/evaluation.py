"""Builders for the evaluation tests (案卷评查): a supervisor, archived case files made the real way
(liuhen.testing.cases.to_archived), and a full set of results for a round's card."""
from liuhen.accounts import services as acc
from liuhen.accounts.roles import Role


def supervisor(world, username="pingcha", full_name="何评查"):
    from liuhen.accounts.models import User

    return User.objects.filter(username=username).first() or acc.create_user(
        None, username=username, full_name=full_name, password=world.PASSWORD, agency=world.agency,
        roles=[Role.SUPERVISOR])


def archived(world, n=1) -> list:
    """`n` case files of the world's unit taken through all five stages and archived."""
    from liuhen.testing.cases import to_archived

    return [to_archived(world) for _ in range(n)]


def clean_results(card: dict) -> dict:
    """Every item of `card` answered: no hard-fail item failed, nothing deducted."""
    from liuhen.evaluation import scoring

    return {item["id"]: ({"failed": False} if not section else {"deduction": 0})
            for section, item in scoring.items(card)}


def command(*args):
    """`liuhen evaluation …` in this process: (exit code, stdout, stderr)."""
    import io

    from django.core.management import CommandError, call_command

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("evaluation", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


def login(client, user, password):
    assert client.login(username=user.username, password=password)
    return client


def archived_scene(where=None):
    """The 案卷评查 tests' scene, built once per run (liuhen.testing.demo.scene_snapshot): a world
    with three case files of its unit archived and a supervisor. Returns (world, files)."""
    from liuhen.testing.world import World

    world = World()
    files = archived(world, 3)
    supervisor(world)
    return world, files


def restored_archived_scene(home, blob_dir, tmp_path_factory, django_db_blocker):
    """`archived_scene` in the current test's database (its keys copied to `home`, a home of the
    test's own): (world, files), objects of this test's own."""
    from liuhen.testing.demo import restore_scene, scene_snapshot

    snapshot = scene_snapshot("liuhen.testing.evaluation:archived_scene", tmp_path_factory, django_db_blocker,
                              replay_changes=True)
    return restore_scene(snapshot, home, blob_dir)


def rounds_scene(where=None):
    """A world verifying clean with three archived case files, a round closed (two files scored, one
    deduction, an objection answered) and one open, integrated and verifying clean: what the 案卷评查
    tamper tests start from (built once per run, liuhen.testing.demo.scene_snapshot). Returns
    (world, supervisor, files, closed round, open round, answer, response)."""
    import datetime

    from django.utils import timezone

    from liuhen.evaluation import services
    from liuhen.ledger.storage import integrate_all
    from liuhen.ledger.verify import verify_log
    from liuhen.testing.world import World

    world = World()
    integrate_all()  # as the verified_world fixture had it
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]
    files = archived(world, 3)
    ev = supervisor(world)
    today = timezone.localdate()
    closed = services.open_round(ev, title="已结束的评查", period_from=today - datetime.timedelta(days=2),
                                 period_to=today, size=2)
    for case_id in closed.sample:
        card = closed.card_for(case_id)
        results = clean_results(card)
        results[card["sections"][0]["items"][0]["id"]] = {"deduction": 2, "note": "目录不全"}
        services.score_file(ev, closed, case_id, results)
    services.close_round(ev, closed)
    answer = services.answer_score(world.unit_head, closed, closed.sample[0], "object", reason="目录齐全",
                                   corrected="")
    response = services.respond(ev, answer, "经核实，维持评分。")
    open_ = services.open_round(ev, title="进行中的评查", period_from=today - datetime.timedelta(days=2),
                                period_to=today, size=1)
    services.check_redraw(ev, closed)
    integrate_all()
    report = verify_log()
    assert report.ok, [str(f) for f in report.findings]  # a full round verifies clean
    return world, ev, files, closed, open_, answer, response
