#!/usr/bin/env bash
# The README's test command: installs what the tests need on a fresh machine
# (the three browser engines of the browser suite: Debian's Chromium, Firefox
# ESR, WebKitGTK's MiniBrowser and Xvfb, about 900 MB in all), then runs the
# whole test suite, with the `route_cors::test` module (feature `test-util`)
# and the browser suite, which needs it.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
[ -x /usr/lib/x86_64-linux-gnu/webkitgtk-6.0/MiniBrowser ] || missing+=(libwebkitgtk-6.0-4)
[ -x /usr/bin/Xvfb ] || missing+=(xvfb)
if [ ${#missing[@]} -gt 0 ]; then
    echo "== installing ${missing[*]} (browser suite)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo test --workspace --features route-cors/test-util "$@"
