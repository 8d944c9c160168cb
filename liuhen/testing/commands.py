"""A `liuhen …` command run in this process, as a script would see it: its exit code, stdout and
stderr, and the JSON object its `--json` mode prints as the last line."""
import contextlib
import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err

    @property
    def report(self) -> dict:
        return json.loads(self.out.strip().splitlines()[-1])

    def by(self, key: str, listing: str = "files") -> dict:
        """The report's `listing` keyed by each entry's `key`."""
        return {f[key]: f for f in self.report[listing]}

    def by_name(self) -> dict:
        return self.by("name")

    def by_sha(self) -> dict:
        return self.by("sha256")


def run_command(name: str, *args) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stderr(err):
            call_command(name, *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    except CommandError as exc:
        code = exc.returncode
        err.write(str(exc))
    return Run(code, out.getvalue(), err.getvalue())
