"""The process's cache of parsed profiles answers only for the text it was parsed from."""


def test_the_profile_in_force_is_parsed_again_when_its_id_names_another_version(world):
    """A parsed profile is cached by version id; a version id reused after a rolled-back load (SQLite
    may reuse it) names another text: active_profile compares the digest and parses it again."""
    from dataclasses import replace

    from liuhen.profiles import loader, selectors, services

    services.load_profile(world.agency_head, world.agency, loader.packaged_text("LW"), reason="载入")
    row = selectors.latest_version(world.agency)
    real = selectors.active_profile(world.agency)
    stale = replace(real, name="回滚前的另一版")
    selectors._BY_VERSION[row.pk] = ("0" * 64, stale)  # what a rolled-back load would have left
    assert selectors.active_profile(world.agency).name == real.name
