#!/usr/bin/env bash
# The secured broker's material: TLS (a CA and the broker's certificate) and one credentials file per principal.
# Used by deploy/infra.sh and by docker-compose's kafka-certs / kafka-setup (deploy/kafka/Dockerfile.setup).
# Everything is made once and kept: a second run changes nothing unless something is missing (or the broker's
# certificate is due to expire, or a credentials file's bootstrap / CA path changed).
#
#   material.sh tls <dir>
#       <dir>/ca.key (600), ca.crt, broker.key (600), broker.crt, broker.p12 (PKCS12 keystore, 600) and its
#       password broker.p12.password (600); the broker's SAN: IP:127.0.0.1, DNS:localhost, DNS:kafka.
#   material.sh principals <acls.txt> [<partners.txt> ...]
#       the principals to create: journey-admin, every principal in acls.txt, partner-<org> for every org.
#   material.sh credentials <dir> <bootstrap> <cafile> <principal> ...
#       <dir>/<principal>.env (600), sourceable KAFKA_* lines; a password (32 [A-Za-z0-9]) is made once and kept.
#   material.sh orgs <partners.txt> ...
#       the org ids listed (comments and blank lines skipped; an invalid id is an error).
#
# Environment: TLS_DAYS (3650, the CA), TLS_BROKER_DAYS (825), CREDENTIALS_OWNER (chown the credentials files,
# e.g. 10001:10001 for the services' image user), CREDENTIALS_DIR_MODE (700; 711 lets that user reach its file).
set -euo pipefail

ORG_RE='^[a-z0-9][a-z0-9-]{0,62}$'

die() { printf 'material.sh: %s\n' "$*" >&2; exit 1; }

