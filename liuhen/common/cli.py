"""Management commands for scripts: argument errors in Chinese with exit code 2 (bad input:
nothing written), like every other refusal of the CLI."""
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser


class ChineseParser(CommandParser):
    """argparse's own errors (an unknown option, a missing value) in Chinese, exit code 2."""

    def error(self, message):
        text = f"参数错误：{message}（用法见 {self.prog} --help）"
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            sys.stderr.write(text + "\n")
            sys.exit(2)
        raise CommandError(text, returncode=2)


class ChineseCommand(BaseCommand):
    """A command whose parser (and sub-parsers) answer bad arguments with ChineseParser."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = ChineseParser
        return parser


def fail(message) -> CommandError:
    """The error a command raises for bad input: its Chinese message, exit code 2."""
    return CommandError(message, returncode=2)


def looked_up(fn, *args, **kwargs):
    """`fn(*args)` — a lookup that raises a Chinese ValidationError for what is not there — with
    that error turned into the command's `fail`."""
    from django.core.exceptions import ValidationError

    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        raise fail("；".join(exc.messages)) from None
