// A dataset page that Varnish answered never reached the app, so its view was not counted: the page's
// Server-Timing says "varnish;desc=hit" (deploy/varnish/jincai.vcl) and this script sends one beacon to the
// address in its data-beacon attribute. Pages the app rendered or answered from its own cache were counted there.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-beacon");
  if (!url || !navigator.sendBeacon || !window.performance || !performance.getEntriesByType) {
    return;
  }
  var navigation = performance.getEntriesByType("navigation")[0];
  var timings = (navigation && navigation.serverTiming) || [];
  for (var i = 0; i < timings.length; i++) {
    if (timings[i].name === "varnish" && timings[i].description === "hit") {
      navigator.sendBeacon(url);
      return;
    }
  }
})();
