// Sandbox bank (issue 10): pay by pasting the QR code's or barcode's image. An image pasted
// anywhere on the page is put into the scan form's file input (as if chosen from a file) and
// its name shown; the payer then reads the code with the form's button. Without this script
// the file input takes the image by upload, as it always does.
(function () {
  var form = document.querySelector("[data-paste-target]");
  if (!form || typeof DataTransfer === "undefined") { return; }
  var input = form.querySelector("input[type=file]");
  var hint = form.querySelector("[data-paste-hint]");
  var status = form.querySelector("[data-paste-status]");
  if (!input) { return; }
  if (hint) { hint.hidden = false; }

  function pastedImage(data) {
    if (!data) { return null; }
    var files = data.files || [];
    for (var i = 0; i < files.length; i += 1) {
      if (files[i].type.indexOf("image/") === 0) { return files[i]; }
    }
    var items = data.items || [];
    for (var j = 0; j < items.length; j += 1) {
      if (items[j].kind === "file" && items[j].type.indexOf("image/") === 0) {
        return items[j].getAsFile();
      }
    }
    return null;
  }

  document.addEventListener("paste", function (event) {
    var image = pastedImage(event.clipboardData);
    if (!image) { return; }
    event.preventDefault();
    var name = image.name || "pasted-image." + (image.type.split("/")[1] || "png");
    var file = new File([image], name, { type: image.type });
    var transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    // core/js/files.js writes the chosen file's name beside the button on "change".
    input.dispatchEvent(new Event("change", { bubbles: true }));
    if (status) {
      status.textContent = (status.getAttribute("data-pasted") || "") + " " + name;
    }
    input.focus();
  });
})();
