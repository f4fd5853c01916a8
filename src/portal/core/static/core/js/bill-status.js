// The payment page notices by itself that its bill is paid (BILL-07): it asks the bill's
// status every few seconds and, once paid, hides the payment codes and shows "paid" with a
// link to the bill. Without this script the page offers a "check again" link instead.
(function () {
  var channels = document.getElementById("bill-channels");
  var paid = document.getElementById("bill-paid");
  if (!channels || !paid || !window.fetch) { return; }
  var url = channels.getAttribute("data-status-url");
  var seconds = parseInt(channels.getAttribute("data-poll-seconds"), 10) || 5;
  var timer = null;
  function ask() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (status && status.paid) {
          window.clearInterval(timer);
          channels.hidden = true;
          paid.hidden = false;
          paid.focus();
        } else if (status && status.state !== "awaiting_payment") {
          // Cancelled or expired meanwhile: the codes are no longer valid; reload to say so.
          window.clearInterval(timer);
          window.location.reload();
        }
      })
      .catch(function () { /* the network dropped: the next tick asks again */ });
  }
  paid.setAttribute("tabindex", "-1");
  timer = window.setInterval(ask, seconds * 1000);
})();
