// sitetest: the little JavaScript the LinkedIn-like pages need. Dialogs
// are fetched from the server and placed in the modal outlet (in the alt
// layout inside an open shadow root, as LinkedIn's interop outlet does);
// forms marked data-api post with the csrf-token header and act on the
// JSON answer: follow redirect, open modal, re-render the page, show toast.
(function () {
  "use strict";

  function csrfToken() {
    var m = document.cookie.match(/(?:^|;\s*)JSESSIONID=([^;]*)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // outlet is the element dialogs go into.
  function outlet() {
    var host = document.getElementById("interop-outlet");
    if (!host) {
      return document.getElementById("artdeco-modal-outlet");
    }
    if (!host.shadowRoot) {
      var root = host.attachShadow({ mode: "open" });
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/static/site.css";
      root.appendChild(css);
      var box = document.createElement("div");
      box.className = "interop-outlet__container";
      root.appendChild(box);
      // submit does not cross the shadow boundary.
      root.addEventListener("submit", onSubmit);
    }
    return host.shadowRoot.querySelector(".interop-outlet__container");
  }

  function closeModal() {
    var o = outlet();
    if (o) {
      o.innerHTML = "";
    }
  }

  // call fetches url; a JSON answer with a redirect is followed at once.
  async function call(url, init) {
    var res = await fetch(url, Object.assign({ credentials: "same-origin" }, init));
    var type = res.headers.get("Content-Type") || "";
    var body = type.indexOf("json") >= 0 ? await res.json() : await res.text();
    if (body && body.redirect) {
      location.assign(body.redirect);
      return null;
    }
    return { ok: res.ok, body: body };
  }

  async function openModal(url) {
    var r = await call(url, { headers: { Accept: "text/html" } });
    if (!r) {
      return;
    }
    if (!r.ok) {
      closeModal();
      toast((r.body && r.body.toast) || "", true);
      return;
    }
    var o = outlet();
    o.innerHTML = r.body;
    var first = o.querySelector("textarea, .artdeco-button--primary");
    if (first) {
      first.focus();
    }
  }

  // refresh re-renders the page's content and nav from the server.
  async function refresh() {
    var res = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (res.redirected && new URL(res.url).pathname !== location.pathname) {
      location.assign(res.url);
      return;
    }
    var doc = new DOMParser().parseFromString(await res.text(), "text/html");
    ["#content", "#global-nav"].forEach(function (sel) {
      var now = document.querySelector(sel);
      var next = doc.querySelector(sel);
      if (now && next) {
        now.replaceWith(document.importNode(next, true));
      }
    });
    watchTopCard();
  }

  function toast(message, failed) {
    if (!message) {
      return;
    }
    var box = document.getElementById("artdeco-toasts");
    box.innerHTML = "";
    var item = document.createElement("div");
    item.className = "artdeco-toast-item" + (failed ? " artdeco-toast-item--error" : " artdeco-toast-item--success");
    item.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.className = "artdeco-toast-item__message";
    p.textContent = message;
    item.appendChild(p);
    var x = document.createElement("button");
    x.type = "button";
    x.className = "artdeco-toast-item__dismiss artdeco-button artdeco-button--circle artdeco-button--tertiary";
    x.setAttribute("aria-label", document.body.dataset.dismissLabel);
    x.setAttribute("data-dismiss-toast", "");
    x.textContent = "×";
    item.appendChild(x);
    box.appendChild(item);
  }

  async function onSubmit(e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-api")) {
      return;
    }
    e.preventDefault();
    if (form.dataset.busy) {
      return;
    }
    form.dataset.busy = "1";
    var data = new URLSearchParams(new FormData(form));
    form.querySelectorAll("[contenteditable][data-field]").forEach(function (el) {
      data.set(el.dataset.field, el.innerText.trim());
    });
    var inDialog = form.getRootNode() !== document || !!form.closest("[role=dialog]");
    try {
      var r = await call(form.action, {
        method: "POST",
        body: data,
        headers: { "Csrf-Token": csrfToken(), Accept: "application/json" },
      });
      if (!r) {
        return;
      }
      var b = r.body || {};
      if (b.modal) {
        await openModal(b.modal);
      } else if (inDialog) {
        closeModal();
      }
      if (b.refresh) {
        await refresh();
      }
      toast(b.toast, !r.ok);
    } catch (err) {
      toast(String(err), true);
    } finally {
      delete form.dataset.busy;
    }
  }

  function onInput(e) {
    var el = e.composedPath()[0];
    if (!(el instanceof Element)) {
      return;
    }
    if (el.matches("textarea[data-counter]")) {
      var counter = el.getRootNode().getElementById(el.dataset.counter);
      if (counter) {
        counter.textContent = el.value.length + "/" + el.maxLength;
      }
    }
    if (el.matches(".msg-form__contenteditable")) {
      var send = el.closest("form").querySelector(".msg-form__send-button");
      send.disabled = el.innerText.trim() === "";
    }
  }

  function closeMenus(except) {
    document.querySelectorAll("[data-menu-toggle][aria-expanded=true]").forEach(function (t) {
      if (t !== except) {
        t.setAttribute("aria-expanded", "false");
        var menu = document.getElementById(t.getAttribute("aria-controls"));
        if (menu) {
          menu.hidden = true;
        }
      }
    });
  }

  function onClick(e) {
    var el = null;
    var path = e.composedPath();
    for (var i = 0; i < path.length; i++) {
      var n = path[i];
      if (n instanceof Element && n.matches("[data-modal], [data-dismiss], [data-dismiss-toast], [data-href], [data-menu-toggle], [data-password-toggle], [role=menuitem]")) {
        el = n;
        break;
      }
    }
    if (!el || !el.hasAttribute("data-menu-toggle")) {
      closeMenus(null);
    }
    if (!el) {
      return;
    }
    if (el.hasAttribute("data-menu-toggle")) {
      var open = el.getAttribute("aria-expanded") !== "true";
      closeMenus(el);
      el.setAttribute("aria-expanded", String(open));
      document.getElementById(el.getAttribute("aria-controls")).hidden = !open;
    } else if (el.hasAttribute("data-modal")) {
      e.preventDefault();
      openModal(el.getAttribute("data-modal"));
    } else if (el.hasAttribute("data-dismiss")) {
      closeModal();
    } else if (el.hasAttribute("data-dismiss-toast")) {
      el.closest(".artdeco-toast-item").remove();
    } else if (el.hasAttribute("data-href")) {
      location.assign(el.getAttribute("data-href"));
    } else if (el.hasAttribute("data-password-toggle")) {
      var pw = document.getElementById("password");
      pw.type = pw.type === "password" ? "text" : "password";
    }
  }

  function onKeydown(e) {
    if (e.key === "Escape") {
      closeMenus(null);
      closeModal();
      return;
    }
    var el = e.composedPath()[0];
    if (e.key === "Enter" && !e.shiftKey && el instanceof Element && el.matches(".msg-form__contenteditable")) {
      e.preventDefault();
      var form = el.closest("form");
      if (el.innerText.trim() !== "") {
        form.requestSubmit();
      }
    }
  }

  // The sticky header repeats the top card's actions once the card has
  // scrolled out of view.
  function watchTopCard() {
    var card = document.querySelector(".pv-top-card");
    var sticky = document.querySelector("[data-sticky-header]");
    if (!card || !sticky || !("IntersectionObserver" in window)) {
      return;
    }
    new IntersectionObserver(function (entries) {
      sticky.hidden = entries[0].isIntersecting;
    }).observe(card);
  }

  document.addEventListener("click", onClick);
  document.addEventListener("submit", onSubmit);
  document.addEventListener("input", onInput);
  document.addEventListener("keydown", onKeydown);
  watchTopCard();
})();
