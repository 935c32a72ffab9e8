#!/usr/bin/env bash
# auth_kat.sh <secretkey> <time>: the TARS authentication signature of <secretkey> at
# <time> (seconds since the epoch), computed with the openssl command line and shell
# arithmetic only, independently of the C++ code under test. Prints one line:
#   secret1=<hex> secret2=<hex> tmpkey=<hex> signature=<hex>
# secret1 = hex sha1(secretkey), secret2 = hex sha1(secret1); the first 8 characters of
# secret2 OR-ed with the 8 little-endian bytes of time, then the other 32 characters,
# give tmpkey = hex md5; signature = 3DES-ECB (PKCS#5) of secret1 under the first 24
# characters of tmpkey.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 <secretkey> <time>" >&2; exit 2; }
secret=$1
time=$2
hex_sha1() { openssl dgst -sha1 -r | cut -c1-40; }
to_hex() { od -An -v -tx1 | tr -d ' \n'; }
# Bytes from hex on stdout (none of them is NUL here: every byte is a hex digit OR-ed with something).
from_hex() { printf "$(printf '%s' "$1" | sed 's/../\\x&/g')"; }

secret1=$(printf '%s' "$secret" | hex_sha1)
secret2=$(printf '%s' "$secret1" | hex_sha1)
mixed=""
for i in 0 1 2 3 4 5 6 7; do
  char=$(printf '%d' "'${secret2:$i:1}")
  byte=$(((time >> (8 * i)) & 0xff))
  mixed+=$(printf '%02x' $((char | byte)))
done
mixed+=$(printf '%s' "${secret2:8}" | to_hex)
tmpkey=$(from_hex "$mixed" | openssl dgst -md5 -r | cut -c1-32)
key=$(printf '%s' "${tmpkey:0:24}" | to_hex)
signature=$(printf '%s' "$secret1" | openssl enc -des-ede3 -K "$key" | to_hex)
echo "secret1=$secret1 secret2=$secret2 tmpkey=$tmpkey signature=$signature"
