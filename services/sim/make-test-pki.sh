#!/bin/sh
# make-test-pki.sh: the test certificates of linli-platform-sim (openssl, EC
# P-256 keys). FICTITIOUS, for tests and the demo only.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   make-test-pki.sh OUTDIR [KIOSK_ID]      (KIOSK_ID defaults to LL-DEMO-0001)
#
# Writes into OUTDIR:
#   ca.pem                       platform CA: the kiosk pins it ([platform] ca)
#   server.pem server.key        server certificate for 127.0.0.1 and localhost
#   server-expired.pem .key      the same names, expired in 2021
#   server-wrong-ca.pem .key     the same names, from another CA (wrong-ca.pem)
#   kiosk-ca.pem                 kiosk CA: the simulator's --client-ca
#   kiosk.pem kiosk.key          kiosk certificate, CN=KIOSK_ID
#   kiosk-expired.pem .key       CN=KIOSK_ID, expired in 2021
#   kiosk-foreign.pem .key       CN=KIOSK_ID, from a foreign CA (foreign-ca.pem)
#   kiosk-other.pem .key         CN=LL-DEMO-0002, another registered kiosk
#   kiosk-id                     KIOSK_ID
# Nothing is done when OUTDIR already holds a complete set for KIOSK_ID. The
# set is made in a temporary directory and renamed into place, so tests that
# share a cache directory never see half a set.
set -eu

die () {
    echo "make-test-pki: $*" >&2
    exit 1
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    die "usage: make-test-pki.sh OUTDIR [KIOSK_ID]"
fi
OUT=$1
KIOSK_ID=${2:-LL-DEMO-0001}
OTHER_ID=LL-DEMO-0002
DAYS=3650

FILES="ca.pem server.pem server.key server-expired.pem server-expired.key
server-wrong-ca.pem server-wrong-ca.key kiosk-ca.pem kiosk.pem kiosk.key
kiosk-expired.pem kiosk-expired.key kiosk-foreign.pem kiosk-foreign.key
kiosk-other.pem kiosk-other.key kiosk-id"

pki_complete () {
    for f in $FILES; do
        [ -s "$1/$f" ] || return 1
    done
    [ "$(cat "$1/kiosk-id")" = "$KIOSK_ID" ] || return 1
    # A cached set whose certificates ran out is made again.
    openssl x509 -in "$1/kiosk.pem" -noout -checkend 86400 >/dev/null 2>&1 || return 1
    openssl x509 -in "$1/server.pem" -noout -checkend 86400 >/dev/null 2>&1
}

if pki_complete "$OUT"; then
    exit 0
fi
command -v openssl >/dev/null 2>&1 || die "openssl not found"

mkdir -p "$(dirname "$OUT")"
OUT=$(cd "$(dirname "$OUT")" && pwd)/$(basename "$OUT")
WORK=$(mktemp -d "$(dirname "$OUT")/.linli-pki.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

key () {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
    chmod 600 "$1"
}

# A CA: NAME.key, NAME.pem and the files `openssl ca` keeps for it.
make_ca () {
    name=$1
    subject=$2
    key "$name.key"
    openssl req -new -x509 -key "$name.key" -out "$name.pem" -days $DAYS -subj "$subject" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    mkdir -p "db-$name"
    : >"db-$name/index.txt"
    echo 1000 >"db-$name/serial"
    cat >"$name.cnf" <<EOF
[ ca ]
default_ca = this_ca
[ this_ca ]
dir = db-$name
database = db-$name/index.txt
serial = db-$name/serial
new_certs_dir = db-$name
certificate = $name.pem
private_key = $name.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
email_in_dn = no
[ any ]
commonName = supplied
organizationName = optional
[ server ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[ client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
EOF
}

# issue CA NAME SUBJECT server|client [START END]: NAME.key and NAME.pem.
issue () {
    ca=$1
    name=$2
    subject=$3
    profile=$4
    key "$name.key"
    openssl req -new -key "$name.key" -out "$name.csr" -subj "$subject" 2>/dev/null
    if [ $# -ge 6 ]; then
        dates="-startdate $5 -enddate $6"
    else
        dates="-days $DAYS"
    fi
    # shellcheck disable=SC2086 # $dates is two options
    openssl ca -batch -notext -config "$ca.cnf" -extensions "$profile" $dates \
        -in "$name.csr" -out "$name.pem" 2>ca.log || { cat ca.log >&2; die "openssl ca failed for $name"; }
    rm -f "$name.csr"
}

make_ca ca "/O=Linli test/CN=Linli Test Platform CA"
make_ca wrong-ca "/O=Linli test/CN=Linli Test Wrong CA"
make_ca kiosk-ca "/O=Linli test/CN=Linli Test Kiosk CA"
make_ca foreign-ca "/O=Linli test/CN=Linli Test Foreign Kiosk CA"

issue ca server "/O=Linli test/CN=127.0.0.1" server
issue ca server-expired "/O=Linli test/CN=127.0.0.1" server 20200101000000Z 20210101000000Z
issue wrong-ca server-wrong-ca "/O=Linli test/CN=127.0.0.1" server
issue kiosk-ca kiosk "/O=Linli test kiosks/CN=$KIOSK_ID" client
issue kiosk-ca kiosk-expired "/O=Linli test kiosks/CN=$KIOSK_ID" client 20200101000000Z 20210101000000Z
issue foreign-ca kiosk-foreign "/O=Linli test kiosks/CN=$KIOSK_ID" client
issue kiosk-ca kiosk-other "/O=Linli test kiosks/CN=$OTHER_ID" client
echo "$KIOSK_ID" >kiosk-id

# The CAs' keys go: nothing more is ever signed with them.
rm -rf db-* ./*.cnf ca.log ca.key wrong-ca.key kiosk-ca.key foreign-ca.key
chmod 644 ./*.pem kiosk-id
chmod 755 .
cd - >/dev/null

# Into place: a set made by a parallel run in the meantime wins.
if [ -d "$OUT" ]; then
    if pki_complete "$OUT"; then
        exit 0
    fi
    rm -rf "$OUT"
fi
mv -T "$WORK" "$OUT" 2>/dev/null || pki_complete "$OUT" || die "cannot create $OUT"
trap - EXIT
rm -rf "$WORK"
