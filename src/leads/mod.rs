//! Leads (`/admin/leads`, `/partner/leads`; seed 001 section 6.1): the program team creates
//! leads or imports them from CSV, the rules offer each to the partner best placed to win
//! it, and the partner accepts it (it becomes a deal registration) or declines it (it moves
//! on); an offer unanswered for 48 hours moves on by itself.

#[cfg(feature = "ssr")]
pub mod assign;
#[cfg(feature = "ssr")]
pub mod csv_file;
#[cfg(feature = "ssr")]
pub mod import;
pub mod input;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
pub mod regions;
pub mod server;
