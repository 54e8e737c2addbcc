"""The training desk in headless Chromium: an agent follows the Training link, picks a persona, takes
the call with the desk's forms (the persona's lines appear as text and their WAVs are fetched to be
spoken), ends it and sees the scored debrief."""
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from test_web import shot, sign_in


def test_an_agent_takes_a_training_call_at_the_web_desk_and_sees_the_score(browser, server):
    sign_in(browser, server, "agent@hotline.example", "agent-demo")
    browser.get(server["url"] + "/cases")
    browser.find_element(By.ID, "nav-training").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "persona-form")))
    Select(browser.find_element(By.ID, "persona")).select_by_value("other-account-case")
    browser.find_element(By.ID, "take-call").click()
    transcript = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "training-transcript")))
    assert "caller:" in transcript.text  # the persona's greeting
    # The greeting is spoken: the page fetches its WAV from the audio route.
    WebDriverWait(browser, 15).until(lambda b: b.execute_script(
        "return performance.getEntriesByType('resource').some(e => e.name.includes('/training/lines/') && e.name.endsWith('.wav'))"))

    Select(browser.find_element(By.ID, "ask-what")).select_by_value("name")
    browser.find_element(By.ID, "do-ask").click()
    # Each form posts and the page reloads: an element found just before the reload goes stale, so
    # the waits look again instead of failing.
    WebDriverWait(browser, 30, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda b: "caller: Sarah Okafor" in b.find_element(By.ID, "training-transcript").text)

    browser.find_element(By.ID, "verify-name").send_keys("Sarah Okafor")
    browser.find_element(By.ID, "verify-account").send_keys("100002")
    browser.find_element(By.ID, "do-verify").click()
    WebDriverWait(browser, 30, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda b: "desk: verifies Sarah Okafor at account 100002" in b.find_element(By.ID, "training-transcript").text)

    browser.find_element(By.ID, "do-end").click()
    score = WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.ID, "training-score")))
    assert score.text.startswith("Score: ") and score.text.endswith("/100")
    debrief = browser.find_element(By.ID, "debrief").text
    assert "verified-before-disclosure" in debrief
    assert "MISS" in debrief  # ended without telling the caller what happens next
    shot(browser, "training-debrief.png")
    browser.find_element(By.ID, "done").click()
    WebDriverWait(browser, 30).until(EC.presence_of_element_located((By.ID, "persona-form")))
