-- Two-factor authentication (TOTP): the secret is stored encrypted (AES-256-GCM, key derived from
-- SESSION_SECRET); the last accepted time step refuses a code used twice.

alter table users
  add column totp_secret text,
  add column totp_enabled_at timestamptz,
  add column totp_last_step bigint;

-- Single-use recovery codes, stored as SHA-256 hashes.
create table recovery_codes (
  id bigserial primary key,
  user_id int not null references users(id) on delete cascade,
  code_hash text not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index recovery_codes_user_idx on recovery_codes (user_id);
create unique index recovery_codes_user_hash_idx on recovery_codes (user_id, code_hash);
