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

  // Progress: { position, answered: { item id: true when right, false when wrong } }.
  function progress() {
    const saved = app.store.get("quiz", null);
    return saved && typeof saved.answered === "object" ? saved : { position: 0, answered: {} };
  }
  function save(state) { app.store.set("quiz", state); }

  function describe(state) {
    const ids = Object.keys(state.answered).filter(function (id) { return answers.has(id); });
    const right = ids.filter(function (id) { return state.answered[id]; }).length;
    score.textContent = ids.length ? right + " of " + ids.length + " answered right (" +
      Math.round(100 * right / ids.length) + "%), " + items.length + " questions" :
      items.length + " questions";
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
    check.addEventListener("click", function () { mark(item, fieldset, feedback, check, nextButton, li); });
    nextButton.addEventListener("click", function () { move(1); });
    const actions = app.el("div", { class: "card-actions" });
    actions.append(check, nextButton);
    box.replaceChildren(heading, stem, fieldset, actions, feedback);
    box.setAttribute("data-item", item.id);
    box.hidden = false;
    return heading;
  }

  function mark(item, fieldset, feedback, check, nextButton, li) {
    const picked = fieldset.querySelector("input:checked");
    if (!picked || checked) return;
    checked = true;
    const right = Number(picked.value) === item.answer;
    fieldset.querySelectorAll(".quiz-option").forEach(function (label, k) {
      label.classList.toggle("key", k === item.answer);
      label.classList.toggle("wrong", k === Number(picked.value) && !right);
      label.querySelector("input").disabled = true;
    });
    feedback.replaceChildren(app.el("strong", {}, right ? "Right." : "Not quite."));
    feedback.append(" The answer is " + LETTERS[item.answer] + ". ");
    const link = li.querySelector(".quiz-answer a");
    if (link) {
      const read = app.el("a", { href: link.getAttribute("href") }, "Read the problem: ");
      read.append(app.contentOf(link, "span"));
      feedback.append(read);
    }
    feedback.classList.toggle("right", right);
    const state = progress();
    state.answered[item.id] = right;
    save(state);
    describe(state);
    check.hidden = true;
    nextButton.hidden = false;
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
    const missed = items.filter(function (li) { return state.answered[li.getAttribute("data-item")] === false; });
    const heading = app.el("h2", { tabindex: "-1" }, "End of the quiz");
    const again = app.el("button", { type: "button", class: "primary" }, "Start again");
    again.addEventListener("click", function () { save({ position: 0, answered: {} }); render().focus(); });
    const actions = app.el("div", { class: "card-actions" });
    actions.append(again);
    if (missed.length) {
      const retry = app.el("button", { type: "button" }, "Retry the " + missed.length + " I missed");
      retry.addEventListener("click", function () {
        // The missed items go first, in their order; the rest keep theirs.
        missed.slice().reverse().forEach(function (li) { list.prepend(li); });
        items.splice.apply(items, [0, items.length].concat(Array.prototype.slice.call(list.querySelectorAll(".quiz-item"))));
        missed.forEach(function (li) { delete state.answered[li.getAttribute("data-item")]; });
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
    init: function () {},
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
