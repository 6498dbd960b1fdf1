// motcua: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Session time-out warning: two minutes before an idle session ends, offer to keep it.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (idle > 0) {
    var warnAt = Math.max(idle - 120, 10) * 1000;
    var timer = null;
    var box = null;
    var arm = function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(warn, warnAt);
    };
    var warn = function () {
      if (box) { return; }
      box = document.createElement("div");
      box.className = "timeout";
      box.setAttribute("role", "alertdialog");
      box.setAttribute("aria-live", "assertive");
      box.setAttribute("data-test", "timeout-warning");
      var p = document.createElement("p");
      p.textContent = body.getAttribute("data-warn-text");
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = body.getAttribute("data-stay-text");
      b.addEventListener("click", function () {
        fetch("/api/v1/auth/me", { credentials: "same-origin" }).then(function () {
          box.remove();
          box = null;
          arm();
        });
      });
      box.appendChild(p);
      box.appendChild(b);
      body.appendChild(box);
      b.focus();
    };
    arm();
  }
  // Counter intake: a scanner types the chip ID card's QR text and Enter; fill the applicant fields from it.
  var qr = document.querySelector("[data-card-qr]");
  if (qr) {
    var fill = function () {
      var f = qr.value.trim().split("|");
      if (f.length < 6 || !/^\d{12}$/.test(f[0])) { return false; }
      var set = function (id, v) {
        var el = document.getElementById(id);
        if (el && !el.value) { el.value = v; }
      };
      set("id_number", f[0]);
      set("name", f[2]);
      set("address", f[5]);
      return true;
    };
    qr.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        if (fill()) {
          var next = document.getElementById("phone");
          if (next) { next.focus(); }
        }
      }
    });
    qr.addEventListener("change", fill);
  }
})();
