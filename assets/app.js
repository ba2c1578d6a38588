// Parley's own behaviour, attached by delegation so pages need no inline
// script (the CSP forbids it). htmx is configured by the htmx-config meta tag.
(function () {
  "use strict";

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute("content") : "";
  }

  // Every htmx request carries the session's CSRF token when the page has one.
  document.body.addEventListener("htmx:configRequest", function (evt) {
    var token = meta("csrf-token");
    if (token) {
      evt.detail.headers["X-CSRF-Token"] = token;
    }
  });

  // Error responses carry a rendered message fragment; show it in the flash
  // area instead of failing silently (htmx does not swap 4xx/5xx bodies).
  document.body.addEventListener("htmx:responseError", function (evt) {
    var flash = document.getElementById("flash");
    var xhr = evt.detail.xhr;
    if (!flash) {
      return;
    }
    if (xhr.getResponseHeader("Content-Type") &&
        xhr.getResponseHeader("Content-Type").indexOf("text/html") === 0) {
      flash.innerHTML = xhr.responseText;
    } else {
      flash.textContent = "The request failed (" + xhr.status + "). Try again.";
    }
  });
  document.body.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    if (flash) {
      flash.textContent = "Parley did not answer. Is it still running?";
    }
  });

  // Times are rendered in UTC by the server; show them in the viewer's zone.
  var formats = {
    "": new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }),
    "short": new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
  };
  function localizeTimes(root) {
    root.querySelectorAll("time[data-local]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      var fmt = formats[el.getAttribute("data-local")] || formats[""];
      if (!isNaN(d)) {
        el.title = el.textContent;
        el.textContent = fmt.format(d);
        el.removeAttribute("data-local");
      }
    });
  }
  localizeTimes(document);
  // htmx:load fires for every piece of content htmx inserts (swaps,
  // live rows from the event stream).
  document.body.addEventListener("htmx:load", function (evt) {
    var el = evt.detail && evt.detail.elt;
    if (el && el.querySelectorAll) {
      localizeTimes(el.parentNode || el);
    }
  });

  // The server ends the dashboard's live stream with "signed-out" when the
  // session ends (signed out elsewhere, revoked, expired): go to the
  // sign-in page. A stream that ends because its work is done (an import)
  // reloads its page when marked data-reload-on-close, so everything on
  // it (the rejected rows too) shows the final state.
  document.body.addEventListener("htmx:sseClose", function (evt) {
    if (!evt.detail || evt.detail.type !== "message" || !evt.target.getAttribute) {
      return;
    }
    if (evt.target.getAttribute("sse-close") === "signed-out") {
      window.location.assign("/login");
    } else if (evt.target.hasAttribute("data-reload-on-close")) {
      window.location.reload();
    }
  });

  // A new account's time zone defaults to this browser's.
  document.querySelectorAll("input[data-detect-zone]").forEach(function (el) {
    if (!el.value && window.Intl) {
      el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    }
  });

  // "Select all" checkboxes tick every box of the same name in their form.
  document.body.addEventListener("change", function (evt) {
    var all = evt.target.closest && evt.target.closest("input[data-select-all]");
    if (!all || !all.form) {
      return;
    }
    all.form.querySelectorAll('input[name="' + all.dataset.selectAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });

  // Buttons with data-busy-label say what they are doing while a request runs.
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var el = evt.detail.elt;
    if (el && el.dataset && el.dataset.busyLabel) {
      el.dataset.idleLabel = el.textContent;
      el.textContent = el.dataset.busyLabel;
      el.disabled = true;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (evt) {
    var el = evt.detail.elt;
    if (el && el.dataset && el.dataset.idleLabel) {
      el.textContent = el.dataset.idleLabel;
      el.disabled = false;
    }
  });
})();
