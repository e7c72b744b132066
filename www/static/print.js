// The recovery-codes page: a "Print" button where JavaScript runs (the browser's own print
// works everywhere; the button is hidden without JavaScript so it never does nothing).
(function () {
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
