"""The same day as tests/e2e/test_roles_day.py on a 390×844 phone (issue #17): every role lands on its page,
the counts show in the (folded) top bar, the registrar registers in 2 taps, the director endorses and assigns
in 3, and nothing on the pages walked is wider than the screen.  A node of its own: the walk counts what
waits, so it must not share a node with the desktop walk."""

from __future__ import annotations

import pytest

from tests.e2e.test_roles_day import walk_the_day

pytestmark = [pytest.mark.browser, pytest.mark.backend("sqlite")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                              locale="th-TH")
    p = ctx.new_page()
    p.set_default_timeout(20_000)
    widths: list[int] = []
    p.on("load", lambda _: widths.append(p.evaluate("() => document.documentElement.scrollWidth")))
    p.widths = widths
    yield p
    ctx.close()


def test_every_role_works_its_day_on_a_phone(e2e_node, phone) -> None:
    walk_the_day(e2e_node, phone, "-phone")
    assert phone.widths and max(phone.widths) <= PHONE["width"], phone.widths  # no sideways scrolling
    assert phone.locator("header.top").bounding_box()["height"] <= 64  # the folded one-line header
