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
