/* Inline feedback: passage comments, paragraph markers, comments on an earlier version.
   Offsets count #statement-body's textContent like the server's plain_text, so markers
   carry no text (CSS draws their number) and panels live outside the body. User text is
   set as textContent; comment HTML is the server's sanitised output. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const body = $("statement-body"), article = $("statement"), form = $("reply-form");
  // A translation that shares its original's discussion takes no passage comments: they anchor to the original's text.
  if (!body || !article || article.dataset.passages === "off") return;
  const key = article.dataset.slug;
  const {gettext, ngettext, interpolate} = window.tribunaI18n.page;
  const QUOTE = "TextQuoteSelector", POS = "TextPositionSelector", BLOCKS = "p, li, pre, td, th";
  let data = {comments: [], questions: []}, chosen = null, pending = null, openMarker = null;

  const el = (tag, cls, text) => Object.assign(document.createElement(tag), {className: cls, textContent: text || ""});
  const button = (cls, text, onClick) => {
    const b = Object.assign(el("button", cls, text), {type: "button"});
    b.addEventListener("click", onClick);
    return b;
  };
  const attrs = (node, values) => Object.entries(values).forEach(([k, v]) => node.setAttribute(k, v));
  const plural = (n) => interpolate(ngettext("%(n)s comment on this paragraph", "%(n)s comments on this paragraph", n), {n});
  const pick = (anchor, type) => (anchor || []).find((s) => s.type === type);
  const range = (a, ao, b, bo) => {
    const r = document.createRange();
    r.setStart(a, ao);
    r.setEnd(b, bo);
    return r;
  };
  const offsetOf = (node, offset) => range(body, 0, node, offset).toString().length;
  const selectorsFor = (text, s, e) => {
    while (s < e && /\s/.test(text[s])) s++;
    while (e > s && /\s/.test(text[e - 1])) e--;
    if (e <= s || e - s > 2000) return null;
    return [{type: QUOTE, exact: text.slice(s, e), prefix: text.slice(Math.max(0, s - 32), s),
             suffix: text.slice(e, e + 32)}, {type: POS, start: s, end: e}];
  };
  // Where an anchor is now: its position if the quote is still there, else the nearest copy.
  const where = (anchor, text) => {
    const q = pick(anchor, QUOTE), p = pick(anchor, POS);
    if (!q) return null;
    if (p && text.slice(p.start, p.end) === q.exact) return [p.start, p.end];
    const near = p ? p.start : 0;
    let best = -1;
    for (let i = text.indexOf(q.exact); i !== -1; i = text.indexOf(q.exact, i + 1)) {
      if (best < 0 || Math.abs(i - near) < Math.abs(best - near)) best = i;
    }
    return best < 0 ? null : [best, best + q.exact.length];
  };

  /* Highlights: <mark> elements wrapped around text through DOM ranges. */
  const highlight = ([s, e]) => {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT), parts = [];
    for (let n, pos = 0; (n = walker.nextNode()) && pos < e; pos += n.data.length) {
      const a = Math.max(0, s - pos), b = Math.min(n.data.length, e - pos);
      if (a < b && n.data.slice(a, b).trim()) parts.push([n, a, b]);
    }
    for (const [n, a, b] of parts) range(n, a, n, b).surroundContents(el("mark", "inline-mark"));
  };
  const clearHighlights = () => body.querySelectorAll("mark.inline-mark").forEach((m) => {
    const parent = m.parentNode;
    m.replaceWith(...m.childNodes);
    parent.normalize();
  });

  /* The panel a marker opens, below its paragraph. */
  const panel = Object.assign(el("section", "inline-panel"), {id: "inline-panel", tabIndex: -1, hidden: true});
  panel.setAttribute("aria-label", gettext("Comments on this paragraph"));
  panel.addEventListener("keydown", (ev) => { if (ev.key === "Escape") closePanel(true); });
  article.append(panel);

  const closePanel = (refocus) => {
    clearHighlights();
    panel.hidden = true;
    if (openMarker) {
      openMarker.setAttribute("aria-expanded", "false");
      if (refocus) openMarker.focus();
    }
    openMarker = null;
  };
  const commentItem = (c, quote) => {
    const li = el("li", "inline-comment");
    li.append(el("blockquote", "passage-quote", quote));
    const who = el("p", "inline-author", c.author.name), text = el("div", "comment-text");
    who.append(" · ", Object.assign(el("a", "", gettext("in the discussion")), {href: "#c" + c.id}));
    text.innerHTML = c.html; // sanitised by the server (nh3 allow-list)
    li.append(who, text);
    return li;
  };
  const openPanel = (block, marker) => {
    closePanel(false);
    openMarker = marker;
    marker.setAttribute("aria-expanded", "true");
    const n = block.comments.length;
    panel.replaceChildren(el("h2", "", n ? plural(n) : gettext("No comments on this paragraph yet")));
    for (const {q} of block.questions) {
      const box = el("div", "inline-question");
      box.append(el("p", "", interpolate(gettext("Question: %(question)s"), {question: q.question})), el("blockquote", "passage-quote", pick(q.anchor, QUOTE).exact),
        button("inline-action", gettext("Answer this question"), () => choose(q.anchor)));
      panel.append(box);
    }
    const list = el("ul", "inline-comments");
    for (const {c} of block.comments) list.append(commentItem(c, pick(c.anchor, QUOTE).exact));
    if (n) panel.append(list);
    const whole = selectorsFor(body.textContent, block.start, block.end);
    if (whole && form) panel.append(button("inline-action", gettext("Comment on this paragraph"), () => choose(whole)));
    panel.append(button("inline-close", gettext("Close"), () => closePanel(true)));
    [...block.comments, ...block.questions].forEach((x) => highlight(x.at));
    panel.style.top = block.el.getBoundingClientRect().bottom - article.getBoundingClientRect().top + "px";
    panel.hidden = false;
    panel.focus();
  };

  /* Markers: one per paragraph, numbered by its passage comments. */
  const render = () => {
    closePanel(false);
    body.querySelectorAll(".inline-marker").forEach((m) => m.remove());
    const blocks = [...body.querySelectorAll(BLOCKS)].filter((b) => !b.querySelector(BLOCKS)).map((b) => {
      const start = offsetOf(b, 0);
      return {el: b, start, end: start + b.textContent.length, comments: [], questions: []};
    });
    const text = body.textContent;
    const place = (item, anchor, list) => {
      const at = where(anchor, text), block = at && blocks.find((b) => at[0] < b.end && at[1] > b.start);
      if (block) block[list].push({...item, at});
    };
    data.comments.filter((c) => !c.orphaned).forEach((c) => place({c}, c.anchor, "comments"));
    data.questions.forEach((q) => place({q}, q.anchor, "questions"));
    for (const block of blocks) {
      const n = block.comments.length, marker = button("inline-marker", "", () =>
        (openMarker === marker ? closePanel(true) : openPanel(block, marker)));
      marker.dataset.count = n || "+";
      marker.classList.toggle("has-comments", n > 0);
      marker.classList.toggle("has-question", block.questions.length > 0);
      attrs(marker, {"aria-expanded": "false", "aria-controls": "inline-panel", "aria-label":
        (block.questions.length ? gettext("Question for readers; ") : "") + (n ? plural(n) : gettext("Comments on this paragraph: none yet"))});
      block.el.classList.add("inline-block");
      block.el.prepend(marker);
    }
    $("inline-orphans")?.remove();
    const orphans = data.comments.filter((c) => c.orphaned);
    if (!orphans.length) return;
    const section = Object.assign(el("section", "inline-orphans"), {id: "inline-orphans"}), list = el("ul", "inline-comments");
    orphans.forEach((c) => list.append(commentItem(c, c.original_quote)));
    section.append(el("h2", "", gettext("Comments on an earlier version")),
      el("p", "hint", gettext("These passages have since been changed or removed from the statement.")), list);
    article.after(section);
  };
  const load = () => fetch("/api/v1/passages?thread=" + encodeURIComponent(key))
    .then((r) => (r.ok ? r.json() : Promise.reject(r)))
    .then((json) => { data = json; render(); })
    .catch(() => {});

  /* Choosing a passage puts its quote in the comment form. */
  const chosenBox = el("div", "inline-chosen");
  const choose = (anchor) => {
    if (!form) return;
    chosen = anchor;
    form.dataset.anchor = JSON.stringify(anchor);
    if (form.elements.parent) form.elements.parent.value = ""; // a passage comment starts a thread
    chosenBox.replaceChildren(el("p", "", gettext("Commenting on this passage:")),
      el("blockquote", "passage-quote", pick(anchor, QUOTE).exact),
      button("inline-action", gettext("Comment on the whole statement instead"), unchoose));
    form.querySelector("h3")?.after(chosenBox);
    closePanel(false);
    hideFloat();
    form.scrollIntoView({block: "start"});
    form.elements.text?.focus();
  };
  const unchoose = () => {
    chosen = null;
    delete form.dataset.anchor;
    chosenBox.remove();
  };

  /* Selecting text offers a floating button; mousedown keeps the selection alive. */
  const float = Object.assign(button("inline-float", gettext("Comment on this passage"), () => pending && choose(pending)), {hidden: true});
  float.addEventListener("mousedown", (ev) => ev.preventDefault());
  body.after(float);
  const hideFloat = () => { float.hidden = true; pending = null; };
  let timer = 0;
  document.addEventListener("selectionchange", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const sel = getSelection();
      if (!form || !sel.rangeCount || sel.isCollapsed) return hideFloat();
      const r = sel.getRangeAt(0);
      if (!body.contains(r.commonAncestorContainer)) return hideFloat();
      pending = selectorsFor(body.textContent, offsetOf(r.startContainer, r.startOffset),
        offsetOf(r.endContainer, r.endOffset));
      if (!pending) return hideFloat();
      const rect = r.getBoundingClientRect(), base = article.getBoundingClientRect();
      float.style.top = rect.bottom - base.top + 6 + "px";
      float.style.left = Math.max(0, rect.left - base.left) + "px";
      float.hidden = false;
    }, 120);
  });

  /* embed.js posts the form through the API, with form.dataset.anchor as the passage, and
     drops the attribute once the comment is accepted: then the markers are refreshed. */
  if (form) new MutationObserver(() => {
    if (chosen && !form.dataset.anchor) {
      chosen = null;
      chosenBox.remove();
      load();
    }
  }).observe(form, {attributes: true, attributeFilter: ["data-anchor"]});

  /* A filter for the discussion: only comments on a passage. */
  const list = $("comments");
  if (list) {
    const filter = button("inline-filter", gettext("Only passage comments"), () =>
      filter.setAttribute("aria-pressed", list.classList.toggle("inline-only")));
    filter.setAttribute("aria-pressed", "false");
    list.before(filter);
  }
  load();
})();
