"""The confidentiality class (公开属性/密级: 公开, 内部, 商业秘密, 个人隐私 — profiles.spec.CLASSIFICATIONS) of
each item of a case file, as the archival package and the 卷内目录 print it. A registry: the app that keeps
the archivist's classifications (liuhen.retrieval) fills it in its `ready()`; an item no classifier names
has the profile's `archive.classification`."""
from collections.abc import Callable

from liuhen.profiles.selectors import profile_for_case
from liuhen.profiles.spec import CLASSIFICATIONS

_CLASSIFIERS: list[Callable] = []


def register_classifier(fn: Callable) -> None:
    """`fn(case) -> {record_id: class code}` for the records it has classified."""
    _CLASSIFIERS.append(fn)


def classes_for(case) -> tuple[str, dict[int, str]]:
    """(the default class code, {record_id: class code}) of one case's items."""
    given: dict[int, str] = {}
    for fn in _CLASSIFIERS:
        given.update(fn(case))
    return profile_for_case(case).archive.classification, given


def label(code: str) -> str:
    return CLASSIFICATIONS.get(code, code)
