#!/usr/bin/env python3
"""Wrap the DOJ press-release body fragments in whole justice.gov-style pages.

Usage:
    wrap_doj.py SOURCE_DIR [OUTPUT_DIR]

SOURCE_DIR holds releases.jsonl (id, title, date, date_utc, url,
component_path, ...) and html/doj-NNN.html (the release body as an HTML
fragment).  OUTPUT_DIR defaults to samples/doj next to this script.

The release text is copied byte for byte; only site chrome is added around
it: skip link, header and navigation, breadcrumb, a sidebar of other
releases, share buttons, footer and a small script.  The chrome is there on
purpose, so that boilerplate removal has something real to remove.

Dates are published three ways, chosen by position so the output is stable:
  1 of 3 pages: <meta property="article:published_time">
  1 of 3 pages: <time datetime="..."> in the page header
  1 of 3 pages: no machine-readable date, only a visible line such as
                "Thursday, May 16, 2013" (and the dateline in the text).
"""

import datetime
import html
import json
import os
import sys
import urllib.parse

COMPONENTS = {
    "interpol-washington": "INTERPOL Washington",
    "opa": "Office of Public Affairs",
    "nsd": "National Security Division",
}

SITE = "https://www.justice.gov"

NAV = [
    ("Home", "/"), ("About", "/about"), ("Our Agency", "/agencies"),
    ("Topics", "/topics"), ("News", "/news"), ("Resources", "/resources"),
    ("Careers", "/careers"), ("Contact", "/contact"),
    ("Press Releases", "/news/press-releases"), ("Speeches", "/news/speeches"),
    ("Videos", "/news/videos"), ("Photo Gallery", "/news/photos"),
    ("Blogs", "/news/blogs"), ("Justice News", "/justice-news"),
    ("Find Help", "/actioncenter"),
]

FOOTER = [
    ("Archive", "/archive"), ("Accessibility", "/accessibility"),
    ("FOIA", "/oip"), ("No FEAR Act Data", "/jmd/eeos"),
    ("Office of the Inspector General", "https://oig.justice.gov"),
    ("Privacy Policy", "/doj/privacy-policy"),
    ("Legal Policies & Disclaimers", "/legalpolicies"),
    ("Social Media", "/social"), ("Budget & Performance", "/doj/budget-and-performance"),
    ("Office of Special Counsel", "/osc"), ("For Employees", "/employees"),
    ("Vulnerability Disclosure", "/vulnerability-disclosure-policy"),
    ("USA.gov", "https://www.usa.gov"), ("BusinessUSA", "https://business.usa.gov"),
    ("Information Quality", "/iqpr"), ("Plain Writing", "/plain-writing"),
]

RELATED_COUNT = 4


def one_line(text):
    """Some titles in the data hold line breaks; page metadata wants one line."""
    return " ".join(text.split())


def esc(text):
    return html.escape(text, quote=True)


def link_list(links, indent):
    pad = " " * indent
    out = []
    for label, href in links:
        url = href if href.startswith("http") else SITE + href
        out.append('%s<li><a href="%s">%s</a></li>' % (pad, esc(url), esc(label)))
    return "\n".join(out)


def long_date(iso):
    day = datetime.date.fromisoformat(iso)
    return "%s, %s %d, %d" % (day.strftime("%A"), day.strftime("%B"),
                              day.day, day.year)


def published_time(rel):
    """Local midnight with its UTC offset, from date_utc (04:00 or 05:00 UTC)."""
    utc = datetime.datetime.fromisoformat(rel["date_utc"])
    return "%sT00:00:00-%02d:00" % (rel["date"], utc.hour)


def date_style(position):
    return ("meta", "time", "text")[position % 3]


def related(releases, position):
    picks = []
    for step in range(1, RELATED_COUNT + 1):
        other = releases[(position + step * 7) % len(releases)]
        picks.append((one_line(other["title"]), other["url"]))
    return picks


