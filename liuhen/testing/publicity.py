"""Helpers for the publicity tests (issue 20): a case whose 决定书 is issued, its publication drafted,
reviewed, approved and published — the real way, through the services."""
from __future__ import annotations

ALL_CHECKS = {"scope": True, "secrets": True, "trade_secrets": True, "privacy": True, "form": True, "timing": True,
              "accuracy": True}
FACTS_WITH_PEOPLE = ("经查，当事人王五（身份证号码 210502199003071234，住址本溪市平山区胜利路12号3单元501室，"
                     "联系电话 138-1234-5678）于二〇二六年十月在河道管理范围内擅自倾倒建筑垃圾约三十立方米，"
                     "证人李四目睹了倾倒过程。")


def issued_decision(world, case=None, **content):
    """(case, IssuedDocument): a case taken to its decision, the 决定书 signed and issued."""
    from liuhen.documents.services import issue_document
    from liuhen.testing.cases import complete, sign_all, to_decision
    from liuhen.testing.documents import decision

    case = case or to_decision(world)
    complete(world, case, "handling_opinion")
    complete(world, case, "leader_approval")
    record = sign_all(world, decision(world, case, **content))
    return case, issue_document(world.officer, record)


def reviewed(world, version):
    from liuhen.publicity import services

    services.review(world.reviewer, version, passed=True, checks=ALL_CHECKS)
    return version


def publish(world, version):
    """Review and approve `version`: it is published."""
    from liuhen.publicity import services

    reviewed(world, version)
    services.approve(world.agency_head, version, passed=True)
    return version


def published_decision(world, case=None, **content):
    """(case, entry, version): a decision issued, drafted by the officer, reviewed, approved: online."""
    from liuhen.publicity import services

    case, _ = issued_decision(world, case, **content)
    version = publish(world, services.draft_decision(world.officer, case))
    return case, version.entry, version


def published_content(world, kind="matter", **fields):
    from liuhen.publicity import services

    defaults = {"title": "河道管理范围内建设项目许可", "summary": {"事项名称": "河道管理范围内建设项目许可",
                "法规依据": "《中华人民共和国水法》第三十八条", "办理条件": "符合防洪要求", "办理程序": "申请—受理—审查—决定",
                "办理时限": "20个工作日"}, "body": ""}
    version = services.draft_content(world.officer, kind, **{**defaults, **fields})
    return publish(world, version)
