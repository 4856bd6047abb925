/* Translations for Tribuna's scripts, on its own pages and in the widget (/embed.js starts with this file): the catalogue the page carries as JSON
 * (<script id="tribuna-i18n" type="application/json">), looked up like Django's gettext.
 * Plural forms are picked with Intl.PluralRules, whose categories come in the same order as
 * the catalogues' gettext plural forms, so no plural expression is ever evaluated (CSP forbids eval). */
(function () {
  "use strict";
  const ORDER = ["zero", "one", "two", "few", "many", "other"];

  function translator(data) {
    const catalog = (data && data.catalog) || {};
    const language = (data && data.language) || document.documentElement.lang || "en";
    const rules = new Intl.PluralRules(language);
    const categories = rules.resolvedOptions().pluralCategories.sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    return {
      language,
      gettext: (text) => (typeof catalog[text] === "string" && catalog[text]) || text,
      ngettext(singular, plural, n) {
        const forms = catalog[singular];
        const form = Array.isArray(forms) ? forms[categories.indexOf(rules.select(n))] : "";
        return form || (n === 1 ? singular : plural);
      },
      interpolate: (format, values) => format.replace(/%\((\w+)\)s/g, (_, key) => String(values[key])),
    };
  }

  if (window.tribunaI18n) return; // /embed.js carries this file too; a page may load both
  const element = document.getElementById("tribuna-i18n");
  window.tribunaI18n = { translator, page: translator(element ? JSON.parse(element.textContent) : null) };
})();
