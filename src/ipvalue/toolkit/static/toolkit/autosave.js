// Keeps what is typed in a valuation form in the browser (localStorage) until the form is sent, so that
// navigating away loses nothing, and warns before leaving a form with changes. Works only as an addition:
// without JavaScript the server still keeps the inputs after every submission.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.localStorage) return;
  var key = "ipvalue:" + form.getAttribute("data-autosave");
  var dirty = false;
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit";
    });
  }
  var hasServerValues = fields().some(function (el) {
    return (el.type === "checkbox" || el.type === "radio") ? false : el.value && el.defaultValue;
  });
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "null");
    if (saved && !form.querySelector("[aria-invalid]")) {
      fields().forEach(function (el) {
        if (!(el.name in saved)) return;
        if (el.type === "checkbox") el.checked = saved[el.name] === "on";
        else if (!hasServerValues || !el.value) el.value = saved[el.name];
      });
    }
  } catch (e) { /* a damaged draft is ignored */ }
  form.addEventListener("input", function () {
    dirty = true;
    var data = {};
    fields().forEach(function (el) {
      data[el.name] = el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
    });
    localStorage.setItem(key, JSON.stringify(data));
  });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
