"""Accessibility of the console in a real browser: keyboard-only journeys, labelled
controls, landmarks and visible focus on every page.

These are automated checks of what a browser can tell (every control has an
accessible name, focus is drawn, the journeys work without a pointer); they do not
replace a review with a screen reader.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.console.conftest import Console, login, shoot

pytestmark = pytest.mark.browser

# Every visible form control and button must have an accessible name; the page needs
# a language, one h1, a main landmark and a skip link; text must meet WCAG contrast
# against its (nearest opaque) background.
AUDIT = r"""() => {
  const problems = [];
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const controls = 'input:not([type=hidden]), textarea, select, button';
  for (const el of document.querySelectorAll(controls)) {
    if (!visible(el)) continue;
    const id = el.id;
    const labelled = (id && document.querySelector(`label[for="${id}"]`))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
      || (el.tagName === 'BUTTON' && el.textContent.trim());
    if (!labelled) problems.push(`unlabelled ${el.tagName.toLowerCase()}#${id || '?'}`);
  }
  if (!document.documentElement.lang) problems.push('no lang attribute');
  if (document.querySelectorAll('h1').length !== 1) problems.push('not exactly one h1');
  if (!document.querySelector('main')) problems.push('no main landmark');
  if (!document.querySelector('a.skip[href="#main"]')) problems.push('no skip link');
  // WCAG 2 contrast: 4.5:1 for text, 3:1 for large text (24px, or 18.66px bold).
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el)) continue;
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    const [a, b] = [lum(rgb(s.color).slice(0, 3)), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      const what = el.tagName.toLowerCase() + ': ' + el.textContent.trim().slice(0, 30);
      problems.push(`contrast ${ratio.toFixed(2)} on ${what}`);
    }
  }
  return problems;
}"""


def tab_to(page: Any, selector: str, limit: int = 60) -> None:
    """Press Tab until ``selector`` has focus (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_outline(page: Any) -> str:
    style: str = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + ' ' + s.outlineWidth; }"
    )
    return style


def test_a_customer_chats_and_asks_for_a_human_with_the_keyboard_only(page: Any) -> None:
    page.goto("/")
    tab_to(page, "#start-ai")
    assert focus_outline(page).startswith("solid"), "focus must be visible"
    page.keyboard.press("Enter")
    page.locator("#chat").wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.id") == "text"
    page.keyboard.type("When will my card arrive?")
    page.keyboard.press("Enter")
    page.locator("#log > li.ai").first.wait_for()
    tab_to(page, "#human")
    page.keyboard.press("Enter")
    page.locator("#status").get_by_text("human agent has been asked").wait_for()
    shoot(page, "keyboard-customer")


def test_an_agent_signs_in_and_opens_the_queue_with_the_keyboard_only(
    page: Any, console: Console
) -> None:
    page.goto("/login")
    # The username field has focus on arrival.
    page.wait_for_function("() => document.activeElement.id === 'username'")
    page.keyboard.type("alex")
    page.keyboard.press("Tab")
    page.keyboard.type("Northwind desk demo 1")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{console.url}/desk")
    tab_to(page, "a[href='/desk']")
    assert focus_outline(page).startswith("solid")
    shoot(page, "keyboard-agent")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (None, "/"),
        (None, "/login"),
        ("agent", "/desk"),
        ("supervisor", "/supervisor"),
        ("compliance", "/compliance"),
    ],
)
def test_every_page_has_labels_landmarks_and_a_skip_link(
    page: Any, role: str | None, path: str
) -> None:
    if role is not None:
        login(page, role)
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.evaluate(AUDIT) == []
    if path == "/login":
        return  # the username field takes focus on arrival instead
    # The skip link is the first stop and moves focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
