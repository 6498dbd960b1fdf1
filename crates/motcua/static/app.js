// motcua: progressive enhancement only; every page works without this file.
(function () {
  "use strict";
  // Session time-out warning: two minutes before an idle session ends, offer to keep it.
  var body = document.body;
  if (body.hasAttribute("data-idle-seconds")) {
    var timer = null;
    var box = null;
    // Re-read on every arm, so a page (or a test) can change the idle time and send "motcua-rearm".
    var arm = function () {
      var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
      if (timer) { clearTimeout(timer); }
      if (idle > 0) { timer = setTimeout(warn, Math.max(idle - 120, 1) * 1000); }
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
    document.addEventListener("motcua-rearm", arm);
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
