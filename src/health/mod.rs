//! Partner health and the leaderboard (seed 001 sections 8.1 and 8.2): each close writes
//! every partner's health score (retention, growth, certification, activity) and its place by
//! MRR growth; the dashboard shows the score with its parts and trend, `/partner/leaderboard`
//! the top ten and the partner's own place, and admins read and export the whole board.

pub mod admin_board;
#[cfg(feature = "ssr")]
pub mod export;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod queries;
#[cfg(feature = "ssr")]
pub mod record;
pub mod server;
