// Autosave for the draft form (an enhancement: without JavaScript the form works as before).
// Every 30 seconds when the text changed, and when the page is left or hidden, the form is
// posted to its own address with Accept: application/json, through the same revision-checked
// save as the "Save draft" button. On a conflict or a refusal it stops and says why.
(function () {
  'use strict';
  var form = document.querySelector('form[data-autosave]');
  // (form.action would be the buttons named "action": the address is read as an attribute.)
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var text = form.elements.namedItem('text');
  var revision = form.elements.namedItem('revision');
  var token = form.elements.namedItem('_csrf');
  if (!text || !revision || !token) return;

  var saved = text.value;
  var inFlight = null;
  var stopped = false;
  var leaving = false;

  var status = document.createElement('p');
  status.className = 'autosave-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  form.appendChild(status);

  function say(message, problem) {
    status.textContent = message;
    status.classList.toggle('autosave-status--problem', Boolean(problem));
  }

  function clock(iso) {
    var options = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    try {
      return new Intl.DateTimeFormat(undefined, Object.assign({ timeZone: form.getAttribute('data-time-zone') || undefined }, options)).format(new Date(iso));
    } catch (e) {
      return new Intl.DateTimeFormat(undefined, options).format(new Date(iso));
    }
  }

  function stop(message) {
    stopped = true;
    say(message + ' Autosave has stopped; your text is still here.', true);
  }

  function refusal(json) {
    var errors = (json && json.errors) || {};
    var first = Object.keys(errors).map(function (k) { return errors[k][0]; })[0];
    return first || (json && json.message) || 'The draft could not be saved automatically.';
  }

  function save(keepalive) {
    if (stopped || inFlight || text.value === saved) return inFlight || Promise.resolve();
    var sent = text.value;
    var body = new URLSearchParams();
    body.set('_csrf', token.value);
    body.set('text', sent);
    body.set('revision', revision.value);
    body.set('action', 'save');
    inFlight = fetch(form.getAttribute('action'), { method: 'POST', body: body, headers: { Accept: 'application/json' }, credentials: 'same-origin', keepalive: Boolean(keepalive) && sent.length < 60000 })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (json) {
          if (res.ok && json.saved) {
            saved = sent;
            revision.value = String(json.revision);
            say('Draft saved at ' + clock(json.savedAt) + '.', false);
          } else if (res.status === 409) {
            stop('Someone else saved this draft after you opened the page, so it was not saved automatically. Press “Save draft” to see both texts and choose.');
          } else if (res.status === 403 || res.status === 401) {
            stop('Your session has ended or the page is out of date. Copy your text, reload the page and save again.');
          } else {
            stop(refusal(json));
          }
        });
      })
      .catch(function () {
        if (!leaving) say('Not saved automatically: no connection. It will be tried again.', true);
      })
      .then(function () {
        inFlight = null;
      });
    return inFlight;
  }

  // Pressing a button while an autosave is on its way: wait for it (it brings the new revision),
  // then send the form as pressed.
  var resending = false;
  form.addEventListener('submit', function (event) {
    if (resending) return;
    leaving = true;
    if (!inFlight) return;
    event.preventDefault();
    var button = event.submitter;
    inFlight.then(function () {
      resending = true;
      if (form.requestSubmit) form.requestSubmit(button || undefined);
      else form.submit();
    });
  });

  setInterval(function () {
    if (!leaving) save(false);
  }, 30000);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && !leaving) save(true);
  });
  window.addEventListener('pagehide', function () {
    if (!leaving) save(true);
  });
})();
