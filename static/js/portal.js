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

  // 复制 buttons beside code examples: the text of the element named by data-copy goes to the clipboard.
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      var source = document.querySelector(button.getAttribute("data-copy"));
      if (!source || !navigator.clipboard) { return; }
      var label = button.firstChild;
      navigator.clipboard.writeText(source.textContent).then(function () {
        label.textContent = "已复制";
        setTimeout(function () { label.textContent = "复制"; }, 2000);
      });
    });
  });
})();
