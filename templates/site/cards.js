// Flashcards with spaced repetition: ts-fsrs schedules, local storage keeps the schedule.
//
// Two kinds of card, as in the Anki deck: a problem card (the interviewer question; the
// answer is the summary and every point) and a point card (the question and one point's
// title; the answer is its explanation, example and tags).
(function () {
  "use strict";

  const app = window.drillbook;
  const data = app.data;
  const FSRS = window.FSRS;
  const scheduler = FSRS.fsrs(FSRS.generatorParameters({ enable_fuzz: true }));
  const GRADES = [FSRS.Rating.Again, FSRS.Rating.Hard, FSRS.Rating.Good, FSRS.Rating.Easy];
  const LEARN_AHEAD_MS = 20 * 60 * 1000;

  const $ = function (id) { return document.getElementById(id); };
  const box = $("card"), front = $("card-front"), back = $("card-back");
  const showButton = $("card-show"), grades = $("card-grades");
  const counts = $("cards-counts"), done = $("cards-done"), options = $("cards-options");

  // Every card in book order: { id, kind, problem, point }.
  const cards = [];
  data.problems.forEach(function (problem) {
    cards.push({ id: "problem:" + problem.id, kind: "problem", problem: problem });
    problem.points.forEach(function (point) {
      if (point.title) cards.push({ id: "point:" + point.key, kind: "point", problem: problem, point: point });
    });
  });

  // The schedule: card id -> ts-fsrs card (dates as ISO strings), and today's new cards.
  function load() { return app.store.get("cards", {}); }
  function today() {
    const now = new Date();
    return now.getFullYear() + "-" + (now.getMonth() + 1) + "-" + now.getDate();
  }
  function newToday() {
    const seen = app.store.get("cards-new", null);
    return seen && seen.day === today() ? seen.count : 0;
  }
  function reviewedToday() {
    const seen = app.store.get("cards-reviewed", null);
    return seen && seen.day === today() ? seen.count : 0;
  }
  function bump(name, value) { app.store.set(name, { day: today(), count: value + 1 }); }

  function chosen() {
    const topic = options.elements.topic.value;
    const kinds = { problem: options.elements.problem.checked, point: options.elements.point.checked };
    return cards.filter(function (c) { return kinds[c.kind] && (!topic || c.problem.topic === topic); });
  }

  // The next card: the most overdue review, else a new card while today's allowance lasts.
  function next(schedule, now) {
    const pool = chosen();
    let due = null;
    pool.forEach(function (c) {
      const s = schedule[c.id];
      if (s && Date.parse(s.due) <= now.getTime() && (!due || Date.parse(s.due) < Date.parse(schedule[due.id].due))) due = c;
    });
    if (due) return due;
    const fresh = newToday() < data.newCardsPerDay &&
      pool.find(function (c) { return !schedule[c.id]; });
    if (fresh) return fresh;
    // Nothing else left: a card in its learning steps due within 20 minutes comes early,
    // as Anki's "learn ahead" does, rather than making the learner wait.
    let soon = null;
    pool.forEach(function (c) {
      const s = schedule[c.id];
      if (s && (s.state === FSRS.State.Learning || s.state === FSRS.State.Relearning) &&
          Date.parse(s.due) <= now.getTime() + LEARN_AHEAD_MS &&
          (!soon || Date.parse(s.due) < Date.parse(schedule[soon.id].due))) soon = c;
    });
    return soon;
  }

  function describeCounts(schedule, now) {
    const pool = chosen();
    let dueNow = 0, fresh = 0;
    pool.forEach(function (c) {
      const s = schedule[c.id];
      if (!s) fresh++;
      else if (Date.parse(s.due) <= now.getTime()) dueNow++;
    });
    const left = Math.max(0, Math.min(fresh, data.newCardsPerDay - newToday()));
    counts.textContent = "Due now: " + dueNow + " · new left today: " + left + " (" + fresh +
      " unseen) · reviewed today: " + reviewedToday() + " · " + pool.length + " cards";
  }

  function interval(from, to) {
    const minutes = Math.round((to - from) / 60000);
    if (minutes < 1) return "<1m";
    if (minutes < 60) return minutes + "m";
    const hours = Math.round(minutes / 60);
    if (hours < 24) return hours + "h";
    const days = Math.round(hours / 24);
    if (days < 31) return days + "d";
    if (days < 365) return Math.round(days / 30.4) + "mo";
    return (days / 365).toFixed(1) + "y";
  }

  function faceOf(card) {
    const article = app.article(card.problem.id);
    const question = article.querySelector(".question-text");
    const topic = app.el("p", { class: "crumb" }, (app.topics.get(card.problem.topic) || {}).title || "");
    const ask = question ? app.contentOf(question, "p", { class: "question-text" })
      : app.contentOf(article.querySelector(".problem-title"), "p", { class: "question-text" });
    const frontNodes = [topic, app.el("p", { class: "label" }, "Interviewer"), ask];
    let backNodes;
    if (card.kind === "problem") {
      frontNodes.push(app.el("p", { class: "prompt" }, "Recall the approach and its points."));
      backNodes = [app.copy(article.querySelector(".answer"))];
    } else {
      const li = article.querySelector('.point[data-key="' + CSS.escape(card.point.key) + '"]');
      frontNodes.push(app.el("p", { class: "prompt" }, "Explain this point:"));
      frontNodes.push(app.contentOf(li.querySelector(".point-title"), "p", { class: "point-title" }));
      backNodes = [app.copy(li.querySelector(".point-body"))];
    }
    const link = app.el("a", { href: "#" + card.problem.id, class: "small" }, "Open the problem: " + card.problem.title);
    backNodes.push(app.el("p", {}, null));
    backNodes[backNodes.length - 1].appendChild(link);
    return { front: frontNodes, back: backNodes };
  }

  let current = null;
  function render() {
    const schedule = load();
    const now = new Date();
    describeCounts(schedule, now);
    current = next(schedule, now);
    if (!current) {
      box.hidden = true;
      box.removeAttribute("data-card");
      done.hidden = false;
      let soonest = null;
      chosen().forEach(function (c) {
        const s = schedule[c.id];
        if (s && (!soonest || Date.parse(s.due) < soonest)) soonest = Date.parse(s.due);
      });
      done.textContent = "Nothing to study right now." + (soonest ?
        " The next card is due " + new Date(soonest).toLocaleString() + "." : "");
      return;
    }
    done.hidden = true;
    box.hidden = false;
    const face = faceOf(current);
    front.replaceChildren.apply(front, face.front);
    back.replaceChildren.apply(back, face.back);
    back.hidden = true;
    grades.hidden = true;
    showButton.hidden = false;
    box.setAttribute("data-card", current.id);
  }

  function reveal() {
    if (!current || !back.hidden) return;
    back.hidden = false;
    showButton.hidden = true;
    grades.hidden = false;
    const stored = load()[current.id];
    const card = stored ? FSRS.TypeConvert.card(stored) : FSRS.createEmptyCard(new Date());
    const now = new Date();
    const preview = scheduler.repeat(card, now);
    grades.querySelectorAll("button").forEach(function (button, i) {
      button.querySelector(".interval").textContent = interval(now, preview[GRADES[i]].card.due);
    });
    // The answer can be long: read it from its top (Space scrolls); 1-4 grade from anywhere.
    app.focusTop(back);
  }

  function grade(value) {
    if (!current || back.hidden) return;
    const schedule = load();
    const now = new Date();
    const stored = schedule[current.id];
    const card = stored ? FSRS.TypeConvert.card(stored) : FSRS.createEmptyCard(now);
    const result = scheduler.next(card, now, GRADES[value - 1]);
    schedule[current.id] = JSON.parse(JSON.stringify(result.card));
    app.store.set("cards", schedule);
    if (!stored) bump("cards-new", newToday());
    bump("cards-reviewed", reviewedToday());
    render();
    app.focusTop(box.hidden ? done : front);
  }

  app.modes.cards = {
    init: function () {
      showButton.addEventListener("click", reveal);
      grades.querySelectorAll("button").forEach(function (button) {
        button.addEventListener("click", function () { grade(Number(button.getAttribute("data-grade"))); });
      });
      options.addEventListener("change", render);
      $("cards-reset").addEventListener("click", function () {
        if (!window.confirm("Forget every card's schedule in this browser?")) return;
        ["cards", "cards-new", "cards-reviewed"].forEach(function (name) { app.store.remove(name); });
        render();
      });
    },
    show: function () { render(); return $("cards-heading"); },
    onKey: function (event) {
      if (app.typing(event)) return;
      if ((event.key === " " || event.key === "Enter") && !app.onControl(event) && back.hidden) {
        event.preventDefault();
        reveal();
      } else if (/^[1-4]$/.test(event.key) && !back.hidden) {
        event.preventDefault();
        grade(Number(event.key));
      }
    },
    cards: cards,
  };
})();