def render(rel, body, releases, position):
    component = COMPONENTS[rel["component_path"]]
    title = one_line(rel["title"])
    style = date_style(position)
    head_date = ""
    header_date = ""
    if style == "meta":
        head_date = ('  <meta property="article:published_time" content="%s">\n'
                     % published_time(rel))
    elif style == "time":
        header_date = ('        <div class="node-date"><time datetime="%s">%s</time></div>\n'
                       % (published_time(rel), long_date(rel["date"])))
    else:
        header_date = ('        <div class="node-date">%s</div>\n'
                       % long_date(rel["date"]))
    component_url = "%s/%s" % (SITE, rel["component_path"])
    rel_items = "\n".join(
        '        <li><a href="%s">%s</a></li>' % (esc(url), esc(t))
        for t, url in related(releases, position))
    share = "https://www.facebook.com/sharer/sharer.php?u=" + rel["url"]
    tweet = "https://twitter.com/intent/tweet?url=" + rel["url"]
    mail = "mailto:?subject=" + urllib.parse.quote(title)
    return f"""<!DOCTYPE html>
<html lang="en" dir="ltr">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>{esc(title)} | {esc(component)} | United States Department of Justice</title>
  <link rel="canonical" href="{esc(rel['url'])}">
  <link rel="shortlink" href="{esc(rel['url'])}">
  <link rel="stylesheet" href="/themes/custom/usdoj/css/styles.css">
  <link rel="icon" href="/themes/custom/usdoj/favicon.ico" type="image/vnd.microsoft.icon">
  <meta property="og:site_name" content="United States Department of Justice">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{esc(title)}">
  <meta property="og:url" content="{esc(rel['url'])}">
{head_date}  <meta name="twitter:card" content="summary">
  <meta name="twitter:site" content="@TheJusticeDept">
</head>
<body class="path-node page-node-type-press-release">
  <a href="#main-content" class="usa-skipnav">Skip to main content</a>
  <div class="usa-banner" aria-label="Official website of the United States government">
    <p>An official website of the United States government. Here's how you know.</p>
  </div>
  <header class="usa-header" role="banner">
    <div class="usa-logo"><a href="{SITE}/" title="Home" rel="home">United States Department of Justice</a></div>
    <form class="usa-search" action="{SITE}/search" method="get" role="search">
      <label for="search-field">Search</label>
      <input id="search-field" type="search" name="query">
      <button type="submit">Search</button>
    </form>
    <nav class="usa-nav" aria-label="Main navigation">
      <ul>
{link_list(NAV, 8)}
      </ul>
    </nav>
  </header>
  <div class="breadcrumb" aria-label="Breadcrumb">
    <ol>
      <li><a href="{SITE}/">Home</a></li>
      <li><a href="{esc(component_url)}">{esc(component)}</a></li>
      <li><a href="{esc(component_url)}/pr">Press Releases</a></li>
    </ol>
  </div>
  <main id="main-content" role="main">
    <article class="node-press-release">
      <div class="node-topper">
        <div class="node-type">Press Release</div>
        <h1 class="page-title"><span>{esc(title)}</span></h1>
{header_date}        <div class="node-release">For Immediate Release</div>
        <div class="node-component"><a href="{esc(component_url)}">{esc(component)}</a></div>
      </div>
      <div class="field-body">
{body}
      </div>
      <div class="share-buttons" aria-label="Share">
        <span>Share</span>
        <a class="share-facebook" href="{esc(share)}">Facebook</a>
        <a class="share-twitter" href="{esc(tweet)}">Twitter</a>
        <a class="share-email" href="{esc(mail)}">Email</a>
        <a class="share-print" href="javascript:window.print()">Print</a>
      </div>
      <div class="node-updated">Updated {esc(long_date(rel['date']).split(', ', 1)[1])}</div>
    </article>
    <aside class="sidebar" aria-label="Related Content">
      <h2>Related Content</h2>
      <h3>Press Releases</h3>
      <ul>
{rel_items}
      </ul>
      <p><a href="{esc(component_url)}/pr">More press releases from {esc(component)}</a></p>
    </aside>
  </main>
  <footer class="usa-footer" role="contentinfo">
    <nav class="footer-nav" aria-label="Footer navigation">
      <ul>
{link_list(FOOTER, 8)}
      </ul>
    </nav>
    <address>
      U.S. Department of Justice<br>
      950 Pennsylvania Avenue, NW<br>
      Washington, DC 20530-0001<br>
      Department of Justice Main Switchboard: 202-514-2000
    </address>
    <p class="footer-social">Follow: <a href="https://twitter.com/TheJusticeDept">X</a> |
      <a href="https://www.youtube.com/user/TheJusticeDepartment">YouTube</a> |
      <a href="{SITE}/rss">RSS</a></p>
  </footer>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag() {{ dataLayer.push(arguments); }}
    gtag('js', new Date());
    gtag('config', 'G-DOJ0SAMPLE', {{ 'anonymize_ip': true }});
  </script>
</body>
</html>
"""


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    source = argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    output = argv[2] if len(argv) == 3 else os.path.join(here, "..", "doj")
    with open(os.path.join(source, "releases.jsonl"), encoding="utf-8") as fh:
        releases = [json.loads(line) for line in fh if line.strip()]
    os.makedirs(output, exist_ok=True)
    for position, rel in enumerate(releases):
        with open(os.path.join(source, rel["html_file"]), encoding="utf-8",
                  newline="") as fh:
            body = fh.read()
        page = render(rel, body, releases, position)
        path = os.path.join(output, rel["id"] + ".html")
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(page)
    print("wrote %d pages to %s" % (len(releases), os.path.normpath(output)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
