"""The profile page's 执法文书 section: what the agency's documents print (抬头, 救济途径, 页脚) and each
文号 format with an example, so an officer sees the format before the first number is given."""
from django.urls import reverse

from liuhen.profiles import describe


def test_the_page_shows_the_documents_section(client, world):
    client.force_login(world.officer)
    body = client.get(reverse("profiles:index")).content.decode()
    assert "执法文书" in body and "决定书的文号格式" in body
    assert "{agency}罚〔{year}〕第{n}号（如：本机关简称罚〔2026〕第3号）" in body
    assert "六十日内依法申请行政复议" in body


def test_an_unusable_format_is_shown_as_written():
    assert describe.document_number_example("{agency}罚{n") == "{agency}罚{n"

