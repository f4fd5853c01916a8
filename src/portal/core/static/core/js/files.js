// File inputs in the page's language (core.forms.PortalFileInput): the browser words its own
// "Choose file / No file chosen" in the browser's language, so the native input is laid,
// transparent, over a button and the chosen file's name written in the page's language. The
// native input keeps the click, the keyboard focus and what screen readers announce.
(function () {
  document.querySelectorAll("[data-file-upload]").forEach(function (box) {
    var input = box.querySelector("input[type=file]");
    var ui = box.querySelector(".file-ui");
    var name = box.querySelector("[data-file-name]");
    if (!input || !ui || !name) { return; }
    var show = function () {
      var files = input.files;
      name.textContent = files && files.length ? files[0].name : name.getAttribute("data-none");
    };
    box.classList.add("file-enhanced");
    ui.hidden = false;
    input.addEventListener("change", show);
    show();
  });
})();
