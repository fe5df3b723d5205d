// 金财门户: small progressive enhancements. The site works without JavaScript.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "jincai-elder";

  // 长者模式: larger type and stronger contrast, remembered across pages.
  var toggle = document.querySelector("[data-elder-toggle]");
  if (toggle) {
    var sync = function () {
      var on = root.classList.contains("elder");
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? "退出长者模式" : "长者模式";
    };
    sync();
    toggle.addEventListener("click", function () {
      var on = root.classList.toggle("elder");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: not remembered */ }
      sync();
    });
  }

  // Collapsible main navigation on narrow screens.
  var navToggle = document.querySelector("[data-nav-toggle]");
  if (navToggle) {
    var list = document.getElementById(navToggle.getAttribute("aria-controls"));
    navToggle.addEventListener("click", function () {
      var open = list.classList.toggle("is-open");
      navToggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Filter forms leave out the fields set to 全部, so the address reads ?type=award, not ?year=&theme=&type=award.
  Array.prototype.forEach.call(document.querySelectorAll("form.filter-bar"), function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.value === "") { field.disabled = true; }
      });
    });
  });

  // Today's date in the top bar, as 2026年11月23日 星期一.
  var today = document.querySelector("[data-today]");
  if (today) {
    var d = new Date();
    var days = "日一二三四五六";
    today.textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" + days.charAt(d.getDay());
  }
})();
