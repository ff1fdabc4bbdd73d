/* blotter search page: a small client of the JSON API (/api/v1/...).
 * Views are chosen by the URL fragment, so the back button and links work:
 *   #/search?q=..&offset=..&sort=..   results with facets
 *   #/bulletin?url=..                  one bulletin with its facts marked
 *   #/campaigns?q=..&fact=..           campaigns, timeline chart
 * All text from the index goes into the page as text nodes, never as HTML. */
'use strict';

(function () {
  const PAGE = 10;
  const FACETS = [
    ['campaign', 'Campaign'], ['agency', 'Agency'], ['year', 'Year'], ['lang', 'Language'],
  ];
  const LANGS = { en: 'English', zh: 'Chinese', und: 'unknown' };

  const $ = (id) => document.getElementById(id);

  /* el('a', {href: '#'}, 'text', child) -> element; strings become text nodes. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text || '';
    s.classList.toggle('error', !!isError);
    s.setAttribute('role', isError ? 'alert' : 'status');
  }

  /* GET an API path; resolves to the parsed JSON, rejects with a readable message. */
  async function api(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (Array.isArray(v)) v.forEach((x) => qs.append(k, x));
      else if (v !== undefined && v !== null && v !== '') qs.append(k, v);
    }
    const url = '/api/v1/' + path + (qs.toString() ? '?' + qs : '');
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' } });
    } catch (e) {
      throw new Error('The server cannot be reached.');
    }
    let body = null;
    try { body = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      const msg = body && body.error && body.error.message ? body.error.message : res.statusText;
      const err = new Error(msg);
      err.status = res.status;
      throw err;
    }
    return body;
  }

  /* ---- routing ---------------------------------------------------------- */

  function route() {
    const h = location.hash.replace(/^#/, '') || '/';
    const qpos = h.indexOf('?');
    const path = qpos < 0 ? h : h.slice(0, qpos);
    const params = new URLSearchParams(qpos < 0 ? '' : h.slice(qpos + 1));
    return { path, params };
  }

  function go(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {}))
      if (v !== undefined && v !== null && v !== '' && v !== 0) qs.set(k, v);
    const target = '#' + path + (qs.toString() ? '?' + qs : '');
    if (location.hash === target) render();
    else location.hash = target;
  }

  function show(view) {
    for (const id of ['results-view', 'bulletin-view', 'campaigns-view'])
      $(id).hidden = id !== view;
    if (view !== 'results-view') $('intro').hidden = true;
    $('search-form').hidden = view !== 'results-view';
    $('nav-search').toggleAttribute('aria-current', view !== 'campaigns-view');
    if (view !== 'campaigns-view') $('nav-search').setAttribute('aria-current', 'page');
    $('nav-campaigns').toggleAttribute('aria-current', view === 'campaigns-view');
    if (view === 'campaigns-view') $('nav-campaigns').setAttribute('aria-current', 'page');
  }

  async function render() {
    const { path, params } = route();
    setStatus('');
    if (path === '/bulletin') return showBulletin(params.get('url') || '');
    if (path === '/campaigns') return showCampaigns(params.get('q') || '', params.get('fact') || '');
    return showSearch(params.get('q') || '', Number(params.get('offset') || 0), params.get('sort') || 'relevance');
  }

  /* ---- query text helpers ----------------------------------------------- */

  /* field:value as the query language wants it (quoted when not one word). */
  function filterTerm(field, value) {
    const v = String(value).replace(/"/g, '');
    return field + ':' + (/^[\p{L}\p{N}_.\-]+$/u.test(v) ? v : '"' + v + '"');
  }

  function queryHas(q, term) {
    return (' ' + q.toLowerCase() + ' ').includes(' ' + term.toLowerCase() + ' ');
  }

  function queryToggle(q, term) {
    if (queryHas(q, term)) {
      const parts = (' ' + q + ' ').split(' ' + term + ' ');
      return parts.join(' ').replace(/\s+/g, ' ').trim();
    }
    return (q.trim() + ' ' + term).trim();
  }

  /* ---- search ----------------------------------------------------------- */

  /* snippet_html is escaped by the server with <b> around matches: split on the
   * marks and decode the entities as text, so nothing else can become markup. */
  function snippetNodes(html) {
    const out = [];
    const decode = document.createElement('textarea');
    let inMark = false;
    for (const part of String(html || '').split(/(<b>|<\/b>)/)) {
      if (part === '<b>') { inMark = true; continue; }
      if (part === '</b>') { inMark = false; continue; }
      if (!part) continue;
      decode.innerHTML = part;
      const text = decode.value;
      out.push(inMark ? el('mark', {}, text) : text);
    }
    return out;
  }

  const QUALIFIERS = { '>=': 'at least ', '<=': 'at most ', '>': 'over ', '<': 'under ' };

  function qualified(f) {
    return (QUALIFIERS[f.qualifier] || '') + formatNumber(f.value) + (f.currency ? ' ' + f.currency : '');
  }

  function formatNumber(n) {
    return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
  }

  function hitItem(hit) {
    const link = '#/bulletin?' + new URLSearchParams({ url: hit.url });
    const meta = [hit.date || 'undated', hit.agency, LANGS[hit.lang] || hit.lang].filter(Boolean).join(' · ');
    const facts = Object.entries(hit.facts || {}).map(([k, v]) =>
      el('span', { class: 'chip fact' }, k.replace('_', ' ') + ': ' + formatNumber(v)));
    const camps = (hit.campaigns || []).map((c) => el('span', { class: 'chip' }, c));
    const dups = hit.duplicates && hit.duplicates.length
      ? el('div', { class: 'dups' }, 'Also published at: ' + hit.duplicates.join(', ')) : null;
    return el('li', { class: 'hit' },
      el('h3', {}, el('a', { href: link, class: 'hit-title' }, hit.title || hit.url)),
      el('div', { class: 'hit-url' }, hit.url),
      el('div', { class: 'meta' }, meta),
      el('p', { class: 'snippet' }, snippetNodes(hit.snippet_html)),
      facts.length || camps.length ? el('div', { class: 'chips' }, facts, camps) : null,
      dups);
  }

  function facetList(name, label, values, q) {
    if (!values || !values.length) return null;
    const items = values.slice(0, 12).map((f) => {
      const term = filterTerm(name, f.value);
      const text = name === 'lang' ? (LANGS[f.value] || f.value) : f.value;
      return el('li', {}, el('button', {
        type: 'button', class: 'facet', 'data-term': term,
        'aria-pressed': queryHas(q, term) ? 'true' : 'false',
        title: (queryHas(q, term) ? 'Remove ' : 'Add ') + term,
        onclick: () => go('/search', { q: queryToggle(q, term), sort: $('sort').value === 'relevance' ? '' : $('sort').value }),
      }, el('span', {}, text), el('span', { class: 'count' }, formatNumber(f.count))));
    });
    return el('section', { 'aria-label': label }, el('h2', {}, label), el('ul', {}, items));
  }

  async function showSearch(q, offset, sort) {
    show('results-view');
    $('q').value = q;
    $('sort').value = sort;
    const results = $('results'), facets = $('facets'), pager = $('pager');
    $('intro').hidden = !!q.trim();
    if (!q.trim()) {
      results.replaceChildren();
      facets.replaceChildren();
      pager.replaceChildren();
      $('summary').textContent = '';
      $('results-view').classList.add('empty');
      document.title = 'blotter: search law-enforcement bulletins';
      return;
    }
    document.title = q + ' – blotter';
    setStatus('Searching…');
    let data;
    try {
      data = await api('search', {
        q, offset: offset || undefined, limit: PAGE,
        sort: sort === 'relevance' ? undefined : sort, facet: FACETS.map((f) => f[0]).join(','),
      });
    } catch (e) {
      results.replaceChildren();
      facets.replaceChildren();
      pager.replaceChildren();
      $('summary').textContent = '';
      setStatus(e.message, true);
      return;
    }
    setStatus('');
    $('results-view').classList.toggle('empty', !data.hits.length);
    const total = (data.total_exact ? '' : 'about ') + formatNumber(data.total);
    if (data.hits.length)
      $('summary').textContent = 'Results ' + (data.offset + 1) + '–' + (data.offset + data.hits.length) +
        ' of ' + total + ' for ' + q;
    else
      $('summary').textContent = data.total ? 'No results past ' + data.offset + '.' : 'No bulletin matches ' + q + '.';
    if (data.suggestion) {
      $('summary').append(' Did you mean ', el('a', {
        href: '#/search?' + new URLSearchParams({ q: data.suggestion }), class: 'suggestion',
      }, data.suggestion), '?');
    }
    results.replaceChildren(...data.hits.map(hitItem));
    results.start = data.offset + 1;
    facets.replaceChildren(...FACETS.map(([n, label]) => facetList(n, label, (data.facets || {})[n], q)).filter(Boolean));
    const nav = [];
    const base = { q, sort: sort === 'relevance' ? '' : sort };
    if (offset > 0)
      nav.push(el('a', { href: '#/search?' + new URLSearchParams({ ...base, offset: Math.max(0, offset - PAGE) }) }, '← Previous'));
    if (offset + data.hits.length < data.total && offset + PAGE <= 10000)
      nav.push(el('a', { href: '#/search?' + new URLSearchParams({ ...base, offset: offset + PAGE }) }, 'Next →'));
    pager.replaceChildren(...nav);
  }

  /* ---- one bulletin ----------------------------------------------------- */

  /* The text split into plain strings and marked facts. Fact offsets and
   * lengths count UTF-8 bytes; JavaScript strings count UTF-16 units, so each
   * byte offset is converted by decoding the bytes before it. */
  function markFacts(text, facts) {
    const bytes = new TextEncoder().encode(text);
    const dec = new TextDecoder();
    const isStart = (b) => b === bytes.length || (b < bytes.length && (bytes[b] & 0xc0) !== 0x80);
    const spans = [];
    facts.forEach((f, i) => {
      const a = f.offset, b = f.offset + f.length;
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b > bytes.length || b <= a) return;
      if (!isStart(a) || !isStart(b)) return;
      spans.push({ from: dec.decode(bytes.subarray(0, a)).length, to: dec.decode(bytes.subarray(0, b)).length, fact: f, i });
    });
    spans.sort((x, y) => x.from - y.from || y.to - x.to);
    const out = [];
    let pos = 0;
    for (const s of spans) {
      if (s.from < pos) continue; /* overlaps the one before: keep the first */
      out.push(text.slice(pos, s.from));
      out.push(el('mark', {
        class: 'fact', id: 'fact-' + s.i, 'data-category': s.fact.category,
        title: s.fact.category.replace('_', ' ') + ': ' + qualified(s.fact),
      }, text.slice(s.from, s.to), el('span', { class: 'fact-label', 'aria-hidden': 'true' }, s.fact.category.replace('_', ' '))));
      pos = s.to;
    }
    out.push(text.slice(pos));
    return out;
  }

  function safeHref(url) {
    return /^https?:\/\//i.test(url || '') ? url : null;
  }

  async function showBulletin(url) {
    show('bulletin-view');
    const view = $('bulletin-view');
    view.replaceChildren(el('p', {}, 'Loading…'));
    let rec;
    try {
      rec = await api('bulletin', { url });
    } catch (e) {
      view.replaceChildren(el('p', {}, el('button', { type: 'button', class: 'link', onclick: () => history.back() }, '← Back')));
      setStatus(e.status === 404 ? 'This bulletin is not in the index.' : e.message, true);
      return;
    }
    document.title = (rec.title || rec.url) + ' – blotter';
    const facts = rec.facts || [];
    const href = safeHref(rec.url);
    const metaRows = [
      ['Date', rec.date || 'unknown'], ['Agency', rec.agency || 'unknown'],
      ['Language', LANGS[rec.lang] || rec.lang || 'unknown'],
      ['Source', href ? el('a', { href, rel: 'noopener noreferrer', target: '_blank' }, rec.url) : rec.url],
    ];
    if ((rec.campaigns || []).length)
      metaRows.push(['Campaigns', rec.campaigns.map((c, i) => [i ? ', ' : '', el('a', {
        href: '#/search?' + new URLSearchParams({ q: filterTerm('campaign', c) }) }, c)])]);
    const factRows = facts.map((f, i) => el('tr', {},
      el('td', {}, f.category.replace('_', ' ')),
      el('td', {}, qualified(f)),
      el('td', {}, el('button', { type: 'button', class: 'link', onclick: () => {
        const m = $('fact-' + i);
        if (m) { m.scrollIntoView({ block: 'center' }); m.classList.add('flash'); setTimeout(() => m.classList.remove('flash'), 1500); }
      } }, f.text || ''))));
    view.replaceChildren(
      el('p', {}, el('button', { type: 'button', class: 'link', id: 'back', onclick: () => history.back() }, '← Back to results')),
      el('h2', {}, rec.title || rec.url),
      el('dl', { class: 'bulletin-meta' }, metaRows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      facts.length ? el('section', { 'aria-label': 'Facts' },
        el('h3', {}, 'Facts stated in the text'),
        el('table', { class: 'facts-table' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Fact'), el('th', { scope: 'col' }, 'Value'), el('th', { scope: 'col' }, 'Words in the text'))),
          el('tbody', {}, factRows))) : el('p', { class: 'hint' }, 'No numeric facts were found in this bulletin.'),
      el('h3', {}, 'Text'),
      el('div', { class: 'bulletin-text', lang: rec.lang && rec.lang !== 'und' ? rec.lang : null }, markFacts(rec.text || '', facts)));
    window.scrollTo(0, 0);
  }

  /* ---- campaigns -------------------------------------------------------- */

  function sparkline(timeline) {
    const max = Math.max(1, ...timeline.map((m) => m.bulletins));
    return el('div', { class: 'spark', role: 'img', 'aria-label': timeline.map((m) => m.month + ': ' + m.bulletins).join(', ') },
      timeline.slice(-24).map((m) => {
        const bar = el('span', { title: m.month + ': ' + m.bulletins + ' bulletin' + (m.bulletins === 1 ? '' : 's') });
        bar.style.height = Math.round((m.bulletins / max) * 100) + '%';
        return bar;
      }));
  }

  async function showCampaigns(q, fact) {
    show('campaigns-view');
    document.title = 'Campaigns – blotter';
    $('cq').value = q;
    $('chart-fact').value = fact;
    const tbody = $('campaign-table').querySelector('tbody');
    setStatus('Loading campaigns…');
    const params = { q: q || undefined, fact: fact || undefined };
    const chart = $('chart');
    chart.hidden = false;
    chart.onerror = () => { chart.hidden = true; $('chart-caption').textContent = 'No dated campaign bulletin to chart.'; };
    chart.onload = () => { $('chart-caption').textContent = 'Month by month, the campaigns with the most bulletins.'; };
    chart.src = '/api/v1/campaigns/chart.svg' + (q || fact ? '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v)) : '');
    let data;
    try {
      data = await api('campaigns', { q: q || undefined });
    } catch (e) {
      tbody.replaceChildren();
      setStatus(e.message, true);
      return;
    }
    setStatus(data.campaigns.length ? '' : 'No campaign found.');
    tbody.replaceChildren(...data.campaigns.map((c) => el('tr', {},
      el('th', { scope: 'row' }, el('a', { href: '#/search?' + new URLSearchParams({ q: filterTerm('campaign', c.name) }) }, c.name)),
      el('td', {}, formatNumber(c.bulletins)),
      el('td', {}, c.first || '–'), el('td', {}, c.last || '–'),
      el('td', {}, (c.agencies || []).map((a) => a.name + ' (' + a.bulletins + ')').join('; ')),
      el('td', {}, Object.entries(c.facts || {}).map(([k, v]) => k.replace('_', ' ') + ' ' + formatNumber(v.total)).join(', ')),
      el('td', {}, sparkline(c.timeline || [])))));
  }

  /* ---- wiring ----------------------------------------------------------- */

  function filterTerms() {
    const terms = [];
    const from = $('date-from').value, to = $('date-to').value;
    if (from || to) terms.push('date:' + from + '..' + to);
    const fact = $('fact').value, min = $('fact-min').value.trim(), max = $('fact-max').value.trim();
    if (fact && (min || max)) terms.push(fact + ':' + min + '..' + max);
    return terms;
  }

  function init() {
    $('search-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const sort = $('sort').value;
      go('/search', { q: $('q').value.trim(), sort: sort === 'relevance' ? '' : sort });
    });
    $('sort').addEventListener('change', () => {
      if ($('q').value.trim()) $('search-form').requestSubmit();
    });
    $('add-filters').addEventListener('click', () => {
      const terms = filterTerms();
      if (!terms.length) { setStatus('Choose a date or a fact range first.', true); return; }
      $('q').value = ($('q').value.trim() + ' ' + terms.join(' ')).trim();
      for (const id of ['date-from', 'date-to', 'fact-min', 'fact-max']) $(id).value = '';
      $('search-form').requestSubmit();
    });
    $('campaigns-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      go('/campaigns', { q: $('cq').value.trim(), fact: $('chart-fact').value });
    });
    $('chart-fact').addEventListener('change', () => $('campaigns-form').requestSubmit());
    window.addEventListener('hashchange', render);
    api('stats').then((s) => {
      $('stats').textContent = formatNumber(s.bulletins) + ' bulletins indexed';
    }).catch(() => { $('stats').textContent = 'The index is not available.'; });
    render();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
