#!/usr/bin/env bash
# docker-compose's one-shot steps of the secured broker (image: deploy/kafka/Dockerfile.setup).
#   compose-setup.sh certs   (kafka-certs, before the broker) TLS material into /run/kafka-secrets (the broker's
#                            /etc/kafka/secrets), the CA certificate alone into /run/kafka-ca (for the clients)
#                            and Mailpit's certificate into /run/mail-tls
#   compose-setup.sh setup   (kafka-setup, once the broker is healthy, in its network namespace) credentials files
#                            into /run/kafka-credentials, then SCRAM credentials, topics and ACLs over the broker's
#                            loopback listener 127.0.0.1:9095
# Both are idempotent: material is made once and kept in the named volumes; the set-up syncs.
set -euo pipefail

SECRETS=/run/kafka-secrets
CA_DIR=/run/kafka-ca
CREDENTIALS=/run/kafka-credentials
MAIL_TLS=/run/mail-tls
ACLS="${ACLS_FILE:-/setup/acls.txt}"
PARTNERS="${PARTNERS_FILE:-/setup/partners.txt}"

case "${1:-}" in
    certs)
        bash /setup/material.sh tls "$SECRETS"
        # The broker runs as the image's unprivileged user: it must read its keystore and the keystore's password.
        # Only kafka-certs, kafka and kafka-setup mount this volume; the CA's key stays 600.
        chmod 644 "$SECRETS/broker.p12" "$SECRETS/broker.p12.password" "$SECRETS/ca.crt"
        install -m 644 "$SECRETS/ca.crt" "$CA_DIR/ca.crt"
        # Mailpit's certificate, from the same CA: the notifications service mails over STARTTLS and verifies it.
        if [[ -d "$MAIL_TLS" ]] && ! openssl verify -CAfile "$SECRETS/ca.crt" "$MAIL_TLS/mailpit.crt" >/dev/null 2>&1; then
            openssl ecparam -name prime256v1 -genkey -noout -out "$MAIL_TLS/mailpit.key" 2>/dev/null
            openssl req -new -key "$MAIL_TLS/mailpit.key" -subj "/O=Integration Journey/CN=mailpit" 2>/dev/null \
                | openssl x509 -req -CA "$SECRETS/ca.crt" -CAkey "$SECRETS/ca.key" -CAcreateserial -sha256 -days 825 \
                    -extfile <(printf 'subjectAltName=DNS:mailpit\nextendedKeyUsage=serverAuth\n') \
                    -out "$MAIL_TLS/mailpit.crt" 2>/dev/null
            rm -f "$SECRETS/ca.srl"
            chmod 644 "$MAIL_TLS/mailpit.crt" "$MAIL_TLS/mailpit.key"  # only kafka-certs and mailpit mount it
        fi
        ;;
    setup)
        # shellcheck disable=SC2046  # one principal per word
        CREDENTIALS_OWNER="${CREDENTIALS_OWNER:-10001:10001}" CREDENTIALS_DIR_MODE=711 \
            bash /setup/material.sh credentials "$CREDENTIALS" "${KAFKA_INTERNAL_BOOTSTRAP:-kafka:9092}" \
            "$CA_DIR/ca.crt" $(bash /setup/material.sh principals "$ACLS" "$PARTNERS")
        exec java -cp "/setup/classes:/opt/kafka/libs/*" -Dlog4j2.level=ERROR JourneyAdmin apply \
            --bootstrap 127.0.0.1:9095 --acls "$ACLS" --partners "$PARTNERS" --credentials "$CREDENTIALS" \
            --commands-retention-ms "${COMMANDS_RETENTION_MS:-345600000}" \
            --rejections-retention-ms "${REJECTIONS_RETENTION_MS:-345600000}" \
            --partner-produce-bytes-per-s "${PARTNER_PRODUCE_BYTES_PER_S:-1048576}" \
            --partner-fetch-bytes-per-s "${PARTNER_FETCH_BYTES_PER_S:-4194304}"
        ;;
    *)
        sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
        exit 2
        ;;
esac
