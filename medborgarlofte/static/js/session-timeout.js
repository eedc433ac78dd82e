// Warns before the idle timeout and lets the user stay logged in (WCAG 2.2.1).
// The limits come from data attributes on <body>; no inline script (CSP).
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-session-idle"), 10);
  var warning = parseInt(body.getAttribute("data-session-warning"), 10);
  var dialog = document.getElementById("session-warning");
  if (!idle || !warning || !dialog) { return; }
  var button = document.getElementById("session-extend");
  var countdown = document.getElementById("session-countdown");
  var warnTimer, tickTimer, deadline;

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function hide() {
    dialog.hidden = true;
    clearInterval(tickTimer);
  }
  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = String(left);
    if (left === 0) { window.location.reload(); }
  }
  function show() {
    deadline = Date.now() + warning * 1000;
    dialog.hidden = false;
    tick();
    tickTimer = setInterval(tick, 1000);
    button.focus();
  }
  function schedule() {
    clearTimeout(warnTimer);
    warnTimer = setTimeout(show, Math.max(0, (idle - warning) * 1000));
  }
  button.addEventListener("click", function () {
    fetch(button.getAttribute("data-url"), {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(), "X-Requested-With": "fetch"}
    }).then(function (response) {
      if (response.ok) { hide(); schedule(); } else { window.location.reload(); }
    });
  });
  schedule();
}());
