// Mock interview: the interviewer's question, time to think, the book's points, a rating.
(function () {
  "use strict";

  const app = window.drillbook;
  const data = app.data;
  const $ = function (id) { return document.getElementById(id); };
  const question = $("interview-question"), timer = $("interview-timer");
  const notes = $("interview-notes"), reveal = $("interview-reveal");
  const answer = $("interview-answer"), rate = $("interview-rate"), stats = $("interview-stats");
  const topic = $("interview-options").elements.topic;
  const LABELS = { 1: "missed", 2: "partly", 3: "nailed" };

  // Ratings: problem id -> [{ at, rating (1-3), seconds }], oldest first, the last 20 kept.
  function history() { return app.store.get("interview", {}); }

  function pool() {
    return data.problems.filter(function (p) { return !topic.value || p.topic === topic.value; });
  }

  // Never rated first (in book order), then the weakest last rating, then the longest ago.
  function pick(previous) {
    const seen = history();
    const ranked = pool().map(function (p, order) {
      const ratings = seen[p.id] || [];
      const last = ratings[ratings.length - 1];
      return { problem: p, order: order, rated: ratings.length > 0,
               rating: last ? last.rating : 0, at: last ? last.at : 0 };
    }).sort(function (a, b) {
      return (a.rated - b.rated) || (a.rating - b.rating) || (a.at - b.at) || (a.order - b.order);
    });
    const choice = ranked.find(function (r) { return r.problem.id !== previous; }) || ranked[0];
    return choice ? choice.problem : null;
  }

  function describe() {
    const seen = history();
    const tally = { 1: 0, 2: 0, 3: 0 };
    const problems = pool();
    let rated = 0;
    problems.forEach(function (p) {
      const ratings = seen[p.id];
      if (ratings && ratings.length) { rated++; tally[ratings[ratings.length - 1].rating]++; }
    });
    stats.textContent = "Rated " + rated + " of " + problems.length + " questions; last time " +
      tally[3] + " nailed, " + tally[2] + " partly, " + tally[1] + " missed.";
  }

  let current = null, started = 0, ticking = null;
  function tick() {
    const seconds = Math.floor((Date.now() - started) / 1000);
    timer.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }
  function stop() { if (ticking) window.clearInterval(ticking); ticking = null; }

  function ask(problem) {
    current = problem;
    describe();
    if (!problem) { question.replaceChildren(app.el("p", {}, "No questions in this topic.")); return; }
    const article = app.article(problem.id);
    const text = article.querySelector(".question-text") || article.querySelector(".problem-title");
    question.replaceChildren(
      app.el("p", { class: "crumb" }, (app.topics.get(problem.topic) || {}).title || ""),
      app.el("p", { class: "label" }, "Interviewer"),
      app.contentOf(text, "p", { class: "question-text" }));
    question.setAttribute("data-problem", problem.id);
    answer.hidden = true;
    answer.replaceChildren();
    rate.hidden = true;
    reveal.hidden = false;
    notes.value = "";
    started = Date.now();
    stop();
    tick();
    ticking = window.setInterval(tick, 1000);
  }

  function show() {
    if (!current || !answer.hidden) return;
    stop();
    const article = app.article(current.id);
    const link = app.el("a", { href: "#" + current.id }, "Open the problem: " + current.title);
    const title = app.contentOf(article.querySelector(".problem-title"), "h2", { class: "problem-title" });
    answer.replaceChildren(title, app.copy(article.querySelector(".answer")), app.el("p", { class: "small" }));
    answer.lastChild.appendChild(link);
    answer.hidden = false;
    reveal.hidden = true;
    rate.hidden = false;
    app.focusTop(title);
  }

  function rated(value) {
    if (!current || answer.hidden) return;
    const seen = history();
    const ratings = (seen[current.id] || []).concat([{
      at: Date.now(), rating: value, seconds: Math.round((Date.now() - started) / 1000) }]);
    seen[current.id] = ratings.slice(-20);
    app.store.set("interview", seen);
    rate.setAttribute("data-last", LABELS[value]);
    ask(pick(current.id));
    notes.focus();
  }

  app.modes.interview = {
    init: function () {
      reveal.addEventListener("click", show);
      rate.querySelectorAll("button").forEach(function (button) {
        button.addEventListener("click", function () { rated(Number(button.getAttribute("data-rating"))); });
      });
      topic.addEventListener("change", function () { ask(pick(null)); });
    },
    show: function () {
      if (!current || (topic.value && current.topic !== topic.value)) ask(pick(null));
      else if (answer.hidden) { stop(); ticking = window.setInterval(tick, 1000); }
      describe();
      return $("interview-heading");
    },
    hide: stop,
    onKey: function (event) {
      if (event.key === "Enter" && (event.ctrlKey || !app.onControl(event)) && answer.hidden) {
        event.preventDefault();
        show();
      } else if (/^[1-3]$/.test(event.key) && !answer.hidden && !app.typing(event)) {
        event.preventDefault();
        rated(Number(event.key));
      }
    },
  };
})();
