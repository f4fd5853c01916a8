// Progressive enhancements; every form works without them.
(function () {
  document.querySelectorAll("[data-toggle-password]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.getAttribute("data-toggle-password"));
      var show = input.type === "password";
      input.type = show ? "text" : "password";
      button.setAttribute("aria-pressed", show ? "true" : "false");
      button.querySelector(".eye-show").hidden = show;
      button.querySelector(".eye-hide").hidden = !show;
    });
  });
  // Date of birth: no field changes another (issue 9: choosing "none" for the day and then a
  // month silently cleared the day). A day and month that do not go together get the
  // server's message beside the fields, with both kept as chosen.
  // Countdown for one-time passwords: the server decides; this only shows the time left.
  document.querySelectorAll("[data-expires-in]").forEach(function (el) {
    var left = parseInt(el.getAttribute("data-expires-in"), 10);
    var tick = function () {
      var m = Math.floor(Math.max(left, 0) / 60), s = Math.max(left, 0) % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      if (left-- > 0) { setTimeout(tick, 1000); }
    };
    tick();
  });
})();
