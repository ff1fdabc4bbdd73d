#!/usr/bin/env python3
"""The search page as a person uses it, in headless Chromium.

Builds an index from the test fixtures, starts `blotter serve` on 127.0.0.1
(an ephemeral port), and drives Debian's chromium through chromedriver (the
WebDriver protocol over HTTP on 127.0.0.1, Python's standard library only):
types a query, clicks a facet, opens a bulletin and checks what is on the
screen, opens the campaigns view, and saves screenshots (desktop and phone
widths) for people to look at. Exits 77 (ctest's SKIP) with the word SKIP
when chromium or chromedriver is not installed (apt-get install chromium
chromium-driver).
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SKIP = 77
WAIT_S = 30  # how long to wait for the page to reach a state before failing
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"

# No proxy for 127.0.0.1, whatever the environment says.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))

passed = 0
failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
        print("ok   " + what)
    else:
        failed += 1
        print("FAIL " + what)


def http_json(method, url, body=None, timeout=60):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    try:
        with OPENER.open(req, timeout=timeout) as r:
            return json.loads(r.read().decode() or "null")
    except urllib.error.HTTPError as e:
        raise RuntimeError("%s %s: %s %s" % (method, url, e.code, e.read().decode(errors="replace")))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """The few WebDriver commands the test needs."""

    def __init__(self, port, chromium, profile):
        self.base = "http://127.0.0.1:%d" % port
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--lang=en-US",
                "--force-device-scale-factor=1", "--window-size=1280,900",
                # every host name but loopback fails to resolve: the page must need nothing else
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"}}}}
        self.sid = http_json("POST", self.base + "/session", caps, timeout=120)["value"]["sessionId"]

    def cmd(self, method, path, body=None):
        return http_json(method, "%s/session/%s%s" % (self.base, self.sid, path), body)["value"]

    def go(self, url):
        self.cmd("POST", "/url", {"url": url})

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.cmd("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def click(self, css):
        self.cmd("POST", "/element/%s/click" % self.find(css), {})

    def type(self, css, text):
        self.cmd("POST", "/element/%s/value" % self.find(css), {"text": text})

    def text(self, css):
        return self.cmd("GET", "/element/%s/text" % self.find(css))

    def resize(self, w, h):
        self.cmd("POST", "/window/rect", {"width": w, "height": h})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.cmd("GET", "/screenshot")))

    def wait(self, script, what, *args):
        """Polls a JavaScript condition until it is truthy (at most WAIT_S)."""
        end = time.monotonic() + WAIT_S
        value = None
        while time.monotonic() < end:
            value = self.js(script, *args)
            if value:
                return value
            time.sleep(0.1)
        raise RuntimeError("the page never reached: %s (last: %r)" % (what, value))

    def console_errors(self):
        try:
            logs = http_json("POST", "%s/session/%s/se/log" % (self.base, self.sid), {"type": "browser"})["value"]
        except RuntimeError:
            return []
        return [l["message"] for l in logs if l.get("level") == "SEVERE"]

    def quit(self):
        try:
            http_json("DELETE", "%s/session/%s" % (self.base, self.sid))
        except Exception:
            pass


def start_server(blotter, data, log):
    proc = subprocess.Popen([blotter, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    end = time.monotonic() + WAIT_S
    while time.monotonic() < end:
        with open(log.name) as f:
            m = re.search(r"listening on (http://127\.0\.0\.1:\d+/)", f.read())
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            raise RuntimeError("blotter serve exited with %d" % proc.returncode)
        time.sleep(0.05)
    raise RuntimeError("blotter serve printed no address")


def start_chromedriver(driver_bin, log):
    port = free_port()
    proc = subprocess.Popen([driver_bin, "--port=%d" % port, "--allowed-ips=127.0.0.1"],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    end = time.monotonic() + WAIT_S
    while time.monotonic() < end:
        try:
            if http_json("GET", "http://127.0.0.1:%d/status" % port, timeout=5)["value"]["ready"]:
                return proc, port
        except Exception:
            pass
        if proc.poll() is not None:
            raise RuntimeError("chromedriver exited with %d" % proc.returncode)
        time.sleep(0.1)
    raise RuntimeError("chromedriver did not start")


def scenario(d, base, shots):
    # 1. The page loads, with its labelled query box and the syntax explained.
    d.go(base)
    d.wait("return document.querySelector('#stats').textContent.includes('bulletins indexed')",
           "the index statistics in the footer")
    check(d.text("label[for=q]") == "Search bulletins", "the query box has a visible label")
    check("suspects:1000.." in d.text("#intro"), "the start page suggests example queries")
    d.screenshot(os.path.join(shots, "serve-page-start.png"))
    check("8 bulletins indexed" in d.text("#stats"), "the footer counts the 8 indexed bulletins")
    d.click("#syntax summary")
    check("date:2019-06-01..2019-07-31" in d.text("#syntax"), "the query syntax is explained")
    d.click("#syntax summary")

    # 2. Type a query and press Enter.
    d.type("#q", "suspects\ue007")
    d.wait("return document.querySelectorAll('#results li.hit').length > 0", "results for 'suspects'")
    summary = d.text("#summary")
    check(re.match(r"Results 1–\d+ of \d+ for suspects", summary) is not None,
          "the summary says which results are shown: %r" % summary)
    marks = d.js("return [...document.querySelectorAll('#results .snippet mark')].map(m => m.textContent)")
    check(any(m.lower().startswith("suspect") for m in marks),
          "snippets highlight the query word: %r" % marks[:5])
    titles = d.js("return [...document.querySelectorAll('#results .hit-title')].map(a => a.textContent)")
    check(len(titles) >= 3, "several bulletins match: %r" % titles)
    facets = d.js("return [...document.querySelectorAll('#facets button.facet')].map(b => b.dataset.term)")
    check('campaign:"Operation Legend"' in facets and "lang:en" in facets and "year:2020" in facets
          and 'agency:"Department of Justice"' in facets,
          "campaign, agency, year and language facets are offered: %r" % facets)
    check(d.js("return location.hash").startswith("#/search?q=suspects"), "the query is in the address")
    d.screenshot(os.path.join(shots, "serve-page-results.png"))

    # 3. Click a facet: the query gains the filter and only that campaign's bulletins stay.
    d.click('#facets button[data-term=\'campaign:"Operation Legend"\']')
    d.wait("return document.querySelector('#q').value.includes('campaign:\"Operation Legend\"') && "
           "document.querySelectorAll('#results li.hit').length === 2", "two Operation Legend results")
    titles = d.js("return [...document.querySelectorAll('#results .hit-title')].map(a => a.textContent)")
    check(all("Legend" in t for t in titles) and len(titles) == 2,
          "the facet keeps only the campaign's bulletins: %r" % titles)
    check(d.js("return document.querySelector('#facets button[data-term=\\'campaign:\"Operation Legend\"\\']')"
               ".getAttribute('aria-pressed')") == "true", "the chosen facet shows as pressed")
    check("Results 1–2 of 2" in d.text("#summary"), "the summary counts 2 results")

    # 4. Open the bulletin: title, date, agency, facts and the facts marked in its text.
    first = d.js("return document.querySelector('#results .hit-title').textContent")
    d.click("#results .hit-title")
    d.wait("return !document.querySelector('#bulletin-view').hidden && "
           "document.querySelector('#bulletin-view h2') && "
           "document.querySelectorAll('#bulletin-view mark.fact').length > 0", "the bulletin view")
    check(d.text("#bulletin-view h2") == first, "the bulletin view shows the clicked title")
    check(d.js("return getComputedStyle(document.querySelector('#results-view')).display") == "none",
          "the results are out of sight while a bulletin is read")
    meta = d.text("#bulletin-view .bulletin-meta")
    check("Department of Justice" in meta and re.search(r"2020-\d\d-\d\d", meta) is not None,
          "the agency and date are shown: %r" % meta)
    url = d.js("return new URLSearchParams(location.hash.split('?')[1]).get('url')")
    with OPENER.open(base + "api/v1/bulletin?url=" + urllib.request.quote(url, safe=""), timeout=60) as r:
        record = json.loads(r.read().decode())
    marked = d.js("return [...document.querySelectorAll('#bulletin-view mark.fact')].map("
                  "m => [m.dataset.category, m.firstChild.textContent])")
    want = sorted([f["category"], f["text"]] for f in record["facts"])
    check(sorted(marked) == want, "every fact is marked on its own words: %r" % marked)
    check(any(c == "suspects" and "1,500 suspects" in t for c, t in marked),
          "'more than 1,500 suspects' is marked as suspects")
    text = d.text("#bulletin-view .bulletin-text")
    check(text.startswith("WASHINGTON") and "fentanyl" in text, "the whole text is shown")
    rows = d.js("return document.querySelectorAll('#bulletin-view .facts-table tbody tr').length")
    check(rows == len(record["facts"]), "the facts table lists %d facts" % len(record["facts"]))
    d.screenshot(os.path.join(shots, "serve-page-bulletin.png"))
    d.js("document.querySelector('#bulletin-view mark.fact').scrollIntoView({block: 'center'})")
    d.screenshot(os.path.join(shots, "serve-page-bulletin-text.png"))

    # 4b. A Chinese bulletin: fact offsets count UTF-8 bytes, the marks must still land on the words.
    cn_url = "https://example.gov.cn/2019/11/liehu"
    d.go(base + "#/bulletin?url=" + urllib.request.quote(cn_url, safe=""))
    d.wait("return document.querySelectorAll('#bulletin-view mark.fact').length > 0 && "
           "document.querySelector('#bulletin-view h2').textContent.length > 0", "the Chinese bulletin")
    with OPENER.open(base + "api/v1/bulletin?url=" + urllib.request.quote(cn_url, safe=""), timeout=60) as r:
        cn = json.loads(r.read().decode())
    marked = d.js("return [...document.querySelectorAll('#bulletin-view mark.fact')].map("
                  "m => [m.dataset.category, m.firstChild.textContent])")
    check(sorted(marked) == sorted([f["category"], f["text"]] for f in cn["facts"]),
          "facts in Chinese text are marked on their own characters: %r" % marked)
    d.screenshot(os.path.join(shots, "serve-page-bulletin-zh.png"))
    d.js("history.back()")
    d.wait("return document.querySelector('#bulletin-view h2') && "
           "document.querySelector('#bulletin-view h2').textContent === arguments[0]", "the first bulletin again", first)

    # 5. Back to the results, then a date range filter from the form.
    d.click("#back")
    d.wait("return !document.querySelector('#results-view').hidden && "
           "document.querySelectorAll('#results li.hit').length === 2", "the results again")
    d.js("document.querySelector('#q').value = 'suspects'")
    d.click("#filters summary")
    d.js("const f = document.querySelector('#date-from'); f.value = '2020-12-01';"
         "f.dispatchEvent(new Event('input'));")
    d.click("#add-filters")
    d.wait("return document.querySelector('#q').value === 'suspects date:2020-12-01..' && "
           "document.querySelectorAll('#results li.hit').length === 1", "one result from December 2020")
    check(d.text("#results .hit-title") == "Operation Legend results announced",
          "the date filter keeps the December bulletin")

    # 6. A bad query is explained, not a blank page.
    d.js("document.querySelector('#q').value = ''")
    d.type("#q", "suspects:abc..\ue007")
    d.wait("return document.querySelector('#status').classList.contains('error')", "an error message")
    check("is not a number" in d.text("#status"), "a bad query says what is wrong: %r" % d.text("#status"))

    # 7. Campaigns with the timeline chart.
    d.click("#nav-campaigns")
    d.wait("return document.querySelectorAll('#campaign-table tbody tr').length > 0 && "
           "document.querySelector('#chart').complete && document.querySelector('#chart').naturalWidth > 0",
           "the campaign table and chart")
    names = d.js("return [...document.querySelectorAll('#campaign-table tbody th')].map(t => t.textContent)")
    check("Operation Legend" in names and "猎狐行动" in names, "campaigns are listed: %r" % names)
    d.screenshot(os.path.join(shots, "serve-page-campaigns.png"))
    d.js("document.querySelector('#campaign-table').scrollIntoView()")
    d.screenshot(os.path.join(shots, "serve-page-campaigns-table.png"))

    # 8. On a phone's width the results are readable in one column.
    d.resize(390, 844)
    d.go(base + "#/search?q=suspects")
    d.wait("return document.querySelectorAll('#results li.hit').length > 0", "results on a phone")
    overflow = d.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 0, "nothing is wider than a phone's screen (overflow %spx)" % overflow)
    d.screenshot(os.path.join(shots, "serve-page-phone.png"))

    errors = [e for e in d.console_errors() if "favicon" not in e]
    # the bad query of step 6 is a 400 the page handled; anything else is a defect
    errors = [e for e in errors if "status of 400" not in e]
    check(not errors, "no errors in the browser console: %r" % errors)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blotter", required=True)
    ap.add_argument("--fixtures", required=True)
    ap.add_argument("--screenshots", required=True)
    a = ap.parse_args()

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_bin = shutil.which("chromedriver")
    if not chromium or not driver_bin:
        print("SKIP: chromium and chromedriver are needed (apt-get install chromium chromium-driver)")
        return SKIP

    work = tempfile.mkdtemp(prefix="blotter-browser-")
    server = driver = d = None
    try:
        data = os.path.join(work, "data")
        subprocess.run([a.blotter, "index", "--data", data,
                        os.path.join(a.fixtures, "research"),
                        os.path.join(a.fixtures, "cli", "bulletins.jsonl")],
                       check=True, stdout=subprocess.DEVNULL)
        server_log = open(os.path.join(work, "serve.log"), "w+")
        server, base = start_server(a.blotter, data, server_log)
        driver_log = open(os.path.join(work, "chromedriver.log"), "w+")
        driver, port = start_chromedriver(driver_bin, driver_log)
        d = Driver(port, chromium, os.path.join(work, "profile"))
        scenario(d, base, a.screenshots)
    except Exception as e:  # a page that never gets there fails the test, with why
        global failed
        failed += 1
        print("FAIL %s" % e)
    finally:
        if d:
            d.quit()
        if driver:
            driver.terminate()
            driver.wait(timeout=30)
        if server:
            server.send_signal(signal.SIGTERM)
            check(server.wait(timeout=30) == 0, "blotter serve stops on SIGTERM with status 0")
        shutil.rmtree(work, ignore_errors=True)
    print("screenshots: %s/serve-page-*.png" % a.screenshots)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
