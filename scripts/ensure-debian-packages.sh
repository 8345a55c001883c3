#!/usr/bin/env bash
# Install the Debian packages named on the command line that are not installed yet.
#
#   scripts/ensure-debian-packages.sh postgresql chromium
#
# Silent when everything is already there. Runs apt-get as root, through sudo when needed;
# without either, says which command to run and exits 1.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if [[ ! $pkg =~ ^[a-z0-9][a-z0-9+.-]*(:[a-z0-9-]+)?$ ]]; then
    echo "ensure-debian-packages: '$pkg' is not a Debian package name" >&2
    exit 2
  fi
  if ! command -v dpkg >/dev/null 2>&1; then
    echo "ensure-debian-packages: dpkg not found (not a Debian system?)." >&2
    echo "Install these yourself: $*" >&2
    echo "then run make with DEBIAN_PACKAGES= to skip this check." >&2
    exit 1
  fi
  status=$(dpkg -s "$pkg" 2>/dev/null) || status=""
  if ! grep -qx 'Status: install ok installed' <<<"$status"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

command_text="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if ((EUID == 0)); then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [[ -t 0 ]]; }; then
  as_root=(sudo)
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run this again:" >&2
  echo "  sudo sh -c '$command_text'" >&2
  exit 1
fi

echo "Installing missing Debian packages: ${missing[*]}" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-debian-packages: could not install ${missing[*]} (apt-get output above)" >&2
  exit 1
fi
