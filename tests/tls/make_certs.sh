#!/usr/bin/env bash
# Makes the certificates the TLS tests use, with the openssl command line, into DIR:
#   ca.pem/ca.key           the test CA
#   server.pem/.key         CN=tars-test-server, SAN DNS:localhost, IP:127.0.0.1, IP:::1
#   client.pem/.key         CN=tars-test-client,O=tars-tests (a client certificate)
#   client2.pem/.key        CN=tars-other-client,O=tars-tests (same CA, another subject)
#   other-ca.pem/.key       an unrelated CA, and other-server.pem/.key signed by it
#   mismatch.pem/.key       signed by ca, SAN DNS:other.example only
#   cnonly.pem/.key         signed by ca, CN=127.0.0.1 and no SAN (TarsCpp-era certificates)
#   expired.pem/.key        signed by ca, valid in 2020 only
#   garbage.pem             not PEM at all
# Elliptic-curve keys (P-256): quick to make and to use. Safe to run twice (re-makes all).
set -euo pipefail
dir=${1:?usage: make_certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
export OPENSSL_CONF=/dev/null  # no system defaults in the way

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca() {  # name subject
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -subj "$2" -days 3650 -out "$1.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

leaf() {  # name subject ca extfile-lines...
  local name=$1 subject=$2 signer=$3
  shift 3
  key "$name.key"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  printf '%s\n' "$@" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$signer.pem" -CAkey "$signer.key" -CAcreateserial \
    -days 825 -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

ca ca "/CN=tars-test-ca"
ca other-ca "/CN=tars-other-ca"
leaf server "/CN=tars-test-server" ca "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" "extendedKeyUsage=serverAuth"
leaf client "/O=tars-tests/CN=tars-test-client" ca "extendedKeyUsage=clientAuth"
leaf client2 "/O=tars-tests/CN=tars-other-client" ca "extendedKeyUsage=clientAuth"
leaf other-server "/CN=tars-test-server" other-ca "subjectAltName=DNS:localhost,IP:127.0.0.1"
leaf mismatch "/CN=other.example" ca "subjectAltName=DNS:other.example"
leaf cnonly "/CN=127.0.0.1" ca "basicConstraints=CA:FALSE"

# An expired certificate: `openssl ca` is the only 3.0 command that takes explicit dates.
key expired.key
openssl req -new -key expired.key -subj "/CN=tars-expired" -out expired.csr 2>/dev/null
mkdir -p ca-db
: > ca-db/index.txt
cat > ca-db/ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = $PWD/ca-db/index.txt
new_certs_dir = $PWD/ca-db
serial = $PWD/ca-db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[ext]
subjectAltName = IP:127.0.0.1
CNF
echo 1000 > ca-db/serial
openssl ca -batch -config ca-db/ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20200201000000Z -extensions ext -notext 2>/dev/null
rm -rf expired.csr ca-db

echo "this is not a certificate" > garbage.pem
chmod 600 ./*.key
