"""The case page's footage part: the case's linked footage stage by stage, each with its poster
and a link to its playback page; an unlinked item leaves it."""
import pytest

from liuhen.footage import services
from liuhen.testing.playback import only_video

pytestmark = pytest.mark.django_db


def test_the_case_page_lists_linked_footage_by_stage(client, world, tmp_path):
    case = world.open_case()
    client.force_login(world.reviewer)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="case-footage"' in html and "本案尚未关联音像记录" in html

    start = only_video(world, tmp_path, "START.MP4")
    services.link(world.officer, start, case, "start")
    later = only_video(world, tmp_path, "LATER.MP4", seconds=1.3)
    link = services.link(world.officer, later, case, "investigation")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    part = html[html.index('id="case-footage"'):]
    assert part.index("程序启动") < part.index("START.MP4") < part.index("调查取证") < part.index("LATER.MP4")
    for it in (start, later):
        assert f'href="/footage/{it.pk}/"' in part and f'src="/footage/{it.pk}/poster"' in part
    assert client.get(f"/footage/{later.pk}/").status_code == 200  # the link leads to a page they may open

    services.unlink(world.officer, link, "关联错误")
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "LATER.MP4" not in html and "START.MP4" in html
