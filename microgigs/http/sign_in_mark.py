"""After anyone signs in or out, the browser's tabs start new Reflex states.

Reflex names a tab's server-side state by a token the page keeps in sessionStorage, and the
full page load that follows our sign-in and sign-out routes keeps it. So whenever a route sets
or clears the session cookie (`session_cookie.py` calls `renew_sign_in_mark`), it also renews
the "sign-in mark": a readable cookie holding a random value that means nothing but "changed".
`BROWSER_SCRIPT` runs in every page's <head>, before Reflex's own scripts, and compares the mark
with the one this tab last saw. When they differ, it drops the tab's Reflex token (Reflex then
makes a new one, so the new person's tab starts with an empty state on the server) and tells
the browser's other tabs, which hide what they show at once and reload, doing the same.

The server does not rely on this: `microgigs.state.tab_identity` checks every event itself.
"""

import secrets

from starlette.responses import Response

from microgigs.settings import get_settings

SIGN_IN_MARK_COOKIE = "microgigs_sign_in_mark"
MARK_DAYS = 365  # longer than any session: an expired mark would only cost a tab a new state


def renew_sign_in_mark(response: Response) -> None:
    settings = get_settings()
    response.set_cookie(
        SIGN_IN_MARK_COOKIE,
        secrets.token_urlsafe(12),
        max_age=MARK_DAYS * 24 * 3600,
        httponly=False,  # the page's script reads it; it carries no secret
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


# Plain ES5 without "<", ">" or "&", as React writes it into the built HTML as the text of a <script>.
BROWSER_SCRIPT = """
(function () {
  var MARK = "%(cookie)s=";
  var SEEN = "microgigs.signInMark";
  var REFLEX_TOKEN = "token";
  function mark() {
    var parts = document.cookie.split("; ");
    for (var i = 0; i !== parts.length; i++) {
      if (parts[i].indexOf(MARK) === 0) return parts[i].slice(MARK.length);
    }
    return "";
  }
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("microgigs-sign-in") : null;
  // This tab's Reflex token was made under the mark it last saw: a new mark needs a new token.
  try {
    if (window.sessionStorage.getItem(SEEN) !== mark()) {
      window.sessionStorage.removeItem(REFLEX_TOKEN);
      window.sessionStorage.setItem(SEEN, mark());
      if (channel) channel.postMessage("changed");
    }
  } catch (error) {}
  // This page was drawn for the sign-in of this moment. When that changes (in another tab, or
  // before this page comes back from the back-forward cache), hide it at once and load it again.
  var drawnFor = mark();
  function reloadIfStale() {
    if (mark() === drawnFor) return;
    document.documentElement.style.visibility = "hidden";
    window.location.reload();
  }
  if (channel) channel.onmessage = reloadIfStale;
  window.addEventListener("pageshow", function (event) { if (event.persisted) reloadIfStale(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") reloadIfStale(); });
})();
""" % {"cookie": SIGN_IN_MARK_COOKIE}  # noqa: UP031  (%-style: the JavaScript's own braces stay as they are)
