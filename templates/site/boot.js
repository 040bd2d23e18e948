// Runs before the page is drawn: with scripts on, only the current view is shown.
document.documentElement.classList.add("js");
