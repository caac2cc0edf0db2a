// Progressive enhancement: add the reader's local time beside session start times, and keep the
// home page countdown current. Every page reads the same without it.
(function () {
  "use strict";
  var fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    timeZoneName: "short"
  });
  document.querySelectorAll("time[data-reader-time]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    var out = el.parentNode.querySelector(".reader-time");
    if (out) out.textContent = el.getAttribute("data-reader-time") + " " + fmt.format(when);
  });
  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var target = new Date(countdown.getAttribute("data-countdown"));
    var tick = function () {
      var s = Math.max(0, Math.floor((target - new Date()) / 1000));
      var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
      countdown.textContent = countdown.getAttribute("data-format")
        .replace("{d}", d).replace("{h}", h).replace("{m}", m);
    };
    tick();
    setInterval(tick, 30000);
  }
})();
