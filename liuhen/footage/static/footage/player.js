/* The viewer's overlay on the footage player (播放页): the name of the person watching and the
   time now, drawn over the picture and ticking while it plays — so a screen recording or a photo
   of the screen shows who looked and when. The stored file is never changed. Full screen is the
   player's box (with its overlay), not the bare video. No inline script: CSP. */
(function () {
  "use strict";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " +
      pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }
  function setup(box) {
    var clock = box.querySelector("[data-clock]");
    var media = box.querySelector("video, audio");
    var timer = null;
    function tick() { clock.textContent = stamp(new Date()); }
    function start() { tick(); if (timer === null) { timer = window.setInterval(tick, 1000); } }
    function stop() { tick(); if (timer !== null) { window.clearInterval(timer); timer = null; } }
    tick();
    if (media) {
      media.addEventListener("play", start);
      media.addEventListener("playing", start);
      media.addEventListener("timeupdate", tick);
      media.addEventListener("pause", stop);
      media.addEventListener("ended", stop);
    } else {
      start(); /* a photo: the overlay keeps the time while it is shown */
    }
    var full = document.querySelector("[data-fullscreen='" + box.id + "']");
    if (full && box.requestFullscreen) {
      full.hidden = false;
      full.addEventListener("click", function () {
        if (document.fullscreenElement) { document.exitFullscreen(); } else { box.requestFullscreen(); }
      });
    }
  }
  function init() {
    var boxes = document.querySelectorAll(".player[data-viewer]");
    for (var i = 0; i < boxes.length; i++) { setup(boxes[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
