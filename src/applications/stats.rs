//! The numbers on the statistics page.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApplicationStats {
    pub by_status: Vec<(String, i64)>,
    pub by_type: Vec<(String, i64)>,
    pub by_size: Vec<(String, i64)>,
    /// `YYYY-MM` and the count submitted that month, oldest first, 12 months.
    pub per_month: Vec<(String, i64)>,
    pub approved: i64,
    pub rejected: i64,
    /// Median hours from submission to decision, over decided applications.
    pub median_hours_to_decision: Option<f64>,
    /// ECharts options (JSON), built on the server with charming.
    pub charts: Vec<ChartSpec>,
}

use crate::program::ChartSpec;

impl ApplicationStats {
    /// Approved share of decided applications, in percent, one decimal.
    pub fn approval_rate(&self) -> Option<f64> {
        let decided = self.approved + self.rejected;
        (decided > 0).then(|| (self.approved as f64 * 1000.0 / decided as f64).round() / 10.0)
    }
}
