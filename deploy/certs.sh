#!/usr/bin/env bash
# Makes a development CA and one certificate per cluster process for mutual TLS between silos, host
# agents and the API (Orleans:Tls:*). Idempotent: what exists is kept.
#
#   bash deploy/certs.sh [dir] [names...]    # default: .oc/certs (git-ignored), names: silo agent api
#
# Writes <dir>/ca.pem (the cluster CA, PEM: Orleans:Tls:CaPath), <dir>/<name>.pfx (certificate and key,
# PKCS#12: Orleans:Tls:CertificatePath) and <dir>/password (the PKCS#12 password:
# Orleans:Tls:CertificatePassword). The CA's key stays in <dir>/ca.key: keep it off the cluster's
# machines in production, or use your own PKI and point the same settings at its files.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${1:-.oc/certs}
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(silo agent api)
command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 1; }

mkdir -p "$dir"
chmod 700 "$dir"
umask 077

[ -s "$dir/password" ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"

if [ ! -s "$dir/ca.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 825 \
    -subj "/CN=OrleansCloud development cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
fi

for name in "${names[@]}"; do
  [ -s "$dir/$name.pfx" ] && continue
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=orleanscloud-$name" \
    -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=IP:127.0.0.1,DNS:localhost" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 397 \
    -extfile "$dir/$name.ext" -out "$dir/$name.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$dir/$name.key" -in "$dir/$name.pem" -passout "file:$dir/password" -out "$dir/$name.pfx"
  rm -f "$dir/$name.csr" "$dir/$name.ext"
done

echo "$dir"
