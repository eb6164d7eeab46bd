-- Staff accounts created by an administrator get an invitation link that sets their first password.
alter table user_tokens drop constraint user_tokens_purpose_check;
alter table user_tokens add constraint user_tokens_purpose_check
  check (purpose in ('activation', 'password_reset', 'email_change', 'invitation'));
