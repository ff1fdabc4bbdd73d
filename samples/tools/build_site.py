#!/usr/bin/env python3
"""Build samples/site/, the small static site used by the crawler samples.

Usage:
    build_site.py [SAMPLES_DIR]

SAMPLES_DIR defaults to the samples/ folder above this script.  The
bulletin pages are copied unchanged (bytes, so the GBK page stays GBK) from
samples/doj/ and samples/cn/ into site/news/.  Around them the script
writes two listing pages (index.html, page-2.html), rss.xml, sitemap.xml,
robots.txt and private/secret.html, which robots.txt forbids.

All links are relative, because the site is served from a local test
server on a port chosen at run time; a crawler resolves the links in
rss.xml and sitemap.xml against the URL it fetched them from.
"""

import datetime
import html
import os
import re
import shutil
import sys

# (source page under SAMPLES_DIR, publication date, local time, UTC offset)
MANIFEST = [
    ("cn/mps-2023-01-13.html", "2023-01-13", "10:30", "+0800"),
    ("cn/nia-2022-08-16.html", "2022-08-16", "08:50", "+0800"),
    ("cn/customs-2021-06-25.html", "2021-06-25", "10:02", "+0800"),
    ("cn/mps-2021-03-16.html", "2021-03-16", "11:00", "+0800"),
    ("cn/mps-2020-12-08.html", "2020-12-08", "09:40", "+0800"),
    ("cn/mps-2019-12-20.html", "2019-12-20", "15:30", "+0800"),
    ("cn/customs-2018-12-27.html", "2018-12-27", "16:20", "+0800"),
    ("cn/nia-2018-09-20.html", "2018-09-20", "10:15", "+0800"),
    ("doj/doj-002.html", "2014-06-12", "00:00", "-0400"),
    ("doj/doj-003.html", "2014-03-19", "00:00", "-0400"),
    ("doj/doj-001.html", "2013-05-16", "00:00", "-0400"),
    ("doj/doj-045.html", "2009-01-12", "00:00", "-0500"),
]

PER_PAGE = 6
SITE_TITLE = "Bulletin sample site"

TITLE_META = re.compile(
    rb'<meta (?:property="og:title"|name="ArticleTitle") content="([^"]*)"')
CHARSET_META = re.compile(rb'<meta charset="([^"]+)"')


def page_title(raw):
    charset = CHARSET_META.search(raw).group(1).decode("ascii")
    return html.unescape(TITLE_META.search(raw).group(1).decode(charset))


def rfc822(day, clock, offset):
    when = datetime.datetime.strptime(day + " " + clock, "%Y-%m-%d %H:%M")
    return when.strftime("%a, %d %b %Y %H:%M:00 ") + offset


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def listing(items, number, pages):
    rows = "\n".join(
        '      <li><a href="news/%s">%s</a> <span class="date">%s</span></li>'
        % (html.escape(name), html.escape(title), day)
        for name, title, day in items)
    links = []
    for n in range(1, pages + 1):
        href = "index.html" if n == 1 else "page-%d.html" % n
        if n == number:
            links.append('<span class="current">%d</span>' % n)
        else:
            links.append('<a href="%s">%d</a>' % (href, n))
    if number < pages:
        links.append('<a rel="next" href="page-%d.html">Next &raquo;</a>' % (number + 1))
    if number > 1:
        prev = "index.html" if number == 2 else "page-%d.html" % (number - 1)
        links.insert(0, '<a rel="prev" href="%s">&laquo; Previous</a>' % prev)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>News (page {number} of {pages}) | {SITE_TITLE}</title>
  <link rel="alternate" type="application/rss+xml" title="News" href="rss.xml">
</head>
<body>
  <header>
    <h1>{SITE_TITLE}</h1>
    <nav><a href="index.html">News</a> | <a href="rss.xml">RSS</a> | <a href="sitemap.xml">Sitemap</a></nav>
  </header>
  <main>
    <h2>Latest bulletins</h2>
    <ul class="news-list">
{rows}
    </ul>
    <div class="pager">{' '.join(links)}</div>
  </main>
  <footer><p>Sample pages for crawler tests. <a href="private/secret.html">Staff area</a></p></footer>
</body>
</html>
"""


def rss(entries):
    items = "\n".join(f"""    <item>
      <title>{html.escape(title, quote=False)}</title>
      <link>news/{name}</link>
      <guid isPermaLink="false">{name}</guid>
      <pubDate>{rfc822(day, clock, offset)}</pubDate>
    </item>""" for name, title, day, clock, offset in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>{SITE_TITLE}</title>
    <link>index.html</link>
    <description>Latest bulletins of the sample site</description>
    <language>zh-cn</language>
{items}
  </channel>
</rss>
"""


def sitemap(entries):
    urls = "\n".join(f"""  <url>
    <loc>news/{name}</loc>
    <lastmod>{day}</lastmod>
  </url>""" for name, _title, day, _clock, _offset in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{urls}
</urlset>
"""


ROBOTS = """User-agent: *
Disallow: /private/
Crawl-delay: 1
"""

SECRET = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Private area</title>
  <meta name="robots" content="noindex, nofollow">
</head>
<body>
  <h1>Private area</h1>
  <p>This page is disallowed by robots.txt. A polite crawler never fetches it;
  if the word PRIVATE-CANARY-7319 turns up in an index, robots.txt was ignored.</p>
</body>
</html>
"""


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    samples = argv[1] if len(argv) > 1 else os.path.join(here, "..")
    site = os.path.join(samples, "site")
    entries = []
    for source, day, clock, offset in MANIFEST:
        src = os.path.join(samples, source)
        name = os.path.basename(source)
        with open(src, "rb") as fh:
            raw = fh.read()
        os.makedirs(os.path.join(site, "news"), exist_ok=True)
        shutil.copyfile(src, os.path.join(site, "news", name))
        entries.append((name, page_title(raw), day, clock, offset))
    pages = (len(entries) + PER_PAGE - 1) // PER_PAGE
    for number in range(1, pages + 1):
        chunk = entries[(number - 1) * PER_PAGE:number * PER_PAGE]
        items = [(name, title, day) for name, title, day, _c, _o in chunk]
        file = "index.html" if number == 1 else "page-%d.html" % number
        write(os.path.join(site, file), listing(items, number, pages))
    write(os.path.join(site, "rss.xml"), rss(entries))
    write(os.path.join(site, "sitemap.xml"), sitemap(entries))
    write(os.path.join(site, "robots.txt"), ROBOTS)
    write(os.path.join(site, "private", "secret.html"), SECRET)
    print("wrote %d bulletins, %d listing pages to %s"
          % (len(entries), pages, os.path.normpath(site)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
