/* 留痕 — the signature pad (签名笔迹, issue 16 §5): a party or witness signs with a finger, a stylus
 * or the mouse on a <canvas>; on submit the drawing goes, as a PNG data URL, into the form's hidden
 * field `mark_data`, which the server decodes and checks (records/marks.py). No library, no inline
 * script or style (Content-Security-Policy). Without JavaScript the pad stays hidden and the photo
 * of the signed paper (a file input) still works.
 *
 * The strokes are kept as points in CSS pixels, so the pad can be redrawn sharp when its size
 * changes (a phone turned, the <details> around it opened); the bitmap has the screen's pixel
 * density. The background is painted white: the PNG is a signature on white, as on paper.
 */
(function () {
  "use strict";
  var INK = "#141438";

  function setup(pad) {
    var canvas = pad.querySelector("canvas");
    var field = pad.querySelector("[data-signature-data]");
    var form = pad.closest("form");
    var clear = pad.querySelector("[data-signature-clear]");
    var status = pad.querySelector("[data-signature-status]");
    var ctx = canvas.getContext("2d");
    var strokes = [];
    var current = null;

    function lineWidth() { return Math.max(2, Math.min(4, canvas.clientWidth / 150)); }

    function paint() {
      var ratio = window.devicePixelRatio || 1;
      var w = canvas.clientWidth, h = canvas.clientHeight;
      if (!w || !h) return;
      if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
        canvas.width = Math.round(w * ratio);
        canvas.height = Math.round(h * ratio);
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, w, h);
      ctx.strokeStyle = ctx.fillStyle = INK;
      ctx.lineCap = ctx.lineJoin = "round";
      ctx.lineWidth = lineWidth();
      strokes.forEach(draw);
    }

    function draw(points) {
      if (points.length === 1) {  // a dot
        ctx.beginPath();
        ctx.arc(points[0][0], points[0][1], ctx.lineWidth / 2, 0, 2 * Math.PI);
        ctx.fill();
        return;
      }
      ctx.beginPath();
      ctx.moveTo(points[0][0], points[0][1]);
      for (var i = 1; i < points.length; i++) ctx.lineTo(points[i][0], points[i][1]);
      ctx.stroke();
    }

    function point(ev) {
      var r = canvas.getBoundingClientRect();
      return [ev.clientX - r.left, ev.clientY - r.top];
    }

    function changed() {
      status.textContent = strokes.length ? "已签写" : "尚未签写";
      clear.disabled = !strokes.length;
    }

    canvas.addEventListener("pointerdown", function (ev) {
      if (ev.button !== undefined && ev.button > 0) return;  // only the main button / a touch / the pen
      ev.preventDefault();
      canvas.setPointerCapture(ev.pointerId);
      current = [point(ev)];
      strokes.push(current);
      paint();
      changed();
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!current) return;
      ev.preventDefault();
      var events = ev.getCoalescedEvents ? ev.getCoalescedEvents() : [ev];
      if (!events.length) events = [ev];
      var last = current[current.length - 1];
      events.forEach(function (e) { current.push(point(e)); });
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      current.slice(current.length - events.length).forEach(function (p) { ctx.lineTo(p[0], p[1]); });
      ctx.stroke();
    });
    function end() { current = null; }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    canvas.addEventListener("lostpointercapture", end);

    clear.addEventListener("click", function () {
      strokes = [];
      current = null;
      field.value = "";
      paint();
      changed();
    });

    form.addEventListener("submit", function () {
      var refused = form.querySelector("[name=outcome]");
      field.value = strokes.length && !(refused && refused.value === "refused") ? canvas.toDataURL("image/png") : "";
    });

    if (window.ResizeObserver) new ResizeObserver(paint).observe(canvas);
    else window.addEventListener("resize", paint);
    pad.hidden = false;
    paint();
    changed();
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-signature-pad]"), setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
