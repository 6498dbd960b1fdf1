// The center floor: the kiosk's reset after a minute untouched, and the hall display's live board.
(function () {
  "use strict";
  var body = document.body;

  // Kiosk: back to the start after the idle time (a warning 10 s before); any touch or key restarts the count.
  var reset = body.getAttribute("data-reset-url");
  if (reset) {
    var secs = parseInt(body.getAttribute("data-reset-seconds") || "60", 10);
    var warn = document.getElementById("idle-warn");
    var timer = null;
    var arm = function () {
      if (timer) clearTimeout(timer);
      if (warn) warn.hidden = true;
      timer = setTimeout(function () {
        if (warn) warn.hidden = false;
        timer = setTimeout(function () {
          // Nothing personal stays: the page is replaced, not kept in history.
          document.querySelectorAll("input").forEach(function (i) { i.value = ""; });
          location.replace(reset);
        }, 10000);
      }, Math.max(secs - 10, 1) * 1000);
    };
    ["pointerdown", "keydown", "input", "touchstart"].forEach(function (e) {
      document.addEventListener(e, arm, { passive: true });
    });
    arm();
  }
  // Printing: the PDF goes to a hidden frame and its print dialog (silent in a kiosk browser), so the kiosk stays on
  // its own page, which resets; without a frame the link opens the PDF.
  document.querySelectorAll("a[data-print]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var old = document.getElementById("k-print-frame");
      if (old) old.parentNode.removeChild(old);
      var f = document.createElement("iframe");
      f.id = "k-print-frame";
      f.title = a.textContent;
      f.style.cssText = "position:absolute;width:1px;height:1px;left:-9999px;border:0";
      f.onload = function () {
        try { f.contentWindow.focus(); f.contentWindow.print(); } catch (err) { window.open(a.href, "_blank"); }
      };
      f.src = a.href;
      document.body.appendChild(f);
      var note = document.getElementById("k-printing");
      if (note) { note.hidden = false; setTimeout(function () { note.hidden = true; }, 8000); }
    });
  });
  // The scanner types into the focused field and presses Enter.
  var scan = document.getElementById("qr");
  if (scan) scan.focus();

  // Hall display: the board from server-sent events; the browser reconnects by itself (retry: 2000).
  var events = body.getAttribute("data-events");
  if (!events || !window.EventSource) return;
  var now = document.getElementById("tv-now");
  var next = document.getElementById("tv-next");
  var waiting = document.getElementById("tv-waiting");
  var clock = document.getElementById("tv-clock");
  var status = document.getElementById("tv-status");
  var seen = {};
  document.querySelectorAll("#tv-now li").forEach(function (li) { seen[li.getAttribute("data-key")] = true; });
  var audio = null;
  var chime = function () {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [660, 880].forEach(function (f, i) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = f;
        o.connect(g); g.connect(audio.destination);
        var t = audio.currentTime + i * 0.35;
        g.gain.setValueAtTime(0.25, t);
        g.gain.exponentialRampToValueAtTime(0.001, t + 0.3);
        o.start(t); o.stop(t + 0.32);
      });
    } catch (e) { /* no sound on this screen */ }
  };
  var say = function (label, counter) {
    if (!window.speechSynthesis || !status) return;
    var u = new SpeechSynthesisUtterance(status.getAttribute("data-call") + " " + label.split("").join(" ") + " " + status.getAttribute("data-to") + " " + counter);
    u.lang = document.documentElement.lang === "en" ? "en-US" : "vi-VN";
    window.speechSynthesis.speak(u);
  };
  var render = function (b) {
    var fresh = [];
    while (now.firstChild) now.removeChild(now.firstChild);
    b.calls.forEach(function (c) {
      var li = document.createElement("li");
      li.setAttribute("data-key", c.key);
      [["num", c.label], ["to", status.getAttribute("data-to")], ["ctr", String(c.counter)]].forEach(function (p) {
        var s = document.createElement("span"); s.className = p[0]; s.textContent = p[1]; li.appendChild(s);
      });
      if (!seen[c.key]) { li.className = "new"; fresh.push(c); seen[c.key] = true; }
      now.appendChild(li);
    });
    var empty = document.getElementById("tv-empty");
    if (empty) empty.hidden = b.calls.length > 0;
    while (next.firstChild) next.removeChild(next.firstChild);
    b.next.forEach(function (n) { var li = document.createElement("li"); li.textContent = n; next.appendChild(li); });
    waiting.textContent = String(b.waiting);
    if (fresh.length) { chime(); fresh.forEach(function (c) { say(c.label, c.counter); }); }
  };
  // The clock is the screen's own (the board's time is that of the last change).
  setInterval(function () {
    var d = new Date();
    clock.textContent = ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }, 15000);
  var es = new EventSource(events);
  es.addEventListener("board", function (e) {
    status.textContent = status.getAttribute("data-live");
    status.className = "tv-status live";
    try { render(JSON.parse(e.data)); } catch (err) { /* keep the last board */ }
  });
  es.onerror = function () {
    status.textContent = status.getAttribute("data-lost");
    status.className = "tv-status lost";
  };
})();
