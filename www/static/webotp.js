// WebOTP: when the SMS ends with "@host #code", browsers that support it (Chrome on Android)
// offer the code with one tap. Progressive: without support, the form works as usual.
(function () {
  if (!("OTPCredential" in window)) return;
  var input = document.querySelector('input[autocomplete="one-time-code"]');
  if (!input || !input.form) return;
  var abort = new AbortController();
  input.form.addEventListener("submit", function () { abort.abort(); });
  navigator.credentials.get({ otp: { transport: ["sms"] }, signal: abort.signal })
    .then(function (otp) { input.value = otp.code; input.form.submit(); })
    .catch(function () {});
})();
