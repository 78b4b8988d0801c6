#!/usr/bin/env sh
# Install Debian's Chromium and ChromeDriver for the browser tests when they are missing.
set -eu
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "Chromium is missing and this user cannot install it: apt-get install chromium chromium-driver" >&2
    exit 1
fi
echo "installing Chromium for the browser tests (apt) ..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