random_password() {
    local out=""
    while ((${#out} < 32)); do
        out+="$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9')"
    done
    printf '%s' "${out:0:32}"
}

# write_private FILE: stdin into FILE with mode 600, atomically.
write_private() {
    local file="$1" tmp
    tmp="$(mktemp "$file.XXXXXX")"
    chmod 600 "$tmp"
    cat >"$tmp"
    mv "$tmp" "$file"
}

cmd_tls() {
    local dir="$1" days="${TLS_DAYS:-3650}" bdays="${TLS_BROKER_DAYS:-825}"
    command -v openssl >/dev/null || die "openssl not found"
    mkdir -p "$dir"
    local ext
    ext="$(mktemp)"
    trap 'rm -f "$ext"' RETURN
    if [[ ! -s "$dir/ca.key" || ! -s "$dir/ca.crt" ]]; then
        rm -f "$dir/broker.crt"
        (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$dir/ca.key.tmp" 2>/dev/null)
        openssl req -x509 -new -key "$dir/ca.key.tmp" -sha256 -days "$days" -subj "/O=Integration Journey/CN=Integration Journey local CA" \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
            -addext "subjectKeyIdentifier=hash" -out "$dir/ca.crt.tmp" 2>/dev/null
        mv "$dir/ca.key.tmp" "$dir/ca.key"
        mv "$dir/ca.crt.tmp" "$dir/ca.crt"
        printf 'material.sh: made the CA %s/ca.crt\n' "$dir" >&2
    fi
    # A new broker certificate when there is none, it is not signed by this CA, or it expires within 30 days.
    if [[ -s "$dir/broker.crt" && -s "$dir/broker.p12" && -s "$dir/broker.p12.password" ]] \
        && openssl verify -CAfile "$dir/ca.crt" "$dir/broker.crt" >/dev/null 2>&1 \
        && openssl x509 -in "$dir/broker.crt" -noout -checkend $((30 * 86400)) >/dev/null; then
        return 0
    fi
    cat >"$ext" <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kafka
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
    (umask 077 && openssl ecparam -name prime256v1 -genkey -noout -out "$dir/broker.key" 2>/dev/null)
    openssl req -new -key "$dir/broker.key" -subj "/O=Integration Journey/CN=kafka" -out "$dir/broker.csr" 2>/dev/null
    openssl x509 -req -in "$dir/broker.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -sha256 \
        -days "$bdays" -extfile "$ext" -out "$dir/broker.crt" 2>/dev/null
    rm -f "$dir/broker.csr" "$dir/ca.srl"
    [[ -s "$dir/broker.p12.password" ]] || random_password | write_private "$dir/broker.p12.password"
    (umask 077 && openssl pkcs12 -export -name kafka -inkey "$dir/broker.key" -in "$dir/broker.crt" \
        -certfile "$dir/ca.crt" -passout "file:$dir/broker.p12.password" -out "$dir/broker.p12.tmp")
    mv "$dir/broker.p12.tmp" "$dir/broker.p12"
    chmod 600 "$dir/ca.key" "$dir/broker.key" "$dir/broker.p12" "$dir/broker.p12.password"
    chmod 644 "$dir/ca.crt" "$dir/broker.crt"
    printf 'material.sh: made the broker certificate %s/broker.crt (SAN IP:127.0.0.1, DNS:localhost, DNS:kafka)\n' "$dir" >&2
}

cmd_orgs() {
    local file line
    for file in "$@"; do
        [[ -f "$file" ]] || continue
        while IFS= read -r line || [[ -n "$line" ]]; do
            line="${line%%#*}"
            line="${line//[[:space:]]/}"
            [[ -z "$line" ]] && continue
            [[ "$line" =~ $ORG_RE ]] || die "$file: '$line' is not an org id ($ORG_RE)"
            printf '%s\n' "$line"
        done <"$file"
    done | sort -u
}

cmd_principals() {
    local acls="$1" orgs p
    shift
    orgs="$(cmd_orgs "$@")"
    {
        echo journey-admin
        awk '!/^[[:space:]]*#/ && NF >= 5 { print $1 }' "$acls" | sort -u | while IFS= read -r p; do
            if [[ "$p" == *"{org}"* ]]; then
                while IFS= read -r org; do [[ -n "$org" ]] && printf '%s\n' "${p//\{org\}/$org}"; done <<<"$orgs"
            else
                printf '%s\n' "$p"
            fi
        done
    } | sort -u
}

cmd_credentials() {
    local dir="$1" bootstrap="$2" cafile="$3" principal file password want
    shift 3
    mkdir -p "$dir"
    chmod "${CREDENTIALS_DIR_MODE:-700}" "$dir"
    for principal in "$@"; do
        [[ "$principal" =~ ^[a-z0-9][a-z0-9-]{0,80}$ ]] || die "'$principal' is not a principal name"
        file="$dir/$principal.env"
        password=""
        [[ -f "$file" ]] && password="$(sed -n 's/^KAFKA_SASL_PASSWORD=//p' "$file" | head -n1)"
        [[ "$password" =~ ^[A-Za-z0-9]{32}$ ]] || password="$(random_password)"
        want="$(printf '%s\n' \
            "KAFKA_BOOTSTRAP_SERVERS=$bootstrap" \
            "KAFKA_SECURITY_PROTOCOL=SASL_SSL" \
            "KAFKA_SASL_MECHANISM=SCRAM-SHA-512" \
            "KAFKA_SASL_USERNAME=$principal" \
            "KAFKA_SASL_PASSWORD=$password" \
            "KAFKA_SSL_CAFILE=$cafile")"
        if [[ ! -f "$file" || "$(<"$file")" != "$want" ]]; then
            printf '%s\n' "$want" | write_private "$file"
        fi
        [[ -n "${CREDENTIALS_OWNER:-}" ]] && chown "$CREDENTIALS_OWNER" "$file"
    done
    return 0
}

case "${1:-}" in
    tls) shift; [[ $# -eq 1 ]] || die "usage: material.sh tls <dir>"; cmd_tls "$@" ;;
    orgs) shift; cmd_orgs "$@" ;;
    principals) shift; [[ $# -ge 1 ]] || die "usage: material.sh principals <acls.txt> [<partners.txt> ...]"; cmd_principals "$@" ;;
    credentials) shift; [[ $# -ge 3 ]] || die "usage: material.sh credentials <dir> <bootstrap> <cafile> <principal> ..."; cmd_credentials "$@" ;;
    *) sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
