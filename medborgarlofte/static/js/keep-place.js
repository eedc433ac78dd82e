// The agreement editor swaps itself in place with htmx after every save (hx-boost on
// #editor). Keep the edited item where it was on the screen: remember the nearest
// element with an id around the form that was sent (a commitment, a section, a part of
// the page) and its position, and scroll back to it after the swap. A removed item
// leaves the page where it was. Without JavaScript the server redirects to #<id>.
(function () {
  "use strict";
  var place = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var item = elt && elt.closest ? elt.closest("#editor [id]") : null;
    place = {
      id: item ? item.id : null,
      top: item ? item.getBoundingClientRect().top : 0,
      scrollY: window.scrollY
    };
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!place) { return; }
    var item = place.id ? document.getElementById(place.id) : null;
    if (item) {
      // the same place on the screen, but never above its top edge
      var wanted = Math.max(place.top, 16);
      window.scrollBy(0, item.getBoundingClientRect().top - wanted);
    } else {
      window.scrollTo(0, place.scrollY);
    }
    place = null;
  });
})();
