-- Accounts: requests for an account, single-use e-mailed tokens.

create table account_requests (
  id serial primary key,
  login text not null,
  civility text not null check (civility in ('M.', 'Mme')),
  first_name text not null,
  last_name text not null,
  email text not null,
  phone text not null,
  application_ids int[] not null,
  region_id int not null references regions(id),
  structure_name text not null,
  nature_id int not null references structure_natures(id),
  type_id int not null references structure_types(id),
  password_hash text not null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
  refusal_reason text,
  decided_by int references users(id),
  decided_at timestamptz,
  user_id int references users(id),
  created_at timestamptz not null default now()
);
create index account_requests_status_idx on account_requests (status, created_at desc);
-- An identifiant is held by a pending request until it is decided.
create unique index account_requests_pending_login_idx on account_requests (lower(login)) where status = 'pending';

create table user_tokens (
  id bigserial primary key,
  user_id int not null references users(id) on delete cascade,
  purpose text not null check (purpose in ('activation', 'password_reset', 'email_change')),
  token_hash text not null unique,
  new_email text,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now()
);
create index user_tokens_user_idx on user_tokens (user_id, purpose);

create unique index users_login_lower_idx on users (lower(login));

-- Null until the person uses the activation link of an approved account request.
alter table users add column activated_at timestamptz default now();
update users set activated_at = created_at;

-- « Mot de passe oublié ? » requests, answered the same way at once and handled by the worker,
-- so that the answer's timing never tells whether the account exists.
create table password_reset_requests (
  id bigserial primary key,
  identifier text not null,
  ip text,
  created_at timestamptz not null default now(),
  processed_at timestamptz
);
create index password_reset_requests_pending_idx on password_reset_requests (id) where processed_at is null;
