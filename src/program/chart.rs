//! A chart prepared on the server: its ECharts option as JSON, with an id and a title. Plain
//! data that crosses the wire in a page's resources; `components::chart` draws it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSpec {
    pub id: String,
    pub title: String,
    pub option_json: String,
}

#[cfg(feature = "ssr")]
impl ChartSpec {
    /// The spec of a chart built with charming.
    pub fn new(id: &str, title: &str, chart: &charming::Chart) -> Self {
        Self {
            id: id.to_string(),
            title: title.to_string(),
            option_json: serde_json::to_string(chart).unwrap_or_else(|_| "{}".into()),
        }
    }
}
