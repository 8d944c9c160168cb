/* 留痕 — typed work is never lost (未提交内容的保存与恢复).
 *
 * While a user types into a form that posts, its fields are kept in this tab's sessionStorage,
 * keyed by the page (path and query) and the form's action. If the session has expired when they
 * submit, the server sends them to log in and back to this page (web/middleware.py): on load, what
 * was typed is put back into the fields still showing what the page gave them, with a notice.
 * A submit that succeeds lands on a page with a success message: the kept fields of that submit
 * are then dropped. Passwords, hidden fields and files are never kept; logging out drops all.
 * sessionStorage belongs to this tab alone and is gone when it closes.
 *
 * Also: <select data-autosubmit> submits its form on change (no inline handler: CSP).
 */
(function () {
  "use strict";
  var PREFIX = "liuhen:form:";
  var SUBMITTED = "liuhen:submitted";
  var NOTICE = "已恢复您上次未提交的内容，请核对后再提交。";

  function store() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }
  var ss = store();

  function pageKey() { return PREFIX + location.pathname + location.search; }
  function formKey(form) {
    var action = form.getAttribute("action");
    return action ? new URL(action, location.href).pathname : location.pathname;
  }
  function kept(field) {
    if (!field.name || field.disabled) return false;
    var t = (field.type || "").toLowerCase();
    return !(t === "password" || t === "hidden" || t === "file" || t === "submit" || t === "button" ||
             field.name === "csrfmiddlewaretoken");
  }
  function keptForms() {
    return Array.prototype.filter.call(document.forms, function (f) {
      return (f.getAttribute("method") || "get").toLowerCase() === "post" && !f.hasAttribute("data-no-keep") &&
        Array.prototype.some.call(f.elements, kept);
    });
  }
  function read(key) {
    try { return JSON.parse(ss.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function write(key, value) {
    try {
      if (Object.keys(value).length) ss.setItem(key, JSON.stringify(value)); else ss.removeItem(key);
    } catch (e) { /* storage full or refused: typing goes on */ }
  }

  function snapshot(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!kept(f)) return;
      var t = (f.type || "").toLowerCase();
      if (t === "checkbox" || t === "radio") {
        data[f.name] = data[f.name] || [];
        if (f.checked) data[f.name].push(f.value);
      } else if (f.multiple) {
        data[f.name] = Array.prototype.filter.call(f.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        data[f.name] = f.value;
      }
    });
    return data;
  }

  function save(form) {
    var all = read(pageKey());
    all[formKey(form)] = snapshot(form);
    write(pageKey(), all);
  }

  function pristine(f) {
    var t = (f.type || "").toLowerCase();
    if (t === "checkbox" || t === "radio") return f.checked === f.defaultChecked;
    if (f.tagName === "SELECT") {
      return Array.prototype.every.call(f.options, function (o) { return o.selected === o.defaultSelected; });
    }
    return f.value === f.defaultValue;
  }

  /* Put saved values into fields the user has not touched since the page loaded. */
  function restore(form, data) {
    var changed = false;
    var seen = {};
    Array.prototype.forEach.call(form.elements, function (f) {
      if (!kept(f) || !(f.name in data) || !pristine(f)) return;
      var saved = data[f.name];
      var t = (f.type || "").toLowerCase();
      if (t === "checkbox" || t === "radio") {
        if (!Array.isArray(saved)) return;
        var on = saved.indexOf(f.value) !== -1;
        if (f.checked !== on) { f.checked = on; changed = true; }
        seen[f.name] = true;
      } else if (f.multiple) {
        if (!Array.isArray(saved)) return;
        Array.prototype.forEach.call(f.options, function (o) {
          var sel = saved.indexOf(o.value) !== -1;
          if (o.selected !== sel) { o.selected = sel; changed = true; }
        });
      } else if (typeof saved === "string" && f.value !== saved) {
        f.value = saved;
        changed = true;
      }
    });
    if (changed) {
      var note = document.createElement("div");
      note.className = "msg msg-info restored";
      note.setAttribute("role", "status");
      note.textContent = NOTICE;
      form.insertBefore(note, form.firstChild);
    }
  }

  function init() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
      s.addEventListener("change", function () { if (s.form) s.form.submit(); });
    });
    document.querySelectorAll("form[action$='/logout/']").forEach(function (f) {
      f.addEventListener("submit", function () {
        if (!ss) return;
        for (var i = ss.length - 1; i >= 0; i--) {
          var k = ss.key(i);
          if (k && (k.indexOf(PREFIX) === 0 || k === SUBMITTED)) ss.removeItem(k);
        }
      });
    });
    if (!ss) return;

    // The last submit: if this page says it succeeded, what it sent is saved; drop it.
    var last = null;
    try { last = JSON.parse(ss.getItem(SUBMITTED) || "null"); } catch (e) { last = null; }
    ss.removeItem(SUBMITTED);
    if (last && document.querySelector(".msg-success")) {
      var done = read(last.page);
      delete done[last.form];
      write(last.page, done);
    }

    var saved = read(pageKey());
    keptForms().forEach(function (form) {
      var data = saved[formKey(form)];
      if (data) restore(form, data);
      form.addEventListener("input", function () { save(form); });
      form.addEventListener("change", function () { save(form); });
      form.addEventListener("submit", function () {
        save(form);
        try { ss.setItem(SUBMITTED, JSON.stringify({page: pageKey(), form: formKey(form)})); } catch (e) { /* */ }
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
