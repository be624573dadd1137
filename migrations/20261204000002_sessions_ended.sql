-- "Sign out everywhere else". A session stands for its user only if it was signed in at or
-- after this moment: changing one's password sets it (the session that changed it is
-- stamped anew and carries on), and so will a password reset and a member's removal.
alter table users add column sessions_ended_at timestamptz;
