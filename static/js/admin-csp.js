/* The Wagtail admin under a strict Content-Security-Policy (no inline script).
 *
 * The admin templates this project overrides (templates/wagtailadmin/widgets/*_input.html, panels/inline_panel.html,
 * panels/multiple_chooser_panel.html) leave their set-up as inert JSON:
 *   <script type="application/json" data-csp-init="initDateTimeChooser" data-csp-target="id">{config}</script>
 * This file runs each one once: on load, and whenever the admin inserts new HTML (an inline panel's "add", a modal).
 */
(function () {
  "use strict";
  var PANELS = { InlinePanel: true, MultipleChooserPanel: true };

  function run(element) {
    if (element.dataset.cspDone) return;
    var name = element.dataset.cspInit;
    var target = name.split(".").reduce(function (scope, part) { return scope && scope[part]; }, window);
    if (typeof target !== "function") return; // its script is not on this page (yet)
    element.dataset.cspDone = "1";
    var config = JSON.parse(element.textContent || "null");
    if (PANELS[name]) {
      new target(config); // eslint-disable-line no-new
    } else if (element.dataset.cspNew === "1") {
      // `new PageChooser("id", {...})`: the element's id first, as Wagtail's own inline call passes it (without it
      // the chooser looked up no element and threw "Cannot read properties of null (reading 'querySelector')").
      if (config === null) new target(element.dataset.cspTarget); // eslint-disable-line no-new
      else new target(element.dataset.cspTarget, config); // eslint-disable-line no-new
    } else {
      target(element.dataset.cspTarget, config);
    }
  }

  function runAll(root) {
    var found = (root.querySelectorAll ? root.querySelectorAll("script[data-csp-init]") : []);
    for (var i = 0; i < found.length; i++) run(found[i]);
    if (root.matches && root.matches("script[data-csp-init]")) run(root);
  }

  function start() {
    runAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) { if (node.nodeType === 1) runAll(node); });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
