"""The exchange app's background task (django-tasks): the push to the supervision platform, for a
worker or a timer to run beside `liuhen api push`."""
from django_tasks import task

from . import push


@task()
def push_to_platform() -> list[dict]:
    """推送: every agency's changes to its target (push.push_all: LIUHEN_PUSH_TARGETS, else
    LIUHEN_PUSH_URL); each agency's outcome."""
    return [outcome.as_dict() for outcome in push.push_all()]
