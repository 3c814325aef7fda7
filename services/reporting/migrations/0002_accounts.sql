-- Who may see the coordinator page: accounts with a role and its scope, and their sessions.
-- Passwords are argon2id hashes; session tokens are stored as their SHA-256 only (a copy of this table opens
-- no session). The scope of every figure comes from the account alone.

CREATE TABLE accounts (
    login          text PRIMARY KEY CHECK (login ~ '^[A-Za-z0-9._@-]{1,120}$'),
    password_hash  text NOT NULL,
    role           text NOT NULL CHECK (role IN ('coordinator', 'partner', 'funder')),
    regions        text[] NOT NULL DEFAULT '{}',
    org_id         text,
    disabled       boolean NOT NULL DEFAULT false,
    failed_logins  integer NOT NULL DEFAULT 0,
    locked_until   timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_login_at  timestamptz,
    CHECK (
        (role = 'coordinator' AND cardinality(regions) > 0 AND org_id IS NULL)
        OR (role = 'partner' AND org_id IS NOT NULL AND cardinality(regions) = 0)
        OR (role = 'funder' AND org_id IS NULL AND cardinality(regions) = 0)
    )
);

CREATE TABLE sessions (
    token_hash  bytea PRIMARY KEY,
    login       text NOT NULL REFERENCES accounts (login) ON DELETE CASCADE,
    csrf_token  text NOT NULL,
    language    text NOT NULL DEFAULT 'de',
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);

CREATE INDEX sessions_by_login ON sessions (login);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
