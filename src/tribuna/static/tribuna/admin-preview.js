/* The statement editor's Markdown preview: the text as the public page will show it, rendered and
   sanitised by the server (the same code as the page), without saving. No inline script (strict CSP). */
(function () {
  "use strict";
  var text = document.getElementById("id_text");
  if (!text) return;
  var preview = document.createElement("div");
  preview.className = "statement-preview statement-body";
  preview.hidden = true;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button statement-preview-button";
  button.textContent = "Preview";
  var status = document.createElement("p");
  status.className = "statement-preview-status";
  status.setAttribute("role", "status");
  text.after(button, status, preview);

  var url = window.location.pathname.replace(/\/(add|\d+\/change)\/?$/, "/preview/");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  button.addEventListener("click", function () {
    var body = new URLSearchParams({ text: text.value });
    status.textContent = "Rendering…";
    fetch(url, { method: "POST", body: body, credentials: "same-origin",
                 headers: { "X-CSRFToken": csrf ? csrf.value : "" } })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        if (!result[0]) { status.textContent = result[1].detail || "The preview failed."; return; }
        preview.innerHTML = result[1].html; // sanitised by the server with the page's own allow-list
        preview.hidden = false;
        status.textContent = "Preview of the unsaved text:";
      })
      .catch(function () { status.textContent = "The preview failed; the text is unchanged."; });
  });
})();
