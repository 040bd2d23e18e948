// Browse: search (minisearch) and filters by topic, tag, tag kind and family.
(function () {
  "use strict";

  const app = window.drillbook;
  const data = app.data;
  const form = document.getElementById("filters");
  const fields = {
    q: document.getElementById("search"),
    topic: document.getElementById("filter-topic"),
    kind: document.getElementById("filter-kind"),
    family: document.getElementById("filter-family"),
    tag: document.getElementById("filter-tag"),
  };
  const contents = document.getElementById("contents");
  const results = document.getElementById("search-results");
  const count = document.getElementById("result-count");
  const tagList = document.getElementById("tag-list");
  const tagByLabel = new Map();
  const items = new Map();  // problem id -> its <li> in the contents
  let index = null;

  function buildIndex() {
    const started = performance.now();
    // Plain-text twins: what a reader sees, formatting and TeX already resolved.
    index = new window.MiniSearch({
      fields: ["title", "question", "summary", "points", "tags", "topic"],
      searchOptions: {
        boost: { title: 3, tags: 2, question: 1.5 },
        prefix: true,
        fuzzy: 0.2,
      },
    });
    index.addAll(data.problems.map(function (p) {
      return {
        id: p.id,
        title: p.title,
        question: p.question,
        summary: p.summary,
        points: p.points.map(function (pt) { return pt.title + " " + pt.text; }).join(" "),
        tags: p.tags.map(function (id) { return app.tags.get(id).label; }).join(" "),
        topic: (app.topics.get(p.topic) || { title: "" }).title,
      };
    }));
    app.indexedAt = performance.now();
    app.indexMs = app.indexedAt - started;  // read by bench/site.py
  }

  function tagOf(text) {
    const wanted = text.trim();
    if (!wanted) return "";
    if (app.tags.has(wanted)) return wanted;
    return tagByLabel.get(wanted.toLowerCase()) || null;  // null: no such tag
  }

  // The tags a learner can pick, narrowed to the chosen kind and family.
  function fillTagList() {
    const kind = fields.kind.value;
    const family = fields.family.value;
    const options = data.tags
      .filter(function (t) { return (!kind || t.kind === kind) && (!family || t.family === family); })
      .map(function (t) { return app.el("option", { value: t.label }); });
    tagList.replaceChildren.apply(tagList, options);
  }

  function state() {
    return {
      q: fields.q.value.trim(),
      topic: fields.topic.value,
      kind: fields.kind.value,
      family: fields.family.value,
      tag: fields.tag.value.trim(),
    };
  }

  function matches(problem, wanted, tag) {
    if (wanted.topic && problem.topic !== wanted.topic) return false;
    if (tag && problem.tags.indexOf(tag) < 0) return false;
    if (wanted.kind || wanted.family) {
      return problem.tags.some(function (id) {
        const t = app.tags.get(id);
        return (!wanted.kind || t.kind === wanted.kind) &&
               (!wanted.family || t.family === wanted.family);
      });
    }
    return true;
  }

  function search(query) {
    if (!index) buildIndex();
    let found = index.search(query, { combineWith: "AND" });
    if (found.length === 0) found = index.search(query, { combineWith: "OR" });
    return found.map(function (r) { return r.id; });
  }

  function apply() {
    const wanted = state();
    const tag = tagOf(wanted.tag);
    let shown = 0;
    if (wanted.q) {
      const ids = search(wanted.q).filter(function (id) {
        return tag !== null && matches(app.problems.get(id), wanted, tag);
      });
      results.replaceChildren.apply(results, ids.map(function (id) {
        const li = app.copy(items.get(id));
        const topic = app.topics.get(app.problems.get(id).topic);
        li.firstChild.after(app.el("span", { class: "item-topic" }, topic ? topic.title : ""));
        return li;
      }));
      shown = ids.length;
      results.hidden = false;
      contents.hidden = true;
    } else {
      results.hidden = true;
      results.replaceChildren();
      contents.hidden = false;
      contents.querySelectorAll(".topic").forEach(function (section) {
        let left = 0;
        section.querySelectorAll(".problem-item").forEach(function (li) {
          const ok = tag !== null && matches(app.problems.get(li.getAttribute("data-problem")), wanted, tag);
          li.hidden = !ok;
          if (ok) left++;
        });
        section.hidden = left === 0;
        shown += left;
      });
    }
    const total = data.problems.length;
    const filtered = wanted.q || wanted.topic || wanted.kind || wanted.family || wanted.tag;
    count.textContent = tag === null ? "No tag is called “" + wanted.tag + "”." :
      filtered ? shown + " of " + total + " problems" + (wanted.q ? ", best matches first" : "") :
      total + " problems";
    remember(wanted);
  }

  // The filters live in the address (#/?q=…&tag=…), so a search can be bookmarked or shared.
  function remember(wanted) {
    const params = new URLSearchParams();
    Object.keys(wanted).forEach(function (name) {
      if (wanted[name]) params.set(name, name === "tag" ? (tagOf(wanted.tag) || wanted.tag) : wanted[name]);
    });
    const query = params.toString();
    const hash = "#/" + (query ? "?" + query : "");
    if (window.location.hash !== hash && (window.location.hash || query)) {
      history.replaceState(null, "", hash);
    }
    listHash = window.location.hash;
  }

  function fromParams(params) {
    fields.q.value = params.get("q") || "";
    fields.topic.value = app.topics.has(params.get("topic")) ? params.get("topic") : "";
    setSelect(fields.kind, params.get("kind"));
    setSelect(fields.family, params.get("family"));
    const tag = params.get("tag");
    fields.tag.value = tag && app.tags.has(tag) ? app.tags.get(tag).label : (tag || "");
    fillTagList();
  }

  function setSelect(select, value) {
    const known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : "";
  }

  let timer = null;
  let left = null;  // where the list was when the learner left it
  let listHash = "";  // the address of the list as shown
  let came = null;  // the problem the learner opened from it
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest(".problem-item a");
    if (link) came = link.getAttribute("href").slice(1);
  });
  app.modes.browse = {
    init: function () {
      data.tags.forEach(function (t) { tagByLabel.set(t.label.toLowerCase(), t.id); });
      contents.querySelectorAll(".problem-item").forEach(function (li) {
        items.set(li.getAttribute("data-problem"), li);
      });
      form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
      fields.q.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(apply, 60);
      });
      [fields.topic, fields.kind, fields.family].forEach(function (select) {
        select.addEventListener("change", function () {
          if (select !== fields.topic) fillTagList();
          apply();
        });
      });
      fields.tag.addEventListener("change", apply);
      fields.tag.addEventListener("input", function () {
        if (tagOf(fields.tag.value) !== null) apply();  // a tag picked from the list, or none
      });
      form.addEventListener("reset", function () {
        window.setTimeout(function () { fillTagList(); apply(); }, 0);
      });
      fillTagList();
      // Build the index when the browser is idle, so the first search is instant.
      (window.requestIdleCallback || window.setTimeout)(function () { if (!index) buildIndex(); });
    },
    hide: function () {
      // Called once the address already names the next view: keep the list's own.
      left = { hash: listHash, y: window.scrollY };
    },
    show: function (route, first) {
      fromParams(route.params || new URLSearchParams());
      apply();
      // Back from a problem: the list where it was, focus on the problem's link.
      const back = left && left.hash === window.location.hash && !route.topic ? left : null;
      left = null;
      if (back) {
        this.scrollY = back.y;
        const from = came && (results.hidden ? contents : results)
          .querySelector('.problem-item[data-problem="' + CSS.escape(came) + '"] a');
        if (from) return from;
      } else {
        this.scrollY = 0;
      }
      if (route.topic) {
        const section = document.getElementById("topic:" + route.topic);
        if (section) {
          section.scrollIntoView();
          section.querySelector("h2").setAttribute("tabindex", "-1");
          return section.querySelector("h2");
        }
      }
      if (route.params && route.params.get("q") && first) fields.q.focus();
      return document.getElementById("browse-heading");
    },
    onKey: function (event) {
      if (event.key === "/" && !app.typing(event) && !event.ctrlKey) {
        event.preventDefault();
        fields.q.focus();
        fields.q.select();
      }
    },
    search: search,
  };
})();
