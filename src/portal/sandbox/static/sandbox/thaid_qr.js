// Sandbox ThaID QR page (ACC-10): a countdown and a status poll every 2 seconds. The server
// decides; this only shows the time left and goes on when the phone app has answered.
(function () {
  var root = document.getElementById("thaid-qr");
  if (!root) { return; }
  var statusUrl = root.getAttribute("data-status-url");
  var left = parseInt(root.getAttribute("data-seconds-left"), 10) || 0;
  var clock = root.querySelector("[data-countdown]");
  var live = document.getElementById("thaid-live");
  var done = root.getAttribute("data-status") !== "pending";

  function show(id) {
    ["thaid-waiting", "thaid-expired", "thaid-answered"].forEach(function (name) {
      document.getElementById(name).hidden = name !== id;
    });
  }
  function render() {
    var s = Math.max(left, 0);
    clock.textContent = Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }
  function apply(data) {
    left = data.seconds_left;
    render();
    if (data.status === "expired") {
      done = true;
      show("thaid-expired");
      var heading = document.querySelector("#thaid-expired h2");
      live.textContent = heading.textContent;
      heading.focus();
    } else if (data.status !== "pending") {
      done = true;
      show("thaid-answered");
      if (data["continue"]) { window.location.assign(data["continue"]); }
    }
  }
  function poll() {
    if (done) { return; }
    fetch(statusUrl, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* a missed poll is retried */ })
      .then(function () { if (!done) { setTimeout(poll, 2000); } });
  }
  function tick() {
    if (done) { return; }
    if (left > 0) { left -= 1; render(); }
    setTimeout(tick, 1000);
  }
  if (!done) {
    render();
    setTimeout(tick, 1000);
    setTimeout(poll, 2000);
  }
})();
