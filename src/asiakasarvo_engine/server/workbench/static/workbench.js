// The workbench's glue on top of htmx: JSON bodies, the session's sequence number as
// If-Match, the CSRF header, repeat-group rows, choice filters and keyboard shortcuts.
// No inline script anywhere: the Content-Security-Policy allows scripts from this server only.
(function () {
  "use strict";

  function seq() { return document.body.dataset.seq || ""; }

  htmx.defineExtension("json-form", {
    onEvent: function (name, evt) {
      if (name === "htmx:configRequest" && evt.detail.verb !== "get") {
        evt.detail.headers["Content-Type"] = "application/json";
      }
      return true;
    },
    encodeParameters: function (xhr, parameters) {
      xhr.overrideMimeType("text/json");
      var body = {};
      parameters.forEach(function (value, key) {
        if (Object.prototype.hasOwnProperty.call(body, key)) {
          body[key] = [].concat(body[key], value);
        } else {
          body[key] = value;
        }
      });
      return JSON.stringify(body);
    }
  });

  document.addEventListener("htmx:configRequest", function (evt) {
    var token = document.querySelector('meta[name="csrf-token"]');
    if (token) { evt.detail.headers["X-CSRF-Token"] = token.content; }
    if (seq()) { evt.detail.headers["If-Match"] = '"' + seq() + '"'; }
    var elt = evt.detail.elt;
    if (elt.matches && elt.matches("[data-add-row]")) {
      var rows = document.querySelectorAll("#group-rows tr[data-row]");
      var next = 0;
      rows.forEach(function (row) { next = Math.max(next, Number(row.dataset.row) + 1); });
      evt.detail.parameters.index = String(next);
    }
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var tag = evt.detail.xhr.getResponseHeader("ETag");
    var match = tag && /^"?(\d+)"?$/.exec(tag);
    if (match) { document.body.dataset.seq = match[1]; }
  });

  document.addEventListener("click", function (evt) {
    var remove = evt.target.closest && evt.target.closest("[data-remove-row]");
    if (remove) {
      var form = remove.closest("form");
      remove.closest("tr").remove();
      if (form) { form.dispatchEvent(new Event("change", { bubbles: true })); }
    }
  });

  // A register record chosen on the front page is read here and sent as text (no upload form).
  document.addEventListener("change", function (evt) {
    if (!evt.target.matches || !evt.target.matches("[data-record-file]") || !evt.target.files.length) { return; }
    var form = evt.target.closest("form");
    var reader = new FileReader();
    reader.onload = function () {
      form.querySelector("input[name=record]").value = String(reader.result);
      htmx.trigger(form, "record-read");
    };
    reader.readAsText(evt.target.files[0]);
  });

  document.addEventListener("input", function (evt) {
    var filter = evt.target.dataset && evt.target.dataset.filter;
    if (!filter) { return; }
    var words = evt.target.value.trim().toLocaleLowerCase("fi");
    document.querySelectorAll("#" + filter + " label.option").forEach(function (label) {
      label.hidden = words !== "" && label.textContent.toLocaleLowerCase("fi").indexOf(words) < 0;
    });
  });

  // Long texts are saved while typing, 800 ms after the last key (and on leaving the field).
  var typing = null;
  document.addEventListener("input", function (evt) {
    var field = evt.target;
    if (field.tagName !== "TEXTAREA" || !field.form || field.form.id !== "answer") { return; }
    clearTimeout(typing);
    typing = setTimeout(function () { htmx.trigger(field.form, "save"); }, 800);
  });

  var keys = { ArrowRight: "next", ArrowLeft: "prev", d: "dont_know", n: "not_applicable", z: "undo", b: "back", s: "skipped", e: "views_differ" };
  document.addEventListener("keydown", function (evt) {
    if (!evt.altKey || evt.ctrlKey || evt.metaKey) { return; }
    var name = keys[evt.key] || keys[evt.key.toLowerCase()];
    var button = name && document.querySelector('[data-key="' + name + '"]');
    if (button) {
      evt.preventDefault();
      var active = document.activeElement;
      if (active && active.form && active.form.id === "answer") {
        // save what is being typed, then move on once it is saved: sent together, both would
        // carry the same If-Match and the second would be refused as a conflict
        var form = active.form;
        var saved = function (done) {
          if (done.detail.elt !== form) { return; }
          document.removeEventListener("htmx:afterRequest", saved);
          if (done.detail.xhr.status === 200) { button.click(); }
        };
        document.addEventListener("htmx:afterRequest", saved);  // after the If-Match update above
        form.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      button.click();
    }
  });
})();

// Sign-in (server mode): the API answers 204 with the cookie, or a problem to show.
document.addEventListener("htmx:afterRequest", function (evt) {
  var form = evt.detail.elt;
  if (!form.matches || !form.matches("form[data-after]")) { return; }
  var xhr = evt.detail.xhr;
  if (xhr.status === 204) { window.location.assign(form.dataset.after); return; }
  var out = form.querySelector("output");
  try { out.textContent = JSON.parse(xhr.responseText).detail; } catch (e) { out.textContent = String(xhr.status); }
});

// The client's screen: follow the session's stream and fetch the view again on each update.
(function () {
  var present = document.getElementById("present");
  if (!present || !window.EventSource) { return; }
  var source = new EventSource(present.dataset.stream);
  source.addEventListener("update", function () {
    htmx.ajax("GET", present.dataset.view, { target: "#present", swap: "innerHTML" });
  });
})();
