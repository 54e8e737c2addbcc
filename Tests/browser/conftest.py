"""A real `hotline serve --demo` on 127.0.0.1 (a free port, a temporary database) and headless
Chromium driven by Selenium. The server stops by itself after --stop-after seconds."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOTLINE = os.environ.get("HOTLINE_BIN", os.path.join(ROOT, ".build", "debug", "hotline"))


def start_server(extra=()):
    """Starts `hotline serve --demo` (with `extra` options) on its own temporary database; yields its address.
    The temporary folder is removed when the server has stopped."""
    folder = tempfile.mkdtemp(prefix="hotline-browser-")
    try:
        yield from serve(folder, extra)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def serve(folder, extra):
    db = os.path.join(folder, "web.sqlite")
    process = subprocess.Popen(
        [HOTLINE, "serve", "--http", "127.0.0.1:0", "--db", db, "--demo", "--stop-after", "600", *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    address = None
    lines = []
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"serving (http://127\.0\.0\.1:\d+)/", line)
        if match:
            address = match.group(1)
            break
    if address is None:
        process.kill()
        raise RuntimeError("hotline serve did not start:\n" + "".join(lines))
    urllib.request.urlopen(address + "/healthz", timeout=10).read()
    yield {"url": address, "db": db, "process": process}
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server():
    yield from start_server()


@pytest.fixture(scope="session")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000",
                     "--autoplay-policy=no-user-gesture-required", "--disable-gpu"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()
