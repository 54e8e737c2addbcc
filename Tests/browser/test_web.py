"""End to end in headless Chromium: a customer presses Escalate Now, the escalation is on the
feed, the page is on the manager's desk, the trainer's console shows it. Screenshots of the case
screen, the desk and the console go to $HOTLINE_SCREENSHOTS (.build/screenshots by default;
`make screenshots` writes them to docs/images/ for the README)."""
import os
import re
import signal
import subprocess

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import HOTLINE, ROOT

IMAGES = os.environ.get("HOTLINE_SCREENSHOTS") or os.path.join(ROOT, ".build", "screenshots")


def sign_in(browser, server, email, password):
    browser.delete_all_cookies()
    browser.get(server["url"] + "/login")
    browser.find_element(By.ID, "email").send_keys(email)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.ID, "signin").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "signout")))


def shot(browser, name):
    os.makedirs(IMAGES, exist_ok=True)
    browser.save_screenshot(os.path.join(IMAGES, name))


def test_sign_in_is_refused_with_a_wrong_password(browser, server):
    browser.delete_all_cookies()
    browser.get(server["url"] + "/login")
    browser.find_element(By.ID, "email").send_keys("dana@acme.example")
    browser.find_element(By.ID, "password").send_keys("not the password")
    browser.find_element(By.ID, "signin").click()
    error = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "error")))
    assert "Wrong email or password." in error.text


def test_customer_escalates_now_and_the_manager_sees_the_page(browser, server):
    sign_in(browser, server, "dana@acme.example", "customer-demo")
    assert browser.current_url.endswith("/cases")
    links = browser.find_elements(By.CSS_SELECTOR, "a.case-link")
    assert links, "the customer sees their cases"
    number = links[0].text
    links[0].click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "case-detail")))
    assert "Case " + number in browser.find_element(By.TAG_NAME, "h1").text
    countdown = browser.find_element(By.CSS_SELECTOR, "#sla .countdown").text
    assert re.match(r"-?\d+h \d\dm \d\ds", countdown), countdown

    browser.find_element(By.ID, "escalate-reason").send_keys("Production is down <b>now</b>")
    browser.find_element(By.ID, "escalate").click()
    flash = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "flash"))).text
    assert "escalated" in flash and "was paged" in flash, flash
    assert browser.find_element(By.ID, "status").text == "escalated"
    feed = browser.find_element(By.ID, "feed").text
    assert "escalation (web)" in feed
    assert "Production is down <b>now</b>" in feed  # shown as text, not markup
    shot(browser, "case-screen.png")

    # Escalating a closed case is refused on the page.
    browser.find_element(By.ID, "close").click()
    try:
        WebDriverWait(browser, 30).until(EC.text_to_be_present_in_element((By.ID, "status"), "closed"))
    except Exception:
        print(browser.current_url, browser.page_source[:3000])
        raise
    browser.find_element(By.ID, "escalate-reason").send_keys("again")
    browser.find_element(By.ID, "escalate").click()
    try:
        error = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "error"))).text
    except Exception:
        browser.save_screenshot("/tmp/fail.png")
        print("URL", browser.current_url, browser.page_source[:2000])
        raise
    assert "is closed and cannot be changed" in error

    sign_in(browser, server, "manager@hotline.example", "manager-demo")
    browser.get(server["url"] + "/desk")
    pages = browser.find_element(By.ID, "pages").text
    assert number in pages, pages
    shot(browser, "desk.png")
    browser.find_element(By.CSS_SELECTOR, "button.ack").click()
    flash = WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "flash"))).text
    assert "acknowledged" in flash


def test_the_desk_updates_live_from_server_sent_events(browser, server):
    sign_in(browser, server, "agent@hotline.example", "agent-demo")
    browser.get(server["url"] + "/desk")
    before = browser.find_element(By.ID, "pages").text
    # Another browser tab's escalation (here: the API with the agent's session) shows up without a reload.
    script = """
      const done = arguments[arguments.length - 1];
      fetch('/api/me').then(r => r.json()).then(me =>
        fetch('/api/cases?status=open').then(r => r.json()).then(cases =>
          fetch('/api/cases/' + cases[0].number + '/escalate', {method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token},
            body: JSON.stringify({reason: 'seen live'})}).then(r => done([r.status, cases[0].number]))));
    """
    status, number = browser.execute_async_script(script)
    assert status == 200
    WebDriverWait(browser, 15).until(lambda b: number in b.find_element(By.ID, "pages").text)
    assert browser.find_element(By.ID, "pages").text != before


