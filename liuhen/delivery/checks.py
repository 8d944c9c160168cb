"""Each way of service checked where its record is made or revised (records.content_checks, registered
in ready()): what the law asks of the method before it can count (行政处罚法 61; 民事诉讼法 85-95) —
refused with the article, nothing written. The proof that comes after the act (the AV record, the
return receipt, the notice kept, the notice period) is read by selectors at "served"."""
from django.core.exceptions import ValidationError

from liuhen.profiles import selectors as profiles
from liuhen.records.selectors import states_for_case

from . import selectors as s

LAWFUL_RECEIVERS = ("本人", "成年家属", "单位收发部门", "代理人")


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _text(content: dict, name: str) -> str:
    return str(content.get(name) or "").strip()


def check_number(case, content: dict, states) -> None:
    """A 文号 given names a document of this case (documents: issued, or written on its decision)."""
    number = _text(content, "doc_number")
    if number and number not in s.known_numbers(case, states):
        _refuse(f"文号“{number}”不是本案已签发文书（或决定书）的文号，请核对送达的文书（行政处罚法 61）。", "service_unknown_number")


def check_direct(content: dict) -> None:
    """直接送达 (民事诉讼法 87-88): signed by the addressee, or — with the relation — an adult family
    member living with them, the organisation's receiving office, or the agent."""
    if not _text(content, "receiver"):
        _refuse("直接送达应当写明签收人（受送达人本人或代收人）（民事诉讼法 87）。", "direct_no_receiver")
    relation = _text(content, "receiver_relation")
    if not relation:
        _refuse("直接送达应当写明签收人与受送达人的关系：本人、同住成年家属、单位收发部门或代理人（民事诉讼法 88）。",
                "direct_no_relation")
    if relation not in LAWFUL_RECEIVERS:
        _refuse("直接送达只能由受送达人本人、同住成年家属、法人或其他组织负责收件的人（收发部门）或代理人签收；"
                "其他人签收的，不能认定为直接送达（民事诉讼法 88）。", "direct_unlawful_receiver")


def check_lien(case, content: dict) -> None:
    """留置送达 (民事诉讼法 89): the refusal, its reason and date; the witness as the profile asks —
    the AV record is linked after the act and read at "served" (selectors)."""
    if not _text(content, "refusal_reason") or not content.get("refused_on"):
        _refuse("留置送达应当记明拒收事由和拒收日期（民事诉讼法 89）。", "lien_no_refusal")
    if profiles.profile_for_case(case).delivery.lien_proof == "witness_and_av" and not (
            _text(content, "witness") and _text(content, "witness_identity")):
        _refuse("留置送达应当邀请有关基层组织或者所在单位的代表到场见证，写明见证人及其身份或单位，并音像记录送达过程"
                "（民事诉讼法 89，LQ 19）。", "lien_no_witness")


def check_entrusted(content: dict, method: str) -> None:
    """委托送达 / 转交送达 (民事诉讼法 91-93): why, and the body entrusted or passing it on."""
    if not _text(content, "entrust_reason") or not _text(content, "receiving_body"):
        _refuse(f"{method}应当写明{method[:2]}的原因和受托（转交）机关（民事诉讼法 91-93）。", "entrusted_incomplete")


def check_electronic(content: dict, states) -> None:
    """电子送达 (民事诉讼法 90): only with the party's consent in a signed 送达地址确认书, to its address."""
    if not _text(content, "e_address"):
        _refuse("电子送达应当写明电子送达地址（民事诉讼法 90）。", "electronic_no_address")
    if not s.consents(states, _text(content, "e_address")):
        _refuse("电子送达须经受送达人同意：本案没有当事人签字确认、同意电子送达且地址一致的送达地址确认书"
                "（民事诉讼法 90）。", "electronic_without_consent")


def check_receipt(case, content: dict, states) -> None:
    method = content.get("method")
    if method == s.MAIL:
        _refuse("邮寄送达请制作邮寄送达凭证，写明邮件号码、寄出日期和签收日期，并上传寄件凭单和回执（民事诉讼法 91）。",
                "receipt_mail")
    if method == s.PUBLIC:
        _refuse("公告送达请制作公告送达记录，写明其他方式无法送达的原因、公告媒介和日期，并留存公告（民事诉讼法 95）。",
                "receipt_public")
    if method == s.DIRECT:
        check_direct(content)
    elif method == s.LIEN:
        check_lien(case, content)
    elif method in (s.ENTRUST, s.TRANSFER):
        check_entrusted(content, method)
    elif method == s.ELECTRONIC:
        check_electronic(content, states)


def check_mail(content: dict) -> None:
    """邮寄送达 (民事诉讼法 91): served on the date of receipt, which is not before the posting."""
    sent, received = s.parse_date(content.get("sent_on")), s.parse_date(content.get("received_on"))
    if sent and received and received < sent:
        _refuse("签收日期不能早于寄出日期，请核对邮件回执（民事诉讼法 91）。", "mail_received_before_sent")


def failed_attempts(states, record=None) -> list:
    """Earlier service attempts of the case that failed: a mail not received, a 送达回证 the party
    refused without it being left (留置) — what a 公告送达 rests on (民事诉讼法 95)."""
    out = []
    for st in states:
        if st.voided or (record is not None and st.record.pk == record.pk):
            continue
        code, content = st.record.record_type.code, st.latest.content
        if code == s.MAIL_RECEIPT and not content.get("received_on"):
            out.append(st)
        elif code == s.RECEIPT and content.get("method") != s.LIEN and any(
                sig.role == "party" and sig.outcome == "refused" for sig in st.record.signatures.all()):
            out.append(st)
    return out


def check_notice(content: dict, states, record=None) -> None:
    """公告送达 (民事诉讼法 95): only when the addressee cannot be found or the other methods failed."""
    if not content.get("address_unknown") and not failed_attempts(states, record):
        _refuse("公告送达只能在受送达人下落不明或者用其他方式无法送达时采用：本案没有此前送达未成的记录（拒收的送达回证、"
                "未签收的邮件），也未写明受送达人下落不明（民事诉讼法 95）。", "public_without_failure")


def check_confirmation(content: dict) -> None:
    if content.get("e_consent") and not _text(content, "e_address"):
        _refuse("同意电子送达的，应当写明电子送达地址（民事诉讼法 90）。", "confirmation_no_address")


def content_check(case, record_type, content, *, record=None) -> None:
    code = record_type.code
    if code == s.CONFIRMATION:
        check_confirmation(content)
        return
    if code not in s.SERVICE_CODES:
        return
    states = [st for st in states_for_case(case) if not st.voided]
    check_number(case, content, states)
    if code == s.RECEIPT:
        check_receipt(case, content, states)
    elif code == s.MAIL_RECEIPT:
        check_mail(content)
    else:
        check_notice(content, states, record)


def register() -> None:
    from liuhen.records import content_checks

    content_checks.register_content_check(content_check)
