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
  // Workflow editor: what the step budgets leave of the limit, updated while typing (the server says it too).
  var budget = document.querySelector("[data-test=budget-left]");
  if (budget) {
    var vi = budget.getAttribute("data-vi") === "1";
    var read = function (t) {
      var parts = t.trim().toLowerCase().replace(/,/g, ".").match(/[\d.]+\s*[^\d\s]*/g);
      if (!parts) { return t.trim() === "" ? 0 : NaN; }
      var per = { "ngày": 480, "ngay": 480, "d": 480, "giờ": 60, "gio": 60, "h": 60, "g": 60, "tiếng": 60, "phút": 1, "phut": 1, "p": 1, "ph": 1, "m": 1, "min": 1 };
      var total = 0, last = 0;
      for (var i = 0; i < parts.length; i++) {
        var n = parseFloat(parts[i]);
        var u = parts[i].replace(/[\d.\s]/g, "");
        var k = u === "" ? (parts.length === 1 ? 480 : (last === 60 ? 1 : NaN)) : per[u];
        if (!k || isNaN(n)) { return NaN; }
        total += n * k; last = k;
      }
      return Math.round(total);
    };
    var words = function (m) {
      var d = vi ? ["ngày", "giờ", "phút"] : ["days", "h", "min"];
      if (m % 480 === 0) { return (m / 480) + " " + d[0]; }
      if ((m * 10) % 480 === 0) { return String(m / 480).replace(".", vi ? "," : ".") + " " + d[0]; }
      var out = [];
      if (m >= 480) { out.push(Math.floor(m / 480) + " " + d[0]); }
      if (Math.floor((m % 480) / 60) > 0) { out.push(Math.floor((m % 480) / 60) + " " + d[1]); }
      if (m % 60 > 0) { out.push((m % 60) + " " + d[2]); }
      return out.join(" ");
    };
    var update = function () {
      var limit = parseInt(budget.getAttribute("data-limit"), 10);
      var used = 0, unread = [], odd = false;
      document.querySelectorAll("input[data-budget]").forEach(function (el) {
        var name = el.closest("tr") && el.closest("tr").querySelector("input[name=name]");
        el.removeAttribute("aria-invalid");
        if (name && name.value.trim() === "") { return; }
        var m = read(el.value);
        if (isNaN(m) || el.value.trim() === "") { unread.push(el.value.trim() || "…"); el.setAttribute("aria-invalid", "true"); return; }
        if (m % 15 !== 0) { odd = true; el.setAttribute("aria-invalid", "true"); }
        used += m;
      });
      var notes = [];
      if (unread.length) { notes.push((vi ? "chưa đọc được: " : "cannot read: ") + unread.join(", ")); }
      if (odd) { notes.push(vi ? "thời gian tính theo bội số 15 phút" : "times go in steps of 15 minutes"); }
      budget.classList.toggle("warn", notes.length > 0);
      if (isNaN(limit)) {
        budget.textContent = (vi ? "Tổng các bước " : "The steps add up to ") + words(used) + (notes.length ? " · " + notes.join(" · ") : "");
        return;
      }
      var left = limit - used;
      var rest = left === 0 ? (vi ? "vừa đủ thời hạn" : "exactly the limit")
        : left > 0 ? (vi ? "còn lại " : "left ") + words(left)
        : (vi ? "vượt " : "over by ") + words(-left);
      budget.classList.toggle("warn", notes.length > 0 || left !== 0);
      budget.textContent = (vi ? "Đã chia " : "Assigned ") + words(used) + " · " + rest + (notes.length ? " · " + notes.join(" · ") : "");
    };
    document.querySelectorAll("input[data-budget], input[name=name]").forEach(function (el) {
      el.addEventListener("input", update);
    });
  }
})();

// A queue ticket's page on the phone: position and expected wait refreshed every 10 seconds.
(function () {
  "use strict";
  var live = document.getElementById("ticket-live");
  if (!live || !window.fetch) return;
  var api = live.getAttribute("data-api");
  var set = function (k, v) {
    live.querySelectorAll("[data-k=" + k + "]").forEach(function (el) { el.textContent = String(v); });
  };
  var was = null;
  var tick = function () {
    fetch(api, { headers: { accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        if (was && was !== s.state) { location.reload(); return; }
        was = s.state;
        set("ahead", s.ahead);
        set("estimated_wait_minutes", s.estimated_wait_minutes);
        if (s.counter !== null) set("counter", s.counter);
        if (s.state === "called" && navigator.vibrate) navigator.vibrate([300, 100, 300]);
      })
      .catch(function () { /* try again at the next tick */ });
  };
  setInterval(tick, 10000);
  tick();
})();
