/* 온라인 관악청: after an htmx swap, the keyboard focus stays with the control that acted.
   htmx keeps focus on an element whose id survives the swap, but only if it had focus
   (Safari does not focus a clicked button), and not when the control is gone or hidden
   after the swap (a deleted comment's 삭제, a reply form folded away): then focus goes
   to the element named by the control's data-focus-after. Announcements are the
   server's: it fills the #announce live region out of band. */
(function () {
  "use strict";
  var acted = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var cause = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
    if (!cause || (cause.type !== "submit" && cause.type !== "click")) {
      acted = null; // polling and other timers never move the focus
      return;
    }
    var control = cause.submitter || event.detail.elt;
    acted = control && control.id ? control : null;
  });

  // True when `el` has the focus afterwards (focus() does nothing on a hidden element).
  function focusOn(el) {
    if (el && document.activeElement !== el) el.focus({ preventScroll: true });
    return !!el && document.activeElement === el;
  }

  document.addEventListener("htmx:afterSettle", function () {
    if (!acted) return;
    var control = acted;
    acted = null;
    if (!focusOn(document.getElementById(control.id))) {
      focusOn(document.getElementById(control.getAttribute("data-focus-after") || ""));
    }
  });
})();
