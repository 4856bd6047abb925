/* Comment counts on listing pages: <span data-tribuna-count="/path/">…</span> (a page of this site,
 * or a full address) or data-tribuna-count-statement="slug". Loaded as
 *   <script src="https://HOST/count.js" async></script>
 * it asks HOST once for every count on the page, with a plain cacheable GET, and writes
 * "3 comments" into each element, in the element's language or the page's. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script) return;
  const server = new URL(script.src, location.href).origin;
  const lang = script.dataset.lang || document.documentElement.lang || "en";
  const keyOf = (value) => (/^https?:\/\//i.test(value) ? value : location.origin + (value.startsWith("/") ? value : "/" + value)).split("#")[0];

  async function run() {
    const elements = [...document.querySelectorAll("[data-tribuna-count], [data-tribuna-count-statement]")];
    if (!elements.length) return;
    const keys = elements.map((e) => e.dataset.tribunaCountStatement || keyOf(e.dataset.tribunaCount));
    const query = new URLSearchParams();
    [...new Set(keys)].slice(0, 200).forEach((key) => query.append("thread", key));
    let translate = window.tribunaI18n.page;
    try {
      const [answer, catalogue] = await Promise.all([
        fetch(server + "/api/v1/counts?" + query, { credentials: "omit" }),
        fetch(server + "/i18n/" + encodeURIComponent(lang.toLowerCase()) + ".json").catch(() => null),
      ]);
      if (catalogue && catalogue.ok) translate = window.tribunaI18n.translator(await catalogue.json());
      if (!answer.ok) return;
      const { counts } = await answer.json();
      const { ngettext, interpolate } = translate;
      elements.forEach((element, i) => {
        const n = counts[keys[i]];
        if (n === undefined) return;
        element.textContent = interpolate(ngettext("%(n)s comment", "%(n)s comments", n), { n });
        element.dataset.tribunaCounted = String(n);
      });
    } catch (e) { /* counts are a nicety: the page stays as it was */ }
  }
  run();
})();
