/* Tribuna's discussion widget: plain JavaScript, no framework, no build step.
 *
 * Embedded on any page:
 *   <div id="tribuna-thread"></div>
 *   <script src="https://HOST/embed.js" async></script>
 * it renders this page's thread from HOST's JSON API, HOST being taken from the script's own
 * src. A page's thread is keyed by its address (origin and path; data-thread="/path/" or a
 * full URL names another page of the same site); data-statement="SLUG" shows a statement's. On our statement pages (data-enhance="1") the server
 * has already rendered the first page and a working form; the widget takes them over so
 * posting, replying, voting, editing, sorting and paging happen in place. If this script
 * fails or never loads, those pages keep working as plain HTML.
 *
 * Safety: every element is built with createElement and textContent. The one string
 * inserted as HTML is a comment's `html` field, which this script's own server rendered
 * from Markdown and sanitised with an nh3 allow-list when the comment was saved (the same
 * string our templates print); it is parsed into an inert <template> first. Nothing from
 * the host page or the address bar is ever inserted as HTML.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  const root = document.getElementById("tribuna-thread");
  if (!script || !root || root.dataset.tribunaReady) return;
  root.dataset.tribunaReady = "1";

  const server = new URL(script.src, location.href).origin;
  const sameOrigin = server === location.origin;
  const enhance = script.dataset.enhance === "1";
  const key = script.dataset.statement || pageKey(script.dataset.thread || location.pathname);
  // The widget speaks its data-lang, else the host page's language; on our own pages the page carries the catalogue.
  const lang = script.dataset.lang || document.documentElement.lang || "en";
  let { gettext, ngettext, interpolate } = window.tribunaI18n.page;
  const SORTS = ["oldest", "newest", "best"];
  const MAX_TEXT = 10000; // discussion.forms.MAX_TEXT
  const sortLabel = (order) => ({ oldest: pgettext("sort", "oldest"), newest: pgettext("sort", "newest"),
    best: pgettext("sort", "best") })[order];
  const reasons = () => [["spam", gettext("Spam")], ["abuse", gettext("Abuse")], ["off-topic", gettext("Off-topic")],
    ["other", gettext("Other")]];
  // The choices of discussion.forms.CommentForm.notify (FollowMode), with the same words.
  const notifyChoices = () => [["none", gettext("Nothing")], ["all", gettext("Every new comment on the thread")],
    ["replies", gettext("Replies to my comments")]];
  const CONTEXT_SEPARATOR = "\x04"; // how gettext catalogues key a string that has a context
  function pgettext(context, text) {
    const lookup = gettext; // not spelt gettext(...), so that makemessages does not take the key for a string
    const found = lookup(context + CONTEXT_SEPARATOR + text);
    return found.includes(CONTEXT_SEPARATOR) ? text : found;
  }

  /** The catalogue for `lang` from our server, unless the page already carries one. */
  async function loadCatalogue() {
    if (document.getElementById("tribuna-i18n")) return;
    try {
      const response = await fetch(server + "/i18n/" + encodeURIComponent(lang.toLowerCase()) + ".json");
      if (response.ok) ({ gettext, ngettext, interpolate } = window.tribunaI18n.translator(await response.json()));
    } catch (e) { /* the English strings stay */ }
  }

  /** "3 hours ago" within a week, a date beyond it; the exact moment in the tooltip. */
  function timeNode(iso) {
    const moment = new Date(iso), seconds = (moment - Date.now()) / 1000;
    const units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
    let text;
    if (-seconds < 7 * 86400) {
      const [unit, size] = units.find(([, size]) => Math.abs(seconds) >= size) || ["second", 1];
      text = new Intl.RelativeTimeFormat(lang, { numeric: "auto" }).format(Math.round(seconds / size), unit);
    } else {
      text = new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(moment);
    }
    const exact = new Intl.DateTimeFormat(lang, { dateStyle: "full", timeStyle: "short" }).format(moment);
    return el("time", { datetime: iso, title: exact, text });
  }

  let sort = "oldest";
  let open = true;
  let count = 0;
  let uid = 0;
  let form = null;  // the one comment form; a reply moves it under the comment answered
  let home = null;  // marks where the form lives when it is not a reply
  let list, nav, more, next, title;
  const status = el("div", { class: "status", role: "status", "aria-live": "polite" });

  // --- small helpers -----------------------------------------------------------------------
  /** A page's thread key: its absolute address without the fragment (the server normalises the rest). */
  function pageKey(value) {
    if (/^https?:\/\//i.test(value)) return value.split("#")[0];
    return location.origin + (value.startsWith("/") ? value : "/" + value).split("#")[0];
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
    return node;
  }

  function button(text, onClick, attrs) {
    const node = el("button", Object.assign({ type: "button", text }, attrs));
    node.addEventListener("click", onClick);
    return node;
  }

  function sanitisedHtml(html) {
    const template = document.createElement("template");
    template.innerHTML = html; // the server's nh3-sanitised rendering: see the header comment
    return template.content;
  }

  // The host page's localStorage is readable by every script on that site, so it keeps only
  // the name the reader typed. Edit tokens live in this page's memory: a reload ends the
  // chance to edit. A cookie of our own origin would survive a reload, but inside another
  // site it is a third-party cookie, which Safari and Firefox block and Chrome is phasing out.
  const NAME_KEY = "tribuna.name";
  const store = {
    get(name) { try { return localStorage.getItem(name); } catch (e) { return null; } },
    set(name, value) { try { localStorage.setItem(name, value); } catch (e) { /* storage off */ } },
    drop(name) { try { localStorage.removeItem(name); } catch (e) { /* storage off */ } },
  };
  const edits = new Map(); // comment id -> { token, text, expires }

  /** The edit token for a comment posted from this page, while its edit window lasts. */
  function editEntry(id) {
    const entry = edits.get(String(id));
    if (entry && entry.expires > Date.now()) return entry;
    edits.delete(String(id));
    return null;
  }

  function say(message, isError) {
    status.classList.toggle("error", !!isError);
    status.textContent = message;
  }

  function problem(response) {
    const detail = response.data.detail || (response.data.errors ? Object.values(response.data.errors).flat().join(" ") : "");
    return detail || interpolate(gettext("Something went wrong (HTTP %(status)s). Please try again."),
      { status: response.status });
  }

  /** One API call; network and CORS failures come back as status 0 with a readable detail. */
  async function call(method, path, body, headers) {
    const init = {
      method,
      credentials: sameOrigin ? "same-origin" : "omit", // never third-party cookies
      headers: Object.assign({ Accept: "application/json", "Accept-Language": lang }, headers),
    };
    if (method !== "GET") init.headers["X-Tribuna"] = "1";
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(server + "/api/v1/" + path, init);
    } catch (e) {
      return { status: 0, data: { detail: sameOrigin ? gettext("The comment server could not be reached. Please try again.")
        : gettext("The comment server could not be reached, or it does not accept comments from this site.") } };
    }
    let data = {};
    if (response.status !== 204) {
      try { data = await response.json(); } catch (e) { data = {}; }
    }
    const wait = response.headers.get("Retry-After");
    if (response.status === 429 && wait) {
      data.detail = (data.detail || gettext("Too many requests.")) + " " +
        interpolate(ngettext("Try again in %(n)s second.", "Try again in %(n)s seconds.", Number(wait)), { n: wait });
    }
    return { status: response.status, data: data || {} };
  }

  // --- comments ----------------------------------------------------------------------------
  function quotes(comment) {
    return (comment.anchor || []).filter((s) => s && s.type === "TextQuoteSelector" && s.exact).map((s) =>
      el("blockquote", { class: "passage-quote" + (comment.anchor_orphaned ? " orphaned" : ""), text: s.exact }));
  }

  /** The same markup as templates/discussion/comment.html, built from the API's JSON. */
  function commentNode(c) {
    const label = { "aria-label": c.deleted ? gettext("Deleted comment")
      : interpolate(gettext("Comment by %(name)s"), { name: c.author.name }) };
    const article = c.deleted ? el("article", label, el("p", { class: "placeholder", text: gettext("[deleted]") }))
      : el("article", label,
        el("header", { class: "comment-meta" },
          c.author.avatar && el("img", { class: "avatar", src: server + c.author.avatar, alt: "", width: 32, height: 32,
            loading: "lazy" }),
          authorNode(c.author),
          c.moderator && el("span", { class: "badge", text: gettext("moderator") }),
          c.pinned && el("span", { class: "badge", text: gettext("pinned") }),
          el("a", { class: "permalink", href: server + "/c/" + c.id + "/" }, timeNode(c.created)),
          c.edited && el("span", { class: "edited", text: gettext("edited") })),
        c.reply_to && el("p", { class: "reply-to" }, gettext("in reply to") + " ",
          el("a", { href: "#c" + c.reply_to.id, dir: "auto", text: c.reply_to.name })),
        ...quotes(c),
        el("div", { class: "comment-text", dir: "auto" }, sanitisedHtml(c.html)),
        el("footer", { class: "comment-actions" }, el("span", { class: "score" },
          el("span", { class: "sr-only", text: gettext("Score") + " " }), el("span", { class: "score-value", text: c.score }))));
    const li = el("li", { class: "comment" + (c.deleted ? " comment-deleted" : "") + (c.pinned ? " comment-pinned" : ""),
      id: "c" + c.id, "data-id": c.id }, article,
      c.replies && c.replies.length > 0 && el("ol", { class: "replies" }, ...c.replies.map(commentNode)));
    decorate(li);
    return li;
  }

  function authorNode(author) {
    const attrs = { class: "author", dir: "auto", text: author.name };
    // The server only keeps absolute http(s) addresses; checked again before it becomes a link.
    if (!/^https?:\/\//i.test(author.url || "")) return el("span", attrs);
    return el("a", Object.assign(attrs, { href: author.url, rel: "nofollow ugc noopener" }));
  }

  const part = (li, selector) => li.querySelector(":scope > article > " + selector);
  const authorOf = (li) => (part(li, ".comment-meta .author") || {}).textContent || "";

  /** Add the interactive controls to one comment (server-rendered or ours). */
  function decorate(li) {
    if (li.dataset.ready) return;
    li.dataset.ready = "1";
    const id = li.dataset.id;
    const actions = part(li, "footer.comment-actions");
    if (!actions) return; // deleted: nothing to act on
    const score = actions.querySelector(".score");
    const name = authorOf(li);
    if (score) {
      score.before(button("▲", () => vote(li, 1), { class: "vote",
        "aria-label": interpolate(gettext("Vote up the comment by %(name)s"), { name }) }));
      score.after(button("▼", () => vote(li, -1), { class: "vote",
        "aria-label": interpolate(gettext("Vote down the comment by %(name)s"), { name }) }));
    }
    if (open && form) {
      const link = actions.querySelector(".reply-link");
      if (link) link.remove(); // our button moves the form instead
      actions.append(button(gettext("Reply"), () => setReply(li), { class: "reply-link",
        "aria-label": interpolate(gettext("Reply to %(name)s"), { name }) }));
    }
    if (editEntry(id)) {
      actions.append(button(gettext("Edit"), () => startEdit(li), { class: "edit" }),
        button(gettext("Delete"), () => remove(li), { class: "delete" }));
    }
    actions.append(button(gettext("Report"), () => startReport(li), { class: "report",
      "aria-label": interpolate(gettext("Report the comment by %(name)s"), { name }) }));
  }

  function note(li, message) {
    let p = part(li, ".action-note");
    if (!p) part(li, "footer").after(p = el("p", { class: "action-note" }));
    p.textContent = message;
  }

  function failed(li, response) {
    note(li, problem(response));
    say(problem(response), true);
  }

  function findComment(id) {
    return list.querySelector('li.comment[data-id="' + Number(id) + '"]');
  }

  function setCount(n) {
    count = Math.max(0, n);
    const span = root.querySelector(".count");
    if (span) span.textContent = "(" + count + ")";
  }

  function insert(comment) {
    const li = commentNode(comment);
    const parent = comment.parent && findComment(comment.parent);
    if (parent) {
      let replies = parent.querySelector(":scope > ol.replies");
      if (!replies) parent.append(replies = el("ol", { class: "replies" }));
      replies.append(li);
    } else {
      const empty = list.querySelector(".no-comments");
      if (empty) empty.remove();
      if (sort === "newest") list.prepend(li); else list.append(li);
    }
    setCount(count + 1);
    return li;
  }

  function focusOn(node) {
    node.setAttribute("tabindex", "-1");
    node.focus();
  }

  // --- reading: pages, sorting, "view more" ------------------------------------------------
  async function load(order, cursor) {
    const query = new URLSearchParams({ thread: key, sort: order });
    if (cursor) query.set("cursor", cursor);
    root.setAttribute("aria-busy", "true");
    const response = await call("GET", "comments?" + query);
    root.removeAttribute("aria-busy");
    if (response.status === 404) return { thread: { count: 0, open: true }, comments: [], next: null }; // created on first post
    if (response.status !== 200) {
      say(gettext("The comments could not be loaded.") + " " + problem(response), true);
      return null;
    }
    return response.data;
  }

  function show(page, append) {
    if (!append) {
      if (form && form.elements.parent.value) setReply(null);
      list.textContent = "";
    }
    const added = page.comments.filter((c) => !findComment(c.id)).map(commentNode);
    list.append(...added);
    if (!list.children.length) {
      list.append(el("li", { class: "no-comments", text: gettext("No comments yet. Be the first to reply.") }));
    }
    setNext(page.next);
    return added;
  }

  async function sortBy(order) {
    const page = await load(order, null);
    if (!page) return;
    sort = order;
    show(page, false);
    for (const b of nav.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.value === sort));
    say(interpolate(gettext("Comments sorted by %(order)s."), { order: sortLabel(sort) }));
  }

  async function loadMore() {
    const page = await load(sort, next);
    if (!page) return;
    const added = show(page, true);
    if (added.length) focusOn(added[0].querySelector("article"));
    say(interpolate(ngettext("%(n)s more comment shown.", "%(n)s more comments shown.", added.length), { n: added.length }));
  }

  function buildSort() {
    nav.textContent = gettext("Sort by:") + " ";
    SORTS.forEach((order, i) => {
      if (i) nav.append(" · ");
      nav.append(button(sortLabel(order), () => sortBy(order), { value: order, "aria-pressed": String(order === sort) }));
    });
  }

  function setNext(cursor) {
    next = cursor;
    more.textContent = "";
    if (next) more.append(button(gettext("View more comments"), loadMore, { class: "button" }));
  }

  // --- writing: the comment form ------------------------------------------------------------
  function clearErrors(f) {
    for (const p of f.querySelectorAll(".field-error, .form-errors")) p.remove();
    for (const input of f.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    }
  }

  /** Field errors beside their fields; the rest, and a summary, in the live region. */
  function showErrors(f, errors) {
    let first = null;
    const all = [];
    for (const [name, messages] of Object.entries(errors)) {
      all.push(...messages);
      const input = f.elements[name];
      if (!input || input.type === "hidden" || name === "homepage") continue;
      const id = "tribuna-error-" + ++uid;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      input.after(el("p", { class: "field-error", id, text: messages.join(" ") }));
      first = first || input;
    }
    say(gettext("Please correct this:") + " " + all.join(" "), true);
    if (first) first.focus();
  }

  function setReply(li) {
    const heading = form.querySelector("h3");
    form.elements.parent.value = li ? li.dataset.id : "";
    heading.textContent = "";
    if (li) {
      heading.append(gettext("Reply to") + " ", el("span", { dir: "auto", text: authorOf(li) }), " ",
        button(gettext("Cancel reply"), () => { setReply(null); focusOn(part(li, "footer .reply-link") || li); }, { class: "secondary" }));
      part(li, "footer").after(form);
      form.elements.text.focus();
    } else {
      heading.textContent = gettext("Leave a reply");
      home.after(form);
    }
  }

  async function submit(event) {
    event.preventDefault();
    if (event.submitter && event.submitter.name === "preview") return showPreview();
    if (form.dataset.busy) return;
    form.dataset.busy = "1";
    clearErrors(form);
    const value = (name) => (form.elements[name] ? form.elements[name].value : "");
    const payload = {
      thread: key, parent: value("parent") ? Number(value("parent")) : null, text: value("text"),
      name: value("name"), email: value("email"), url: value("url"), notify: value("notify") || "none",
      form_token: value("form_token") || null, homepage: value("homepage"),
      title: document.title.slice(0, 300),
    };
    // A passage comment (set by inline.js) is a top-level comment on that passage.
    if (form.dataset.anchor && !payload.parent) payload.anchor = JSON.parse(form.dataset.anchor);
    say(gettext("Posting your comment…"));
    payload.altcha = await proofOfWork();
    const response = await call("POST", "comments", payload);
    delete form.dataset.busy;
    resetProof(); // a solution counts once; the next comment gets a new challenge
    if (response.status === 400 && response.data.errors) return showErrors(form, response.data.errors);
    if (response.status !== 201) return say(problem(response), true);
    const posted = response.data;
    store.set(NAME_KEY, payload.name);
    edits.set(String(posted.id), { token: posted.edit_token, text: payload.text,
      expires: Date.now() + posted.edit_seconds * 1000 });
    form.elements.text.value = "";
    if (payload.anchor) delete form.dataset.anchor;
    if (posted.status === "approved") {
      const li = insert(posted.comment);
      if (payload.parent) setReply(null);
      focusOn(li.querySelector("article"));
    }
    say(posted.message || gettext("Your comment was received."));
  }

  // --- proof of work -------------------------------------------------------------------------
  // The ALTCHA widget (npm "altcha", served by Tribuna itself) solves a small proof-of-work
  // challenge unseen while the reader writes; a comment without a solution is held for a
  // moderator, never refused. Its worker must come from the host page's own origin, so on
  // other sites it is fetched and started from a blob: URL.
  let altchaLoaded = null;

  function loadAltcha() {
    altchaLoaded = altchaLoaded || (async () => {
      document.head.append(el("link", { rel: "stylesheet", href: server + "/altcha.css" })); // keeps it out of sight
      await import(server + "/altcha.js");
      let worker = server + "/altcha-worker.js";
      if (!sameOrigin) {
        const code = await (await fetch(worker, { credentials: "omit" })).text();
        worker = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
      }
      globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(worker));
    })();
    return altchaLoaded;
  }

  async function addProofOfWork(f) {
    try {
      await loadAltcha();
    } catch (e) {
      return; // blocked by the host page's policy, or offline: the comment will wait for a moderator
    }
    f.append(el("altcha-widget", {
      challenge: server + "/api/v1/pow-challenge", name: "altcha", auto: "onfocus", display: "invisible",
      configuration: JSON.stringify({ hideLogo: true, hideFooter: true, minDuration: 0 }),
    }));
  }

  /** The solution to send with a comment: solved already while the reader wrote, or now. */
  async function proofOfWork() {
    const widget = form.querySelector("altcha-widget");
    if (!widget) return "";
    if (typeof widget.verify !== "function") await new Promise((resolve) => setTimeout(resolve, 50)); // still setting up
    if (typeof widget.verify !== "function") return "";
    try {
      if (widget.getState() !== "verified") await widget.verify();
    } catch (e) { /* no solution: held for a moderator */ }
    const input = form.querySelector("input[name=altcha]");
    return input ? input.value : "";
  }

  function resetProof() {
    const widget = form.querySelector("altcha-widget");
    if (widget && typeof widget.reset === "function") widget.reset();
  }

  function setupForm(f) {
    if (f.dataset.moderator) { f.after(status); return; } // a moderator's form posts as a plain form
    form = f;
    addProofOfWork(f);
    home = document.createComment("tribuna form");
    form.before(home);
    form.append(status);
    const name = store.get(NAME_KEY);
    if (form.elements.name && !form.elements.name.value && name) form.elements.name.value = name;
    form.addEventListener("submit", submit);
    watchLength(form.elements.text);
    const cancel = form.querySelector(".cancel-reply");
    if (cancel) cancel.addEventListener("click", (event) => { event.preventDefault(); setReply(null); });
    const replyTo = form.elements.parent.value && findComment(form.elements.parent.value);
    if (replyTo) setReply(replyTo);
  }

  /** Near the limit, how many characters are left; the server refuses longer texts with a clear error. */
  function watchLength(area) {
    if (!area) return;
    const counter = el("p", { class: "hint char-count", "aria-live": "polite" });
    area.after(counter);
    const update = () => {
      const left = MAX_TEXT - area.value.length;
      counter.hidden = left > 1000;
      counter.classList.toggle("over", left < 0);
      counter.textContent = left >= 0
        ? interpolate(ngettext("%(n)s character left", "%(n)s characters left", left), { n: left })
        : interpolate(ngettext("%(n)s character too many", "%(n)s characters too many", -left), { n: -left });
    };
    area.addEventListener("input", update);
    update();
  }

  /** The text as it will be published: rendered and sanitised by the server, shown above the name fields. */
  async function showPreview() {
    let box = form.querySelector(".comment-preview");
    if (!box) {
      box = el("section", { class: "comment-preview", "aria-label": gettext("Preview") },
        el("h4", { text: gettext("Preview") }), el("div", { class: "comment-text", dir: "auto" }));
      form.querySelector(".field-text").after(box);
    }
    const response = await call("POST", "preview", { text: form.elements.text.value });
    if (response.status !== 200) return say(problem(response), true);
    const body = box.querySelector(".comment-text");
    body.replaceChildren(response.data.html ? sanitisedHtml(response.data.html)
      : el("p", { class: "hint", text: gettext("Nothing to preview yet.") }));
    say(gettext("Preview shown above the name field."));
  }

  function formatHelp() {
    const code = (text) => el("code", { text });
    return el("details", { class: "format-help" }, el("summary", { text: gettext("Formatting help") }),
      el("ul", {},
        el("li", {}, code("*" + gettext("italic") + "*"), " · ", code("**" + gettext("bold") + "**"), " · ", code("`code`")),
        el("li", {}, code("[" + gettext("a link") + "](https://example.org)")),
        el("li", {}, code("> " + gettext("a quotation")), " · ", code("- " + gettext("a list item")), " · ",
          code("1. " + gettext("a numbered item"))),
        el("li", { text: gettext("A blank line starts a new paragraph. Images and raw HTML are not shown.") })));
  }

  function field(name, label, hint, input) {
    input.id = "tribuna-" + name;
    input.name = name;
    return el("div", { class: "field field-" + name },
      el("label", { for: input.id }, label, hint && " ", hint && el("span", { class: "hint", text: hint })), input);
  }

  /** The form of templates/discussion/form.html, for pages the server did not render. */
  function buildForm() {
    const notify = el("select", {}, ...notifyChoices().map(([value, text]) => el("option", { value, text })));
    return el("form", { class: "comment-form", id: "tribuna-reply-form", novalidate: true },
      el("h3", { text: gettext("Leave a reply") }),
      el("input", { type: "hidden", name: "parent" }), el("input", { type: "hidden", name: "form_token" }),
      el("div", { class: "field field-text" },
        ...field("text", gettext("Comment"), gettext("(Markdown)"), el("textarea", { rows: 5, required: true })).childNodes,
        formatHelp()),
      el("div", { class: "field-row" },
        field("name", gettext("Name"), gettext("(required)"), el("input", { type: "text", maxlength: 100, autocomplete: "name", required: true })),
        field("email", gettext("Email"), gettext("(optional, never shown)"), el("input", { type: "email", maxlength: 254, autocomplete: "email" })),
        field("url", gettext("Website"), gettext("(optional)"), el("input", { type: "text", maxlength: 2048, autocomplete: "url" }))),
      field("notify", gettext("Notify of"), gettext("(needs an email)"), notify),
      el("div", { class: "hp", "aria-hidden": "true" }, el("label", { for: "tribuna-homepage", text: gettext("Leave this empty") }),
        el("input", { type: "text", id: "tribuna-homepage", name: "homepage", tabindex: "-1", autocomplete: "off" })),
      el("p", { class: "form-footer" }, el("button", { type: "submit", text: gettext("Post comment") }),
        el("button", { type: "submit", name: "preview", value: "1", class: "secondary", text: gettext("Preview") }),
        el("a", { href: server + "/privacy/", text: gettext("Learn how your comment data is processed") })));
  }

  // --- acting on one comment: vote, edit, delete, report ------------------------------------
  async function vote(li, value) {
    const response = await call("POST", "comments/" + li.dataset.id + "/vote", { value });
    if (response.status !== 200) return failed(li, response);
    part(li, "footer .score-value").textContent = response.data.score;
    say(interpolate(gettext("Vote recorded. The score is now %(score)s."), { score: response.data.score }));
  }

  function expired(li) {
    for (const b of li.querySelectorAll(":scope > article > footer > .edit, :scope > article > footer > .delete")) b.remove();
    say(gettext("The time to edit this comment has passed."), true);
  }

  function startEdit(li) {
    const entry = editEntry(li.dataset.id);
    const text = part(li, ".comment-text");
    if (!entry) return expired(li);
    if (part(li, ".edit-form")) return part(li, ".edit-form textarea").focus();
    const id = "tribuna-edit-" + ++uid;
    const area = el("textarea", { id, name: "text", rows: 5 });
    area.value = entry.text || "";
    const close = () => { edit.remove(); text.hidden = false; };
    const edit = el("form", { class: "edit-form", novalidate: true },
      el("label", { for: id, text: gettext("Edit your comment") }), area,
      el("p", { class: "form-footer" }, el("button", { type: "submit", text: gettext("Save") }),
        button(gettext("Cancel"), () => { close(); part(li, "footer .edit").focus(); }, { class: "secondary" })));
    edit.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(edit);
      const response = await call("PATCH", "comments/" + li.dataset.id, { text: area.value, edit_token: entry.token });
      if (response.status === 400 && response.data.errors) return showErrors(edit, response.data.errors);
      if (response.status === 403) {
        close();
        return expired(li);
      }
      if (response.status !== 200) return say(problem(response), true);
      text.replaceChildren(sanitisedHtml(response.data.html));
      entry.text = area.value;
      if (!part(li, ".comment-meta .edited")) part(li, ".comment-meta").append(el("span", { class: "edited", text: gettext("edited") }));
      close();
      part(li, "footer .edit").focus();
      say(gettext("Your changes are saved."));
    });
    text.hidden = true;
    text.after(edit);
    area.focus();
  }

  async function remove(li) {
    const entry = editEntry(li.dataset.id);
    if (!entry) return expired(li);
    if (!window.confirm(gettext("Delete your comment? This cannot be undone."))) return;
    const response = await call("DELETE", "comments/" + li.dataset.id, undefined, { "X-Edit-Token": entry.token });
    if (response.status === 403) return expired(li);
    if (response.status !== 204) return failed(li, response);
    edits.delete(String(li.dataset.id));
    if (form && form.parentNode === li) setReply(null);
    if (li.querySelector(":scope > ol.replies > li")) {
      li.classList.add("comment-deleted");
      li.querySelector(":scope > article").replaceChildren(el("p", { class: "placeholder", text: gettext("[deleted]") }));
    } else {
      li.remove();
    }
    setCount(count - 1);
    focusOn(title);
    say(gettext("Your comment was deleted."));
  }

  function startReport(li) {
    if (part(li, ".report-form")) return part(li, ".report-form select").focus();
    const reasonId = "tribuna-reason-" + ++uid;
    const noteId = "tribuna-note-" + uid;
    const opener = part(li, "footer .report");
    const reason = el("select", { id: reasonId, name: "reason" }, ...reasons().map(([value, text]) => el("option", { value, text })));
    const report = el("form", { class: "report-form", novalidate: true },
      el("div", { class: "field" }, el("label", { for: reasonId, text: gettext("Why should a moderator look at this comment?") }), reason),
      el("div", { class: "field" }, el("label", { for: noteId, text: gettext("Note (optional)") }),
        el("input", { type: "text", id: noteId, name: "note", maxlength: 500 })),
      el("p", { class: "form-footer" }, el("button", { type: "submit", text: gettext("Send report") }),
        button(gettext("Cancel"), () => { report.remove(); opener.focus(); }, { class: "secondary" })));
    report.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(report);
      const response = await call("POST", "comments/" + li.dataset.id + "/report",
        { reason: reason.value, note: report.elements.note.value });
      if (response.status === 400 && response.data.errors) return showErrors(report, response.data.errors);
      if (response.status >= 300) return say(problem(response), true);
      report.remove();
      opener.remove();
      note(li, gettext("Thank you. A moderator will review this comment."));
      focusOn(part(li, ".action-note"));
      say(gettext("Thank you. A moderator will review this comment."));
    });
    part(li, "footer").after(report);
    reason.focus();
  }

  // --- start ----------------------------------------------------------------------------------
  function loadStyles() {
    // /embed.js loads /embed.css (thread.css + embed.css); the static embed.js of our own
    // pages loads the static embed.css beside it (thread.css is already on those pages).
    const href = script.src.replace(/\.js(\?.*)?$/, ".css");
    if (![...document.styleSheets].some((sheet) => sheet.href === href)) document.head.append(el("link", { rel: "stylesheet", href }));
  }

  /** Earlier versions kept the email address, website and edit tokens in the host page's storage. */
  function forget() {
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const name = localStorage.key(i);
        if (name && name.startsWith("tribuna.edit.")) store.drop(name);
      }
      const author = JSON.parse(localStorage.getItem("tribuna.author"));
      if (author && typeof author.name === "string" && !store.get(NAME_KEY)) store.set(NAME_KEY, author.name);
    } catch (e) { /* storage off, or nothing to read */ }
    store.drop("tribuna.author");
  }

  function takeOver() {
    title = root.querySelector("h2") || root;
    list = root.querySelector("ol.comments");
    nav = root.querySelector("nav.sort");
    const current = nav && nav.querySelector("[aria-current]");
    sort = current && SORTS.includes(current.dataset.sort) ? current.dataset.sort : "oldest";
    count = Number(root.dataset.count) || 0;
    const f = root.querySelector("form.comment-form");
    open = !!f;
    if (f) setupForm(f); else title.after(status);
    if (nav) buildSort();
    const link = root.querySelector("p.more a[rel=next]");
    more = (link && link.parentNode) || el("p", { class: "more" });
    list.after(more);
    setNext(link ? new URL(link.href).searchParams.get("cursor") : null);
    for (const li of list.querySelectorAll("li.comment")) decorate(li);
  }

  async function build() {
    root.classList.add("tribuna", "tribuna-embedded");
    title = el("h2", { tabindex: "-1" }, gettext("Discussion") + " ", el("span", { class: "count" }));
    list = el("ol", { class: "comments", "aria-label": gettext("Comments") });
    nav = el("nav", { class: "sort", "aria-label": gettext("Sort comments") });
    more = el("p", { class: "more" });
    root.replaceChildren(title, status);
    say(gettext("Loading comments…"));
    const [page, token] = await Promise.all([load(sort, null), call("GET", "form-token")]);
    const thread = page ? page.thread : { count: 0, open: true };
    open = thread.open;
    setCount(thread.count);
    if (open) {
      const f = buildForm();
      title.after(f);
      setupForm(f);
      if (token.status === 200) form.elements.form_token.value = token.data.form_token;
    } else {
      title.after(el("p", { class: "closed", text: gettext("This discussion is closed to new comments.") }), status);
    }
    buildSort();
    root.append(nav, list, more);
    if (page) {
      show(page, false);
      say("");
      await revealTarget();
    }
  }

  /** A permalink (#c123) to a comment past the first page: load pages until it shows, then mark it. */
  async function revealTarget() {
    const wanted = /^#c(\d+)$/.exec(location.hash);
    if (!wanted) return;
    for (let pages = 0; pages < 20 && !findComment(wanted[1]) && next; pages++) {
      const page = await load(sort, next);
      if (!page) return;
      show(page, true);
    }
    const li = findComment(wanted[1]) || list.querySelector("#c" + Number(wanted[1]));
    if (!li) return;
    li.classList.add("is-target");
    li.scrollIntoView({ block: "center" });
  }

  /** data-theme: "light", "dark", or "auto" (the default in other sites' pages): follow the host page's own
   * background, then its color-scheme, then the reader's system setting. */
  function applyTheme() {
    const wanted = script.dataset.theme || (enhance ? "" : "auto");
    if (wanted !== "light" && wanted !== "dark" && wanted !== "auto") return;
    const dark = wanted === "auto" ? hostIsDark() : wanted === "dark";
    root.classList.add(dark ? "tribuna-dark" : "tribuna-light");
  }

  function hostIsDark() {
    for (let node = root.parentElement; node; node = node.parentElement) {
      const rgba = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?/.exec(getComputedStyle(node).backgroundColor);
      if (rgba && (rgba[4] === undefined || Number(rgba[4]) > 0.5)) {
        const [r, g, b] = rgba.slice(1, 4).map(Number);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
      }
    }
    const scheme = getComputedStyle(document.documentElement).colorScheme || "";
    if (/\bdark\b/.test(scheme) && !/\blight\b/.test(scheme)) return true;
    if (/\blight\b/.test(scheme) && !/\bdark\b/.test(scheme)) return false;
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  forget();
  loadStyles();
  applyTheme();
  loadCatalogue().then(() => (enhance && root.querySelector("ol.comments") ? takeOver() : build()));
})();
