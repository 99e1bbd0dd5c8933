// The course site's only script: theme switch, copy buttons, search, the
// mobile menu and the "On this page" highlight. Everything else is static
// HTML made at build time. The search index comes from search-index.js
// (window.SEARCH_INDEX), loaded by a script tag, so search works with no
// server, even from file://.
(function () {
  'use strict';
  var root = document.body.getAttribute('data-root') || '';
  var html = document.documentElement;

  // ------------------------------------------------------------ theme
  // Follows the system until the reader chooses; a choice that equals the
  // system's preference is forgotten, so the site follows the system again.
  var systemDark = window.matchMedia('(prefers-color-scheme: dark)');
  var toggle = document.getElementById('theme-toggle');

  function storedTheme() {
    try { return localStorage.getItem('theme'); } catch (e) { return null; }
  }
  function applyTheme(theme) {
    html.setAttribute('data-theme', theme);
    if (toggle) toggle.setAttribute('aria-pressed', String(theme === 'dark'));
  }
  applyTheme(storedTheme() || (systemDark.matches ? 'dark' : 'light'));
  systemDark.addEventListener('change', function () {
    if (!storedTheme()) applyTheme(systemDark.matches ? 'dark' : 'light');
  });
  if (toggle) {
    toggle.addEventListener('click', function () {
      var next = html.getAttribute('data-theme') === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      try {
        if (next === (systemDark.matches ? 'dark' : 'light')) localStorage.removeItem('theme');
        else localStorage.setItem('theme', next);
      } catch (e) { /* private mode: the choice lasts for this page */ }
    });
  }

  // Print in the light theme, with every folded part open.
  var themeBeforePrint = null;
  window.addEventListener('beforeprint', function () {
    themeBeforePrint = html.getAttribute('data-theme');
    html.setAttribute('data-theme', 'light');
    document.querySelectorAll('details:not([open])').forEach(function (d) { d.setAttribute('open', ''); d.setAttribute('data-print-opened', ''); });
  });
  window.addEventListener('afterprint', function () {
    if (themeBeforePrint) html.setAttribute('data-theme', themeBeforePrint);
    document.querySelectorAll('details[data-print-opened]').forEach(function (d) { d.removeAttribute('open'); d.removeAttribute('data-print-opened'); });
  });

  // ------------------------------------------------------------ copy buttons
  var announcer = document.createElement('p');
  announcer.className = 'visually-hidden';
  announcer.setAttribute('role', 'status');
  document.body.appendChild(announcer);

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = document.createElement('textarea');
      area.value = text;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand('copy');
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error('copy refused'));
    });
  }

  document.querySelectorAll('.code-block').forEach(function (block) {
    var code = block.querySelector('pre code');
    if (!code) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-label', 'Copy code');
    button.addEventListener('click', function () {
      copyText(code.textContent).then(function () {
        button.textContent = 'Copied';
        button.classList.add('copied');
        announcer.textContent = 'Code copied';
        setTimeout(function () { button.textContent = 'Copy'; button.classList.remove('copied'); announcer.textContent = ''; }, 1600);
      }, function () {
        button.textContent = 'Press Ctrl+C';
        var range = document.createRange();
        range.selectNodeContents(code);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      });
    });
    block.appendChild(button);
  });

  // ------------------------------------------------------------ outputs side by side
  // Columns on a wide screen (CSS); on a narrow one, tabs, one output at a time.
  document.querySelectorAll('.outputs').forEach(function (group, groupIndex) {
    var panels = Array.prototype.slice.call(group.querySelectorAll('.outputs-panels > .code-block'));
    if (panels.length < 2) return;
    var tabs = document.createElement('div');
    tabs.className = 'outputs-tabs';
    tabs.setAttribute('role', 'tablist');
    tabs.setAttribute('aria-label', group.getAttribute('aria-label') || 'Outputs');
    var buttons = panels.map(function (panel, index) {
      var id = 'outputs-' + groupIndex + '-' + index;
      var title = panel.querySelector('.code-title');
      var button = document.createElement('button');
      button.type = 'button';
      button.id = id + '-tab';
      button.setAttribute('role', 'tab');
      button.setAttribute('aria-controls', id);
      // A tab has little room: "Real node:cluster (Node 20): the spreads" becomes "node:cluster".
      var full = title ? title.textContent : 'Output ' + (index + 1);
      button.textContent = full.replace(/\s*\(.*$/, '').replace(/: .*$/, '').replace(/^Real /, '').replace(/^Reference solution$/, 'Reference');
      button.title = full;
      panel.id = id;
      button.addEventListener('click', function () { select(index); });
      button.addEventListener('keydown', function (event) {
        var step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        event.preventDefault();
        var next = (index + step + panels.length) % panels.length;
        select(next);
        buttons[next].focus();
      });
      tabs.appendChild(button);
      return button;
    });
    var narrow = window.matchMedia('(max-width: 1099px)');
    function select(chosen) {
      buttons.forEach(function (button, index) {
        var on = index === chosen;
        button.setAttribute('aria-selected', String(on));
        button.tabIndex = on ? 0 : -1;
        if (narrow.matches) {
          panels[index].setAttribute('role', 'tabpanel');
          panels[index].setAttribute('aria-labelledby', button.id);
        }
        panels[index].hidden = narrow.matches && !on;
      });
    }
    function layout() {
      group.classList.toggle('tabbed', narrow.matches);
      if (!narrow.matches) panels.forEach(function (panel) { panel.hidden = false; panel.removeAttribute('role'); panel.removeAttribute('aria-labelledby'); });
      else select(Math.max(0, buttons.findIndex(function (b) { return b.getAttribute('aria-selected') === 'true'; })));
    }
    group.insertBefore(tabs, group.firstChild);
    select(0);
    layout();
    narrow.addEventListener('change', layout);
  });

  // ------------------------------------------------------------ diagram labels
  // The diagrams are laid out at build time for an average font; a wider font
  // on the reader's system could push a label out of its box. Such a label is
  // drawn a little narrower, so that it stays inside.
  function fitLabels() {
    document.querySelectorAll('.diagram svg text').forEach(function (text) {
      var group = text.parentNode;
      var shapes = Array.prototype.filter.call(group.children, function (child) { return /^(rect|polygon|circle|ellipse)$/.test(child.tagName); });
      if (!shapes.length || text.querySelector('tspan')) return;
      text.removeAttribute('textLength');
      var left = Infinity, right = -Infinity;
      shapes.forEach(function (shape) { var box = shape.getBBox(); left = Math.min(left, box.x); right = Math.max(right, box.x + box.width); });
      var room = right - left - 6;
      var box = text.getBBox();
      if (box.width <= room || room <= 0) return;
      text.setAttribute('textLength', String(room));
      text.setAttribute('lengthAdjust', 'spacingAndGlyphs');
      var anchor = text.getAttribute('text-anchor');
      var x = anchor === 'middle' ? (left + right) / 2 : anchor === 'end' ? right - 3 : left + 3;
      text.setAttribute('x', String(x));
    });
  }
  fitLabels();
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitLabels);

  // ------------------------------------------------------------ keyboard: previous / next page
  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey || event.defaultPrevented) return;
    var active = document.activeElement;
    if (active && (/^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(active.tagName) || active.isContentEditable)) return;
    if (active && active.closest && active.closest('[role="tablist"], .diagram-scroll, pre, .table-wrap')) return;
    var rel = event.key === 'ArrowLeft' ? 'prev' : event.key === 'ArrowRight' ? 'next' : '';
    var link = rel && document.querySelector('.pager a[rel="' + rel + '"]');
    if (link) { event.preventDefault(); link.click(); }
  });

  // ------------------------------------------------------------ mobile menu
  var menuButton = document.querySelector('.menu-toggle');
  if (menuButton) {
    menuButton.addEventListener('click', function () {
      var open = document.body.classList.toggle('nav-open');
      menuButton.setAttribute('aria-expanded', String(open));
      menuButton.setAttribute('aria-label', open ? 'Hide the course menu' : 'Show the course menu');
    });
  }

  // ------------------------------------------------------------ on this page
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll('.toc a'));
  if (tocLinks.length && 'IntersectionObserver' in window) {
    var byId = {};
    tocLinks.forEach(function (link) { byId[decodeURIComponent(link.hash.slice(1))] = link; });
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
      var headings = Object.keys(byId).map(function (id) { return document.getElementById(id); }).filter(Boolean);
      var current = headings.filter(function (h) { return visible[h.id]; })[0];
      if (!current) return;
      tocLinks.forEach(function (link) { link.classList.toggle('active', link === byId[current.id]); });
    }, { rootMargin: '-60px 0px -55% 0px' });
    Object.keys(byId).forEach(function (id) { var h = document.getElementById(id); if (h) observer.observe(h); });
  }

  // ------------------------------------------------------------ search
  var input = document.getElementById('search-input');
  var panel = document.getElementById('search-results');
  if (!input || !panel) return;

  // The index (every page's text) is loaded the first time the reader
  // searches, not with every page.
  var sections = null;
  var waiting = [];
  function withIndex(callback) {
    if (sections) return callback();
    waiting.push(callback);
    if (waiting.length > 1) return;
    var script = document.createElement('script');
    script.src = root + 'assets/search-index.js';
    script.onload = function () {
      var index = window.SEARCH_INDEX;
      sections = index.sections.map(function (s) {
        var page = index.pages[s.page];
        return {
          page: page,
          section: s,
          title: page.title.toLowerCase(),
          heading: s.heading.toLowerCase(),
          text: s.text.toLowerCase()
        };
      });
      waiting.splice(0).forEach(function (f) { f(); });
    };
    document.head.appendChild(script);
  }

  function termsOf(query) {
    return query.toLowerCase().split(/[^\p{L}\p{N}_$]+/u).filter(function (t) { return t.length >= 2; });
  }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
  // A term matches at the start of a word: "work" finds "worker", not "network".
  function wordStart(term) { return new RegExp('(^|[^\\p{L}\\p{N}_$])' + escapeRegExp(term), 'gu'); }
  function countIn(text, pattern) { pattern.lastIndex = 0; var n = 0; while (pattern.exec(text) && n < 20) n++; return n; }

  function search(query) {
    var terms = termsOf(query);
    if (!terms.length) return [];
    var patterns = terms.map(wordStart);
    var found = [];
    sections.forEach(function (entry) {
      var score = 0;
      for (var i = 0; i < patterns.length; i++) {
        var inTitle = countIn(entry.title, patterns[i]) > 0;
        var inHeading = countIn(entry.heading, patterns[i]) > 0;
        var inText = countIn(entry.text, patterns[i]);
        if (!inTitle && !inHeading && !inText) return;
        score += (inTitle ? 6 : 0) + (inHeading ? 10 : 0) + Math.min(inText, 8);
      }
      found.push({ entry: entry, score: score });
    });
    found.sort(function (a, b) { return b.score - a.score; });
    return found.map(function (f) { return f.entry; });
  }

  // Results are built as elements with text in them, never from HTML strings:
  // nothing in a page's text or in the query can turn into markup.
  function element(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    (children || []).forEach(function (child) { node.append(child); });
    return node;
  }
  // The text as pieces, each word start that a term matches in a <mark>.
  function highlighted(text, terms) {
    var longestFirst = terms.slice().sort(function (a, b) { return b.length - a.length; });
    var pattern = new RegExp('(^|[^\\p{L}\\p{N}_$])(' + longestFirst.map(escapeRegExp).join('|') + ')', 'giu');
    var pieces = [];
    var done = 0;
    text.replace(pattern, function (match, before, term, offset) {
      var at = offset + before.length;
      pieces.push(text.slice(done, at), element('mark', '', [term]));
      done = at + term.length;
      return match;
    });
    pieces.push(text.slice(done));
    return pieces;
  }
  function resultLink(r, children) {
    var link = element('a', '', children);
    link.setAttribute('href', root + r.page.url + (r.section.anchor ? '#' + r.section.anchor : ''));
    return link;
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase();
    var at = -1;
    terms.some(function (t) { at = lower.search(wordStart(t)); return at !== -1; });
    var start = Math.max(0, at - 60);
    var piece = text.slice(start, start + 170);
    return (start > 0 ? '…' : '') + piece + (start + 170 < text.length ? '…' : '');
  }
  function pageLabel(page) {
    if (page.kind === 'source') return 'Source file';
    if (page.kind === 'changes') return 'Lesson ' + page.lesson + ' · what changed';
    return page.lesson !== undefined && page.lesson !== null ? 'Lesson ' + page.lesson + ' · ' + page.title : page.title;
  }

  // The first SHOWN results; "Show all" lists every one.
  var SHOWN = 12;
  var showAll = false;
  var lastQuery = '';

  function render(query) {
    var terms = termsOf(query);
    if (!terms.length) { close(); return; }
    if (query !== lastQuery) { showAll = false; lastQuery = query; }
    var all = search(query);
    var results = showAll ? all : all.slice(0, SHOWN);
    var items = results.map(function (r) {
      return element('li', '', [resultLink(r, [
        element('span', 'result-page', [pageLabel(r.page)]),
        element('span', 'result-heading', highlighted(r.section.heading, terms)),
        element('span', 'result-snippet', highlighted(snippet(r.section.text, terms), terms))
      ])]);
    });
    var status = element('p', 'search-status', [!all.length ? 'Nothing found for “' + query.trim() + '”'
      : results.length < all.length ? results.length + ' of ' + all.length + ' results'
      : all.length + (all.length === 1 ? ' result' : ' results')]);
    status.setAttribute('role', 'status');
    panel.replaceChildren(status);
    if (items.length) panel.append(element('ul', '', items));
    if (results.length < all.length) {
      var moreButton = element('button', 'search-more', ['Show all ' + all.length + ' results']);
      moreButton.type = 'button';
      moreButton.addEventListener('click', function (event) {
        event.stopPropagation();
        showAll = true;
        render(input.value);
        var shown = links();
        if (shown[SHOWN]) shown[SHOWN].focus();
      });
      panel.append(moreButton);
    }
    panel.hidden = false;
  }
  function close() { panel.hidden = true; panel.replaceChildren(); }
  function links() { return Array.prototype.slice.call(panel.querySelectorAll('a')); }

  // The 404 page: a search of its own, started with the words of the address that was not found.
  var lostInput = document.getElementById('not-found-input');
  var lostResults = document.getElementById('not-found-results');
  if (lostInput && lostResults) {
    var renderLost = function () {
      withIndex(function () {
        var found = search(lostInput.value).slice(0, 10);
        var items = found.map(function (r) {
          return element('li', '', [resultLink(r, [r.section.heading]), ' ', element('span', 'result-page', [pageLabel(r.page)])]);
        });
        if (!items.length && lostInput.value.trim()) items.push(element('li', '', ['Nothing found.']));
        lostResults.replaceChildren.apply(lostResults, items);
      });
    };
    var words = decodeURIComponent(location.pathname.split('/').pop() || '').replace(/\.html?$/, '').split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 1 && !/^\d+$/.test(w); });
    lostInput.value = words.join(' ');
    lostInput.addEventListener('input', renderLost);
    if (lostInput.value) renderLost();
  }

  input.addEventListener('input', function () { withIndex(function () { render(input.value); }); });
  input.addEventListener('focus', function () { withIndex(function () { if (input.value) render(input.value); }); });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowDown') { var first = links()[0]; if (first) { event.preventDefault(); first.focus(); } }
    else if (event.key === 'Enter') { var target = links()[0]; if (target) { event.preventDefault(); target.click(); } }
    else if (event.key === 'Escape') { input.value = ''; close(); }
  });
  panel.addEventListener('keydown', function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && at < all.length - 1) { event.preventDefault(); all[at + 1].focus(); }
    else if (event.key === 'ArrowUp') { event.preventDefault(); (at > 0 ? all[at - 1] : input).focus(); }
    else if (event.key === 'Escape') { close(); input.focus(); }
  });
  document.addEventListener('click', function (event) {
    if (!event.target.closest || !event.target.closest('.search')) close();
  });
  document.addEventListener('keydown', function (event) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName) || document.activeElement.isContentEditable;
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
})();
