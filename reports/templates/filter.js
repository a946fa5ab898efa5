(function () {
  "use strict";
  var form = document.getElementById("lk-filter");
  if (!form) { return; }
  var kreis = form.elements.kreis, org = form.elements.org, domain = form.elements.domain;
  var status = document.getElementById("lk-filter-status");
  var lang = document.documentElement.lang || "de";
  var items = Array.prototype.filter.call(
    document.querySelectorAll("[data-kreis],[data-org],[data-domain]"),
    function (el) { return !form.contains(el); });
  function matches(el, k, o, d) {
    var ds = el.dataset;
    return (!k || !ds.kreis || ds.kreis === k) && (!o || !ds.org || ds.org === o) &&
      (!d || !ds.domain || ds.domain === d);
  }
  function apply() {
    var k = kreis.value, o = org.value, d = domain.value, shown = 0, total = 0, i, el, ok;
    for (i = 0; i < org.options.length; i++) {
      var op = org.options[i];
      if (op.value) { op.hidden = !!k && op.dataset.kreis !== k; }
    }
    if (o && org.selectedOptions.length && org.selectedOptions[0].hidden) { org.value = ""; o = ""; }
    for (i = 0; i < items.length; i++) {
      el = items[i];
      ok = matches(el, k, o, d);
      el.classList.toggle("lk-hidden", !ok);
      if (el.tagName === "TR") { total++; if (ok) { shown++; } }
    }
    if (status) {
      status.textContent = status.dataset.template
        .replace("{shown}", shown.toLocaleString(lang)).replace("{total}", total.toLocaleString(lang));
    }
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  if (kreis.value || org.value || domain.value) {
    apply();  // the browser restored a selection (back/forward)
  } else if (status) {
    var rows = 0;  // nothing filtered yet: count only, touch no element (fast load of large reports)
    for (var i = 0; i < items.length; i++) { if (items[i].tagName === "TR") { rows++; } }
    status.textContent = status.dataset.template
      .replace("{shown}", rows.toLocaleString(lang)).replace("{total}", rows.toLocaleString(lang));
  }
}());
