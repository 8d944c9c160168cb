"""Footage in a real browser: the officer opens the playback page of an ffmpeg-made video, plays it
(its currentTime advances: the stream's ranges work for a real player), sees their name and the
time over the picture, ticking; the list with its posters. On a laptop and a phone, no Content-
Security-Policy violation, nothing wider than the screen."""
import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from liuhen.footage import services
from liuhen.footage import vocabulary as v
from liuhen.ledger.models import Entry
from liuhen.testing.playback import ingested, only_video
from liuhen.testing.browser import log_in


def test_officer_plays_footage_with_the_overlay(live_server, live_world, page, mobile_page, screenshot_dir, tmp_path):
    world = live_world
    item = only_video(world, tmp_path, "DSJ_20261201_093000.MP4", seconds=4.0, size="640x360")
    items = ingested(world, tmp_path, prefix="X")
    case = world.open_case(title="未经许可取水")
    services.link(world.officer, item, case, case.stage)
    services.mark_important(world.officer, items["XVID.MP4"], True)
    old = only_video(world, tmp_path, "OLD.MP4", recorded=timezone.now() - datetime.timedelta(days=3), seconds=1.5)
    assert old.officer is None
    base = live_server.url
    for p, suffix in ((page, ""), (mobile_page, "-phone")):
        csp = []
        p.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        log_in(p, base, world.officer.username)
        p.goto(f"{base}/footage/{item.pk}/")
        expect(p.get_by_role("heading", level=1)).to_have_text(item.name)
        overlay = p.locator(".player .overlay")
        expect(overlay).to_contain_text("张明（zhang）正在查看")
        expect(overlay).to_be_visible()
        clock = p.locator("[data-clock]")
        expect(clock).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"))
        video = p.locator("video")
        p.wait_for_function("() => document.querySelector('video').readyState >= 1")  # metadata read over ranges
        assert abs(p.evaluate("document.querySelector('video').duration") - 4.0) < 0.5
        p.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
        p.wait_for_function("() => document.querySelector('video').currentTime > 0.5")
        first = clock.text_content()
        p.wait_for_function(f"() => document.querySelector('[data-clock]').textContent !== {first!r}")  # ticking
        # The overlay lies over the picture, inside the player's box.
        vbox, obox = video.bounding_box(), overlay.bounding_box()
        assert vbox["y"] <= obox["y"] < vbox["y"] + vbox["height"] and obox["x"] >= vbox["x"]
        p.evaluate("document.querySelector('video').pause()")
        p.evaluate("document.querySelector('video').currentTime = 1.0")
        p.wait_for_function("() => document.querySelector('video').readyState >= 2")
        p.screenshot(path=str(screenshot_dir / f"footage-play{suffix}.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

        p.get_by_role("link", name="音像记录查询").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("音像记录查询")
        expect(p.locator("img.thumb").first).to_be_visible()
        p.wait_for_function("() => [...document.querySelectorAll('img.thumb')].every(i => i.complete && i.naturalWidth > 0)")
        p.screenshot(path=str(screenshot_dir / f"footage-list{suffix}.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        p.get_by_label("案由").fill("取水")
        p.get_by_role("button", name="查询").click()
        expect(p.locator("table.footage-list tbody tr")).to_have_count(1)
        expect(p.locator("table.footage-list")).to_contain_text(case.number)
        # The holding area shows each item's poster; the case page its footage by stage.
        p.get_by_role("link", name="暂存区").click()
        expect(p.get_by_role("heading", level=1)).to_have_text("音像记录暂存区")
        p.wait_for_function("() => [...document.querySelectorAll('img.thumb')].every(i => i.complete && i.naturalWidth > 0)")
        p.screenshot(path=str(screenshot_dir / f"footage-holding{suffix}.png"), full_page=True)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        p.goto(f"{base}/cases/{case.pk}/")
        part = p.locator("#case-footage")
        expect(part).to_contain_text(item.name)
        p.wait_for_function("() => [...document.querySelectorAll('img.thumb')].every(i => i.complete && i.naturalWidth > 0)")
        part.screenshot(path=str(screenshot_dir / f"footage-case-part{suffix}.png"))
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        part.get_by_role("link", name=item.name).click()
        expect(p.get_by_role("heading", level=1)).to_have_text(item.name)
        assert csp == []
    # Each playback start is in the log once per viewer session, not once per range request.
    streams = Entry.objects.filter(action=v.STREAM, object_id=str(item.pk), actor_id=world.officer.pk).count()
    assert 1 <= streams <= 6
    assert Entry.objects.filter(action=v.PLAY, object_id=str(item.pk)).count() == 4