def test_a_browser_phone_call_resumes_after_a_reload_and_shows_on_the_console(browser, server):
    sign_in(browser, server, "dana@acme.example", "customer-demo")
    browser.get(server["url"] + "/phone")
    WebDriverWait(browser, 30).until(EC.text_to_be_present_in_element((By.ID, "call-state"), "connected"))
    browser.find_element(By.ID, "call-button").click()
    transcript = lambda b: b.find_element(By.ID, "transcript").text
    # The welcome plays (about 12 s of prompt, timed by the server), then the main menu takes keys.
    WebDriverWait(browser, 60).until(lambda b: "main_menu" in transcript(b))
    browser.find_element(By.CSS_SELECTOR, '.key[data-key="1"]').click()
    WebDriverWait(browser, 30).until(lambda b: "Customer Care" in transcript(b).split("main_menu", 1)[1].split("press", 1)[-1]
                                     or "customer_care" in transcript(b))
    assert "(ignored" not in transcript(browser).split("main_menu", 1)[1]
    so_far = transcript(browser)
    # A reloaded page gets the same call back from the server.
    browser.refresh()
    WebDriverWait(browser, 20).until(lambda b: transcript(b).startswith(so_far[:40]))

    sign_in(browser, server, "trainer@hotline.example", "trainer-demo")
    browser.get(server["url"] + "/console")
    console = browser.find_element(By.ID, "live-calls").text + browser.find_element(By.ID, "calls").text
    assert "+14085550100" in console, console

    # A call typed in a terminal — `hotline call` in another process on the same database — shows
    # on the open console by itself (the live-call board, pushed over server-sent events), with
    # its transcript, beside the browser call.
    terminal = subprocess.Popen(
        [HOTLINE, "call", "--db", server["db"], "--audio", "off", "--from", "+1 408 555 0142"],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The console re-renders its live calls as they change: an element found a moment ago may be
        # replaced before it is read, so the waits look again instead of failing.
        stale = (StaleElementReferenceException,)
        row = WebDriverWait(browser, 60, ignored_exceptions=stale).until(
            lambda b: b.find_element(By.ID, "live-calls").find_elements(By.CSS_SELECTOR, ".live-call.channel-terminal"))[0]
        WebDriverWait(browser, 60, ignored_exceptions=stale).until(lambda b: "heard" in b.find_element(By.CSS_SELECTOR, ".live-call.channel-terminal .transcript").text)
        assert "0142" in browser.find_element(By.CSS_SELECTOR, ".live-call.channel-terminal").text
        live = browser.find_element(By.ID, "live-calls").text + browser.find_element(By.ID, "calls").text
        assert "+14085550100" in live, live
    finally:
        terminal.send_signal(signal.SIGINT)  # the caller hangs up
        try:
            terminal.wait(timeout=30)
        except subprocess.TimeoutExpired:
            terminal.kill()
    # Ended: it leaves the calls in progress and its record is among the finished calls, whose
    # page replays it.
    WebDriverWait(browser, 30).until(lambda b: not b.find_elements(By.CSS_SELECTOR, ".live-call.channel-terminal"))
    browser.get(server["url"] + "/console")
    browser.find_element(By.XPATH, "//section[@id='calls']//tr[td[contains(., '0142')]]//a[@class='finished-call']").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_elements(By.ID, "replay-button"))
    assert "0142" in browser.find_element(By.ID, "call-record").text
    browser.find_element(By.ID, "replay-button").click()
    WebDriverWait(browser, 5).until(lambda b: b.find_element(By.ID, "replay-state").text == "replaying")


def test_the_trainer_console_shows_pages_and_escalated_sla_clocks(browser, server):
    sign_in(browser, server, "trainer@hotline.example", "trainer-demo")
    browser.get(server["url"] + "/console")
    assert "Pages climbing" in browser.page_source
    escalated = browser.find_element(By.ID, "escalated").text
    assert "No escalated cases." not in escalated
    shot(browser, "console.png")


def test_the_page_refuses_other_origins_and_sets_a_content_security_policy(browser, server):
    import urllib.request
    response = urllib.request.urlopen(server["url"] + "/login", timeout=10)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
