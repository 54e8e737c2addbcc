"""Simulated callers (`hotline serve --simulate-calls-per-hour`) on the trainer's console, in
headless Chromium: a server of its own, its calls paced five times faster than real time."""
import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import start_server
from test_web import sign_in


@pytest.fixture(scope="module")
def simulated_server():
    yield from start_server(["--simulate-calls-per-hour", "600", "--simulate-seed", "2", "--simulate-max-calls", "2", "--pace", "0.2"])


def test_simulated_calls_show_on_the_console_and_their_records_say_simulated(browser, simulated_server):
    server = simulated_server
    sign_in(browser, server, "trainer@hotline.example", "trainer-demo")
    browser.get(server["url"] + "/console")
    stale = (StaleElementReferenceException,)
    # A simulated caller arrives by itself and shows live, with its transcript growing.
    WebDriverWait(browser, 90, ignored_exceptions=stale).until(
        lambda b: b.find_element(By.ID, "live-calls").find_elements(By.CSS_SELECTOR, ".live-call.channel-simulated"))
    WebDriverWait(browser, 60, ignored_exceptions=stale).until(
        lambda b: "heard" in b.find_element(By.CSS_SELECTOR, ".live-call.channel-simulated .transcript").text)
    # One ends: its record is among the finished calls, and its page says which phone it was.
    WebDriverWait(browser, 120, ignored_exceptions=stale).until(
        lambda b: b.find_element(By.ID, "calls").find_elements(By.CSS_SELECTOR, "a.finished-call"))
    browser.get(server["url"] + "/console")
    browser.find_element(By.CSS_SELECTOR, "#calls a.finished-call").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "call-record"))
    assert "simulated" in browser.find_element(By.ID, "call-record").text


def test_the_finished_calls_show_their_phone_and_filter_by_it(browser, simulated_server):
    server = simulated_server
    sign_in(browser, server, "trainer@hotline.example", "trainer-demo")
    browser.get(server["url"] + "/console")
    stale = (StaleElementReferenceException,)
    WebDriverWait(browser, 120, ignored_exceptions=stale).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#calls tr.finished.phone-simulated"))
    row = browser.find_element(By.CSS_SELECTOR, "#calls tr.finished.phone-simulated")
    assert row.find_element(By.CSS_SELECTOR, "td.channel").text == "simulated"
    # The filter: only the chosen phone's calls, and the address says so (a trainer can bookmark it).
    select = browser.find_element(By.CSS_SELECTOR, "#channel-filter select[name=channel]")
    select.find_element(By.CSS_SELECTOR, "option[value=browser]").click()
    browser.find_element(By.CSS_SELECTOR, "#channel-filter button").click()
    WebDriverWait(browser, 30).until(lambda b: "channel=browser" in b.current_url)
    assert not browser.find_elements(By.CSS_SELECTOR, "#calls tr.finished.phone-simulated")
    browser.get(server["url"] + "/console?channel=simulated")
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#calls tr.finished td.channel")]
    assert cells and set(cells) == {"simulated"}
    # A value that is no phone is said on the page.
    browser.get(server["url"] + "/console?channel=fax")
    assert "channel must be browser, terminal, sip or simulated (got 'fax')" in browser.page_source.replace("&#39;", "'")


def _stamp_seconds(line):
    """`[01:02.5] heard …` -> 62.5 (the transcript's time: the call's own clock)."""
    if not line.startswith("[") or "]" not in line:
        return None
    seconds = 0.0
    for part in line[1:line.index("]")].split(":"):
        seconds = seconds * 60 + float(part)
    return seconds


def test_a_paced_simulated_calls_elapsed_time_is_its_transcripts_time(browser, simulated_server):
    # The server runs its simulated calls at --pace 0.2: five call seconds per real second. The
    # elapsed time beside a live call is in the call's time, so it is never behind its transcript.
    server = simulated_server
    sign_in(browser, server, "trainer@hotline.example", "trainer-demo")
    browser.get(server["url"] + "/console")
    stale = (StaleElementReferenceException,)

    def shown(b):
        for call in b.find_elements(By.CSS_SELECTOR, ".live-call.channel-simulated"):
            stamps = [s for s in (_stamp_seconds(l) for l in call.find_element(By.CSS_SELECTOR, ".transcript").text.splitlines()) if s is not None]
            if stamps and max(stamps) >= 5:
                minutes, seconds = call.find_element(By.CSS_SELECTOR, ".elapsed").text.rstrip("s").split("m ")
                return (max(stamps), int(minutes) * 60 + int(seconds))
        return False

    latest, elapsed = WebDriverWait(browser, 120, ignored_exceptions=stale).until(shown)
    assert elapsed >= int(latest), f"elapsed {elapsed} s is behind the transcript's {latest} s"


def test_simulated_callers_pages_are_badged_and_filtered_on_the_desk(browser, simulated_server):
    server = simulated_server
    sign_in(browser, server, "manager@hotline.example", "manager-demo")
    browser.get(server["url"] + "/desk")
    stale = (StaleElementReferenceException,)
    # A simulated caller escalates and pages: the page is badged as simulated on the live desk.
    WebDriverWait(browser, 150, ignored_exceptions=stale).until(
        lambda b: b.find_elements(By.CSS_SELECTOR, "#pages tr.page.source-simulated .badge.simulated"))
    assert browser.find_element(By.CSS_SELECTOR, "#pages tr.page.source-simulated .badge.simulated").text == "simulated"
    # Real pages only: the filter, and the address a manager can bookmark.
    select = browser.find_element(By.CSS_SELECTOR, "#source-filter select[name=source]")
    select.find_element(By.CSS_SELECTOR, "option[value=real]").click()
    browser.find_element(By.CSS_SELECTOR, "#source-filter button").click()
    WebDriverWait(browser, 30).until(lambda b: "source=real" in b.current_url)
    assert not browser.find_elements(By.CSS_SELECTOR, "#pages tr.page.source-simulated")
    browser.get(server["url"] + "/desk?source=simulated")
    rows = browser.find_elements(By.CSS_SELECTOR, "#pages tr.page")
    assert rows and all("source-simulated" in r.get_attribute("class") for r in rows)
