// Saves each answer on the server as it is given (PATCH /api/v1/responses/{token}) and shows or hides questions
// as the answers change. Works only as an addition: without JavaScript the page's buttons save everything.
(function () {
  "use strict";
  var form = document.querySelector("form[data-survey-form]");
  if (!form || !window.fetch) return;
  var api = form.getAttribute("data-api");
  var lang = form.getAttribute("data-lang");
  var status = form.querySelector("[data-save-status]");
  var pending = {};
  var timers = {};
  var inFlight = false;

  function message(name) { return form.getAttribute("data-msg-" + name) || ""; }
  function say(text) { if (status) status.textContent = text; }

  function valueOf(path) {
    var inputs = form.querySelectorAll('[name="' + CSS.escape(path) + '"]');
    if (!inputs.length) return undefined;
    var first = inputs[0];
    if (first.type === "file") return undefined;
    if (first.type === "checkbox") {
      var container = document.getElementById("q-" + path);
      if (container && container.getAttribute("data-type") === "acknowledge") return first.checked ? "OK" : "";
      return Array.prototype.filter.call(inputs, function (el) { return el.checked; })
        .map(function (el) { return el.value; });
    }
    if (first.type === "radio") {
      var chosen = Array.prototype.find.call(inputs, function (el) { return el.checked; });
      return chosen ? chosen.value : "";
    }
    return first.value;
  }

  function showError(path, text) {
    var error = document.getElementById("e-" + path);
    var container = document.getElementById("q-" + path);
    if (!error || !container) return;
    error.textContent = text || "";
    error.hidden = !text;
    container.classList.toggle("has-error", !!text);
    var input = container.querySelector("input:not([type=radio]):not([type=checkbox]), textarea");
    if (input) { if (text) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid"); }
  }

  function apply(data, sent) {
    (data.questions || []).forEach(function (question) {
      var element = document.getElementById("q-" + question.path);
      if (!element) return;
      element.hidden = !question.visible;
      var label = element.querySelector("[data-label]");
      if (label && element.classList.contains("survey-note")) label.textContent = question.label;
    });
    var errors = data.errors || {};
    Object.keys(sent).forEach(function (path) { showError(path, errors[path]); });
    Object.keys(errors).forEach(function (path) { showError(path, errors[path]); });
  }

  function flush() {
    if (inFlight) return;
    var answers = pending;
    if (!Object.keys(answers).length) return;
    pending = {};
    inFlight = true;
    say(message("saving"));
    fetch(api + "?lang=" + encodeURIComponent(lang), {
      method: "PATCH",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ answers: answers }),
      credentials: "omit"
    }).then(function (reply) {
      if (reply.status === 409) { say(message("locked")); return null; }
      if (reply.status !== 200 && reply.status !== 422) throw new Error("HTTP " + reply.status);
      return reply.json().then(function (data) {
        apply(data, answers);
        say(Object.keys(data.errors || {}).length ? message("refused") : message("saved"));
      });
    }).catch(function () {
      Object.keys(answers).forEach(function (path) { if (!(path in pending)) pending[path] = answers[path]; });
      say(message("offline"));
    }).then(function () {
      inFlight = false;
      if (Object.keys(pending).length) setTimeout(flush, 300);
    });
  }

  function queue(path, delay) {
    var value = valueOf(path);
    if (value === undefined) return;
    clearTimeout(timers[path]);
    timers[path] = setTimeout(function () { pending[path] = valueOf(path); flush(); }, delay);
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.name && target.name !== "csrfmiddlewaretoken") queue(target.name, 0);
  });
  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.name && (target.tagName === "TEXTAREA" || target.type === "text")) queue(target.name, 800);
  });
  form.addEventListener("submit", function () {
    Object.keys(timers).forEach(function (path) { clearTimeout(timers[path]); });
  });
  window.addEventListener("online", flush);
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
