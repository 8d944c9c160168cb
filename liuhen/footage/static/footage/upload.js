/* 留痕 — 上传音像记录 (browser upload through the resumable API, /api/footage/).
 *
 * Each chosen file is hashed (SHA-256, read in slices: never whole in memory), declared, then sent
 * in chunks at the offset the server has reached. A chunk that fails (the connection dropped) is
 * retried from the offset the server reports; a 507 (storage unavailable) is retried later, the
 * server keeping what it received. The upload's id is kept in localStorage under the device and the
 * file's name, size and lastModified: after a page reload the same file, chosen again, resumes.
 * Each file's result is shown in Chinese: 新入库 / 重复 / 拒收 + reason, and 已确认 once the server
 * read its stored copy back and re-hashed it. The session's CSRF token goes in X-CSRFToken.
 */
(function () {
  "use strict";
  var app = document.getElementById("upload-app");
  var form = document.getElementById("upload-form");
  if (!app || !form) return;
  var API = app.getAttribute("data-api");
  var CHUNK = parseInt(app.getAttribute("data-chunk"), 10) || 8 * 1024 * 1024;
  var HASH_SLICE = 8 * 1024 * 1024;
  var PREFIX = "liuhen:upload:";
  var list = document.getElementById("upload-list");
  var overall = document.getElementById("upload-overall");
  var overallBar = document.getElementById("upload-overall-bar");
  var overallText = document.getElementById("upload-overall-text");
  var LABELS = { "new": "新入库", "duplicate": "重复（已存储）", "rejected": "拒收", "mismatch": "校验不符",
                 "expired": "已过期" };

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : app.getAttribute("data-csrf");
  }
  var ls = null;
  try { ls = window.localStorage; } catch (e) { ls = null; }
  function remember(k, v) { if (ls) { try { if (v) ls.setItem(k, v); else ls.removeItem(k); } catch (e) {} } }
  function recall(k) { if (!ls) return null; try { return ls.getItem(k); } catch (e) { return null; } }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function size(n) {
    if (n >= 1073741824) return (n / 1073741824).toFixed(2) + " GB";
    if (n >= 1048576) return (n / 1048576).toFixed(1) + " MB";
    return Math.max(1, Math.round(n / 1024)) + " KB";
  }

  function call(method, url, body, headers) {
    var h = { "X-CSRFToken": csrf(), "Accept": "application/json" };
    for (var k in headers || {}) h[k] = headers[k];
    return fetch(url, { method: method, body: body, headers: h, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        return r.text().then(function (t) {
          var data = null;
          try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
          return { status: r.status, data: data };
        });
      });
  }

  function Row(file) {
    this.file = file;
    this.sent = 0;
    this.li = document.createElement("li");
    var name = document.createElement("div");
    name.className = "name";
    name.textContent = (file.webkitRelativePath || file.name) + "（" + size(file.size) + "）";
    this.bar = document.createElement("progress");
    this.bar.max = Math.max(file.size, 1);
    this.bar.value = 0;
    this.bar.setAttribute("aria-label", file.name + " 上传进度");
    this.status = document.createElement("div");
    this.status.className = "status";
    this.status.textContent = "等待上传";
    this.li.appendChild(name);
    this.li.appendChild(this.bar);
    this.li.appendChild(this.status);
    this.li.setAttribute("data-file", file.name);
    list.appendChild(this.li);
  }
  Row.prototype.say = function (text, cls) {
    this.status.textContent = text;
    this.status.className = "status" + (cls ? " " + cls : "");
  };
  Row.prototype.progress = function (n) { this.sent = n; this.bar.value = n; tally(); };

  var rows = [];
  function tally() {
    var total = 0, sent = 0;
    rows.forEach(function (r) { total += r.file.size; sent += r.sent; });
    overallBar.max = Math.max(total, 1);
    overallBar.value = sent;
    overallText.textContent = size(sent) + " / " + size(total);
  }

  function hashFile(file, row) {
    var h = window.sha256.create();
    var at = 0;
    function next() {
      if (at >= file.size) return Promise.resolve(h.hex());
      var end = Math.min(at + HASH_SLICE, file.size);
      return file.slice(at, end).arrayBuffer().then(function (buf) {
        h.update(buf);
        at = end;
        row.say("正在计算校验值（SHA-256）… " + Math.floor(at * 100 / Math.max(file.size, 1)) + "%");
        return next();
      });
    }
    return next();
  }

  function result(row, s) {
    var text = LABELS[s.status] || s.status;
    if (s.reason) text += "：" + s.reason;
    if (s.confirmed) text += " · 已确认";
    row.say(text, s.status === "new" || s.status === "duplicate" ? "ok" : "bad");
    row.li.setAttribute("data-status", s.status);
    if (s.confirmed) row.li.setAttribute("data-confirmed", "1");
    row.progress(s.status === "new" || s.status === "duplicate" ? row.file.size : row.sent);
  }

  async function uploadOne(row, device, batch) {
    var file = row.file;
    var key = PREFIX + device + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    var state = null, r;
    var id = recall(key);
    if (id) {
      try { r = await call("GET", API + "/uploads/" + id); } catch (e) { r = { status: 0 }; }
      if (r.status === 200 && r.data && !(r.data.state === "ended" && (r.data.status === "mismatch" || r.data.status === "expired"))) {
        state = r.data;
        row.say("继续上传（服务器已收到 " + size(state.offset) + "）");
      } else {
        remember(key, null);
      }
    }
    if (!state) {
      var sha = await hashFile(file, row);
      var body = { name: file.name, relative_path: file.webkitRelativePath || file.name, size: file.size,
                   sha256: sha, device: device };
      if (batch.ingest) body.ingest = batch.ingest;
      for (var tries = 0; ; tries++) {
        try { r = await call("POST", API + "/uploads", JSON.stringify(body), { "Content-Type": "application/json" }); }
        catch (e) { r = { status: 0 }; }
        if (r.status !== 0 || tries >= 5) break;
        row.say("网络中断，正在重试…");
        await sleep(1000 * (tries + 1));
      }
      if (r.status !== 200 && r.status !== 201) {
        row.say((r.data && r.data.detail) || "无法开始上传（网络或服务器错误）。", "bad");
        row.li.setAttribute("data-status", "error");
        return;
      }
      state = r.data;
      remember(key, state.id);
    }
    batch.ingest = batch.ingest || state.ingest;
    var offset = state.offset, failures = 0;
    row.progress(offset);
    while (state.state !== "ended") {
      if (offset >= file.size) {
        try { r = await call("POST", API + "/uploads/" + state.id + "/complete"); } catch (e) { r = { status: 0 }; }
      } else {
        row.say("正在上传… " + Math.floor(offset * 100 / Math.max(file.size, 1)) + "%");
        try {
          r = await call("PATCH", API + "/uploads/" + state.id, file.slice(offset, Math.min(offset + CHUNK, file.size)),
                         { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" });
        } catch (e) { r = { status: 0 }; }
      }
      if (r.status === 200 || r.status === 422 || r.status === 410) {
        if (r.data && r.data.id) { state = r.data; offset = state.offset; row.progress(offset); failures = 0; continue; }
      }
      if (r.status === 409 && r.data && typeof r.data.offset === "number") {
        if (r.data.code === "ended") {
          try { r = await call("GET", API + "/uploads/" + state.id); state = r.data || state; } catch (e) {}
          continue;
        }
        if (r.data.code === "busy") await sleep(1000);  // another request of ours is still writing
        offset = r.data.offset;  // the server's offset: resend from there
        row.progress(offset);
        continue;
      }
      if (r.status === 410) remember(key, null);  // the staged bytes are gone: start anew next time
      failures += 1;
      if (r.status && r.status !== 507 && r.status < 500) {  // refused: say why and stop
        row.say((r.data && r.data.detail) || ("上传被拒绝（" + r.status + "）。"), "bad");
        row.li.setAttribute("data-status", "error");
        return;
      }
      if (failures > 30) {
        row.say("多次重试仍未成功，请稍后重新选择该文件继续上传。", "bad");
        row.li.setAttribute("data-status", "error");
        return;
      }
      row.say(r.status === 507 ? ((r.data && r.data.detail) || "服务器存储暂不可用") + "，稍后自动重试…"
                               : "网络中断，正在从服务器已收到的位置继续…");
      await sleep(Math.min(1000 * failures, r.status === 507 ? 15000 : 5000));
      try {  // where the server got to, before the next try
        var s = await call("GET", API + "/uploads/" + state.id);
        if (s.status === 200 && s.data) { state = s.data; offset = state.offset; row.progress(offset); }
      } catch (e) {}
    }
    remember(key, null);
    result(row, state);
  }

  form.addEventListener("submit", async function (ev) {
    ev.preventDefault();
    var input = document.getElementById("upload-files");
    var device = document.getElementById("upload-device").value;
    // Videos before the sidecars written beside them (.NMEA, .gps, .txt, Info.dat): a sidecar
    // finds its video already stored.
    var SIDECAR = /(\.(nmea|gps|txt)|info\.dat)$/i;
    var files = Array.prototype.slice.call(input.files || []).sort(function (a, b) {
      return (SIDECAR.test(a.name) ? 1 : 0) - (SIDECAR.test(b.name) ? 1 : 0);
    });
    if (!files.length) {
      var row = document.createElement("li");
      row.className = "status bad";
      row.textContent = "请选择要上传的文件。";
      list.appendChild(row);
      return;
    }
    var button = document.getElementById("upload-start");
    button.disabled = true;
    list.textContent = "";
    rows = files.map(function (f) { return new Row(f); });
    overall.hidden = false;
    tally();
    var batch = { ingest: null };
    for (var i = 0; i < rows.length; i++) {
      try { await uploadOne(rows[i], device, batch); }
      catch (e) { rows[i].say("上传出错：" + e, "bad"); rows[i].li.setAttribute("data-status", "error"); }
    }
    button.disabled = false;
    input.value = "";
  });
})();
