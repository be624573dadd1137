//! E-mail: messages are written to the outbox table in the same transaction as the change
//! they report, and a background task delivers them (SMTP, or files in development).

mod delivery;
mod outbox;

pub use delivery::{deliver_due, run_delivery, MailTransport};
pub use outbox::{depth as outbox_depth, enqueue, OutgoingEmail};
