// The quiz, self-marking: the printed quiz's items (made by drillbook's quiz library at
// build time), one at a time; choose, check, see the key, read the problem.
(function () {
  "use strict";

  const app = window.drillbook;
  const data = app.data;
  const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const list = document.getElementById("quiz-items");
  const box = document.getElementById("quiz-box");
  const score = document.getElementById("quiz-score");
  const answers = new Map(data.quiz.map(function (item) { return [item.id, item]; }));
  const items = list ? Array.prototype.slice.call(list.querySelectorAll(".quiz-item")) : [];

  // Progress: { position, picked: { item id: index of the option chosen } }.
  function progress() {
    const saved = app.store.get("quiz", null);
    return saved && saved.picked && typeof saved.picked === "object" ? saved
      : { position: 0, picked: {} };
  }
  function right(id, state) { return state.picked[id] === answers.get(id).answer; }
  function save(state) { app.store.set("quiz", state); }

  function describe(state) {
    const ids = Object.keys(state.picked).filter(function (id) { return answers.has(id); });
    const good = ids.filter(function (id) { return right(id, state); }).length;
    score.textContent = ids.length ? good + " of " + ids.length + " answered right (" +
      Math.round(100 * good / ids.length) + "%), " + items.length + " questions" :
      items.length + " questions";
  }

  // The order the learner asked for ("retry the ones I missed" puts them first).
  function arrange(state) {
    if (!Array.isArray(state.order)) return;
    const at = new Map(state.order.map(function (id, k) { return [id, k]; }));
    items.sort(function (a, b) {
      const x = at.get(a.getAttribute("data-item")), y = at.get(b.getAttribute("data-item"));
      return (x === undefined ? 1e9 : x) - (y === undefined ? 1e9 : y);
    });
  }

  let checked = false;
  function render() {
    const state = progress();
    describe(state);
    if (state.position >= items.length) return finish(state);
    const li = items[state.position];
    const item = answers.get(li.getAttribute("data-item"));
    checked = false;
    const heading = app.el("h2", { class: "quiz-number", tabindex: "-1" },
                           "Question " + (state.position + 1) + " of " + items.length);
    const stem = app.contentOf(li.querySelector(".stem"), "p", { class: "stem" });
    const fieldset = app.el("fieldset", { class: "quiz-options" });
    fieldset.appendChild(app.el("legend", { class: "visually-hidden" }, "Your answer"));
    li.querySelectorAll(".option").forEach(function (option, k) {
      const label = app.el("label", { class: "quiz-option" });
      const input = app.el("input", { type: "radio", name: "quiz-option", value: String(k) });
      label.appendChild(input);
      label.appendChild(app.el("span", { class: "letter", "aria-hidden": "true" }, LETTERS[k]));
      label.appendChild(app.contentOf(option, "span", { class: "option-text" }));
      fieldset.appendChild(label);
      input.addEventListener("change", function () { check.disabled = false; });
    });
    const feedback = app.el("p", { class: "feedback", role: "status" });
    const check = app.el("button", { type: "button", class: "primary", disabled: "" }, "Check");
    const nextButton = app.el("button", { type: "button" }, "Next question");
    nextButton.hidden = true;
    check.addEventListener("click", function () {
      const picked = fieldset.querySelector("input:checked");
      if (picked) mark(item, Number(picked.value), fieldset, feedback, check, nextButton, li, true);
    });
    nextButton.addEventListener("click", function () { move(1); });
    const actions = app.el("div", { class: "card-actions" });
    actions.append(check, nextButton);
    box.replaceChildren(heading, stem, fieldset, actions, feedback);
    box.setAttribute("data-item", item.id);
    box.hidden = false;
    if (item.id in state.picked) {  // answered before (back from reading the problem)
      fieldset.querySelectorAll("input")[state.picked[item.id]].checked = true;
      mark(item, state.picked[item.id], fieldset, feedback, check, nextButton, li, false);
    }
    return heading;
  }

  function mark(item, picked, fieldset, feedback, check, nextButton, li, now) {
    if (checked) return;
    checked = true;
    const good = picked === item.answer;
    fieldset.querySelectorAll(".quiz-option").forEach(function (label, k) {
      label.classList.toggle("key", k === item.answer);
      label.classList.toggle("wrong", k === picked && !good);
      label.querySelector("input").disabled = true;
    });
    feedback.replaceChildren(app.el("strong", {}, good ? "Right." : "Not quite."));
    feedback.append(" The answer is " + LETTERS[item.answer] + ". ");
    const link = li.querySelector(".quiz-answer a");
    if (link) {
      const read = app.el("a", { href: link.getAttribute("href") }, "Read the problem: ");
      read.append(app.contentOf(link, "span"));
      feedback.append(read);
    }
    feedback.classList.toggle("right", good);
    check.hidden = true;
    nextButton.hidden = false;
    if (!now) return;
    const state = progress();
    state.picked[item.id] = picked;
    save(state);
    describe(state);
    nextButton.focus();
  }

  function move(step) {
    const state = progress();
    state.position = Math.max(0, Math.min(items.length, state.position + step));
    save(state);
    const heading = render();
    if (heading) heading.focus();
  }

  function finish(state) {
    const missed = items.filter(function (li) {
      const id = li.getAttribute("data-item");
      return id in state.picked && !right(id, state);
    });
    const heading = app.el("h2", { tabindex: "-1" }, "End of the quiz");
    const again = app.el("button", { type: "button", class: "primary" }, "Start again");
    again.addEventListener("click", function () {
      save({ position: 0, picked: {}, order: state.order });
      render().focus();
    });
    const actions = app.el("div", { class: "card-actions" });
    actions.append(again);
    if (missed.length) {
      const retry = app.el("button", { type: "button" }, "Retry the " + missed.length + " I missed");
      retry.addEventListener("click", function () {
        // The missed items go first, in their order; the rest keep theirs.
        state.order = missed.concat(items.filter(function (li) { return missed.indexOf(li) < 0; }))
          .map(function (li) { return li.getAttribute("data-item"); });
        arrange(state);
        missed.forEach(function (li) { delete state.picked[li.getAttribute("data-item")]; });
        state.position = 0;
        save(state);
        render().focus();
      });
      actions.append(retry);
    }
    box.replaceChildren(heading, actions);
    box.hidden = false;
    return heading;
  }

  app.modes.quiz = {
    init: function () { arrange(progress()); },
    show: function (route) {
      if (!items.length) return document.getElementById("quiz-heading");
      if (route.item) {
        const at = items.findIndex(function (li) { return li.getAttribute("data-item") === route.item; });
        if (at >= 0) { const state = progress(); state.position = at; save(state); }
      }
      render();
      return document.getElementById("quiz-heading");
    },
    onKey: function (event) {
      if (!items.length || box.hidden || app.typing(event) && event.target.type !== "radio") return;
      const key = event.key.toUpperCase();
      const inputs = box.querySelectorAll('input[name="quiz-option"]');
      const k = /^[1-9]$/.test(key) ? Number(key) - 1 : LETTERS.indexOf(key);
      if (key.length === 1 && k >= 0 && k < inputs.length && !checked) {
        event.preventDefault();
        inputs[k].checked = true;
        inputs[k].dispatchEvent(new Event("change"));
        inputs[k].focus();
      } else if (event.key === "Enter" && !app.onControl(event) || event.key === "Enter" && event.target.type === "radio") {
        const buttons = box.querySelectorAll(".card-actions button");
        const visible = Array.prototype.find.call(buttons, function (b) { return !b.hidden && !b.disabled; });
        if (visible) { event.preventDefault(); visible.click(); }
      }
    },
  };
})();
