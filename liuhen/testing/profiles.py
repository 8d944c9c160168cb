"""Profiles for tests: small YAML texts that extend the packaged base, and loading them."""
from liuhen.profiles import services


def profile_text(code: str = "T", name: str = "测试规则", body: str = "") -> str:
    return f"code: {code}\nname: {name}\nextends: base\n{body}"


def load(world, text: str, actor=None, reason: str = "测试"):
    """Load `text` for the world's agency (as the system unless `actor`)."""
    return services.load_profile(actor, world.agency, text, reason=reason, label="test.yaml")


# A profile that asks for one more record before 调查取证 is left (a 调查终结报告, LC 12 style).
EXTRA_REQUIREMENT = profile_text("EXTRA", "多一项要求", """
stages:
  - stage: investigation
    applies: {procedures: [general]}
    requirements:
      - {id: rights_notice, codes: [rights_notice], article: LC 11}
      - {id: investigation_record, codes: [inquiry_record, inspection_record, evidence_request_notice, sampling_notice], article: "BX 6, LC 10"}
      - {id: investigation_report, codes: [investigation_report], article: LC 12}
""")
