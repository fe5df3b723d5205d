// 在线访谈 live page: fetch the turns published since the last one shown and append them, without reloading.
// A static file (the site's CSP allows no inline script); the page works without it (reload to see new turns).
(function () {
  "use strict";
  var list = document.getElementById("transcript");
  if (!list || list.dataset.phase === "archived") { return; }
  var url = list.dataset.turnsUrl;
  var after = parseInt(list.dataset.after || "0", 10) || 0;
  var PERIOD = 10000;

  function turnItem(turn) {
    var li = document.createElement("li");
    li.className = "pt-turn pt-turn--" + turn.speaker;
    li.dataset.id = String(turn.id);
    var photo;
    if (turn.photo) {
      photo = document.createElement("img");
      photo.src = turn.photo;
      photo.alt = "";
    } else {
      photo = document.createElement("span");
      photo.className = "pt-avatar";
      photo.setAttribute("aria-hidden", "true");
      photo.textContent = turn.speaker_label.slice(0, 1);
    }
    photo.classList.add("pt-turn__photo");
    var body = document.createElement("div");
    var who = document.createElement("p");
    who.className = "pt-turn__who";
    var name = document.createElement("strong");
    name.textContent = turn.speaker_label;
    var time = document.createElement("time");
    time.textContent = turn.time;
    who.appendChild(name);
    who.appendChild(document.createTextNode(" "));
    who.appendChild(time);
    var text = document.createElement("p");
    text.className = "pt-turn__text";
    text.textContent = turn.text;
    body.appendChild(who);
    body.appendChild(text);
    li.appendChild(photo);
    li.appendChild(body);
    return li;
  }

  function poll() {
    fetch(url + "?after=" + after, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var empty = document.getElementById("transcript-empty");
        data.turns.forEach(function (turn) {
          if (turn.id <= after) { return; }
          list.appendChild(turnItem(turn));
          after = turn.id;
          if (empty) { empty.remove(); empty = null; }
        });
        if (data.phase === "archived") {
          var status = document.getElementById("live-status");
          if (status) { status.textContent = "访谈已结束，以上为文字实录。"; }
          return;
        }
        window.setTimeout(poll, PERIOD);
      })
      .catch(function () { window.setTimeout(poll, PERIOD * 3); });
  }

  window.setTimeout(poll, PERIOD);
})();
