#!/usr/bin/env bash
# Prerequisites of the HTTP benchmark (benches/http.rs): nginx (its TLS 1.3 serves the HTTPS
# rows), libcurl built with OpenSSL, cJSON, the system's CA bundle (what both curl and jogg
# load in the HTTPS rows) and Python requests. Installs only what is missing, so a second run
# does nothing.
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -f /usr/include/x86_64-linux-gnu/curl/curl.h ] || [ -f /usr/include/curl/curl.h ] || missing+=(libcurl4-openssl-dev)
[ -f /usr/include/cjson/cJSON.h ] || missing+=(libcjson-dev)
[ -f /etc/ssl/certs/ca-certificates.crt ] || missing+=(ca-certificates)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import requests' >/dev/null 2>&1; then
    echo "installing: python requests"
    "$PYTHON" -m pip install -q requests 2>/dev/null || {
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-requests
    }
fi
