// The study site's core: data, storage, routing between views, shared helpers.
//
// Book text is never parsed as HTML here or in the other scripts: the page holds every
// text already rendered and escaped by drillbook, scripts copy those nodes (cloneNode)
// and write their own words with textContent.
(function () {
  "use strict";

  const data = window.DRILLBOOK_DATA;
  const app = {
    data: data,
    modes: {},
    ready: false,
    problems: new Map(data.problems.map(function (p) { return [p.id, p]; })),
    topics: new Map(data.topics.map(function (t) { return [t.id, t]; })),
    tags: new Map(data.tags.map(function (t) { return [t.id, t]; })),
  };
  window.drillbook = app;

  // ----- storage: one JSON value per name, under the site's own prefix -----------------
  let storageWarned = false;
  app.store = {
    key: function (name) { return data.storage + ":" + name; },
    get: function (name, fallback) {
      try {
        const raw = window.localStorage.getItem(this.key(name));
        return raw === null ? fallback : JSON.parse(raw);
      } catch (error) {
        return fallback;
      }
    },
    set: function (name, value) {
      try {
        window.localStorage.setItem(this.key(name), JSON.stringify(value));
        return true;
      } catch (error) {
        if (!storageWarned) {
          storageWarned = true;
          app.notice("This browser does not let the page keep your progress (storage is " +
                     "off or full); it lasts until you close the page.");
        }
        return false;
      }
    },
    remove: function (name) {
      try { window.localStorage.removeItem(this.key(name)); } catch (error) { /* none */ }
    },
  };

  // ----- helpers ---------------------------------------------------------------------------
  // A new element with attributes and plain text (never markup).
  app.el = function (tag, attributes, text) {
    const node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  };

  // A copy of server-rendered nodes without their ids (ids must stay unique).
  app.copy = function (node) {
    const copy = node.cloneNode(true);
    if (copy.removeAttribute) copy.removeAttribute("id");
    if (copy.querySelectorAll) {
      copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
    }
    return copy;
  };

  // The copied content (child nodes) of a server-rendered element, in a new element.
  app.contentOf = function (node, tag, attributes) {
    const holder = app.el(tag || "span", attributes);
    node.childNodes.forEach(function (child) { holder.appendChild(app.copy(child)); });
    return holder;
  };

  // Move focus to a node (made focusable) and bring its top into view if it is not.
  app.focusTop = function (node) {
    if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    node.focus({ preventScroll: true });
    const top = node.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.6) node.scrollIntoView({ block: "start" });
  };

  app.article = function (problemId) { return document.getElementById(problemId); };

  app.notice = function (message) {
    const box = app.el("p", { class: "notice", role: "alert" }, message);
    document.getElementById("main").prepend(box);
  };

  // Is the key press meant for a form control rather than for a shortcut?
  app.typing = function (event) {
    const target = event.target;
    if (!target || !target.tagName) return false;
    const tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  };
  app.onControl = function (event) {
    const tag = event.target && event.target.tagName ? event.target.tagName.toLowerCase() : "";
    return app.typing(event) || tag === "button" || tag === "a" || tag === "summary";
  };

  // ----- routing ---------------------------------------------------------------------------
  // #/ browse (with ?q=&topic=&kind=&family=&tag=), #/cards, #/quiz, #/interview,
  // #<problem id> one problem, #topic:<id> a topic of the contents, #quiz:<id> a quiz item.
  function parse(hash) {
    const raw = hash.replace(/^#/, "");
    const cut = raw.indexOf("?");
    let text = cut < 0 ? raw : raw.slice(0, cut);
    try { text = decodeURIComponent(text); } catch (error) { /* keep it as it is */ }
    if (text.charAt(0) === "/") {
      // The query is decoded by URLSearchParams itself ("a%26b" stays one value).
      const params = new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1));
      return { mode: text.slice(1) || "browse", params: params };
    }
    if (app.problems.has(text)) return { mode: "problem", id: text };
    if (text.indexOf("topic:") === 0) return { mode: "browse", topic: text.slice(6) };
    if (text.indexOf("quiz:") === 0) return { mode: "quiz", item: text.slice(5) };
    return { mode: "browse" };
  }

  let firstRoute = true;
  app.current = null;
  function show(route) {
    const mode = app.modes[route.mode] ? route.mode : "browse";
    const viewId = mode === "problem" ? "view-problem" : "view-" + mode;
    document.querySelectorAll(".view").forEach(function (view) {
      view.classList.toggle("active", view.id === viewId);
    });
    document.querySelectorAll("[data-mode]").forEach(function (link) {
      const here = link.getAttribute("data-mode") === (mode === "problem" ? "browse" : mode);
      if (here) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    if (app.current && app.current !== app.modes[mode] && app.current.hide) app.current.hide();
    app.current = app.modes[mode];
    const focus = app.current.show(route, firstRoute);
    if (!route.topic) window.scrollTo(0, app.current.scrollY || 0);
    if (!firstRoute && focus) {
      focus.focus({ preventScroll: true });
    }
    firstRoute = false;
  }
  app.route = function () { show(parse(window.location.hash)); };

  // ----- the single-problem view -------------------------------------------------------------
  let shown = null;
  app.modes.problem = {
    show: function (route) {
      if (shown) shown.classList.remove("current");
      shown = app.article(route.id);
      shown.classList.add("current");
      document.title = app.problems.get(route.id).title + " · " + data.title;
      return shown.querySelector(".problem-title");
    },
    hide: function () { document.title = data.title; },
  };

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.metaKey) return;
    if (app.current && app.current.onKey) app.current.onKey(event);
  });

  document.addEventListener("DOMContentLoaded", function () {
    // The skip link moves focus to the content without changing the route.
    document.querySelector(".skip").addEventListener("click", function (event) {
      event.preventDefault();
      document.getElementById("main").focus();
    });
    Object.keys(app.modes).forEach(function (name) {
      if (app.modes[name].init) app.modes[name].init();
    });
    window.addEventListener("hashchange", app.route);
    app.route();
    app.ready = true;
    app.readyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "true");
  });
})();
