//! ECharts options for the statistics page, built with charming on the server. The browser
//! draws them with the ECharts script served from public/; the same numbers are also shown
//! as tables for readers without JavaScript or sight.

use charming::{
    component::{Axis, Legend},
    element::{AxisType, Tooltip, Trigger},
    series::{Bar, Line, Pie},
    Chart,
};

use crate::program::ChartSpec;

pub fn per_month(rows: &[(String, i64)]) -> ChartSpec {
    let chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(rows.iter().map(|(m, _)| m.clone()).collect()),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(
            Line::new()
                .name("Applications")
                .data(rows.iter().map(|(_, n)| *n).collect()),
        );
    ChartSpec::new("per-month", "Applications per month", &chart)
}

pub fn donut(id: &str, title: &str, rows: &[(String, i64)]) -> ChartSpec {
    let chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom(0))
        .series(
            Pie::new().name(title).radius(vec!["40%", "70%"]).data(
                rows.iter()
                    .map(|(label, n)| (*n as f64, label.as_str()))
                    .collect(),
            ),
        );
    ChartSpec::new(id, title, &chart)
}

pub fn bars(id: &str, title: &str, rows: &[(String, i64)]) -> ChartSpec {
    let chart = Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(rows.iter().map(|(l, _)| l.clone()).collect()),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .series(
            Bar::new()
                .name(title)
                .data(rows.iter().map(|(_, n)| *n).collect()),
        );
    ChartSpec::new(id, title, &chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_echarts_json_with_the_data() {
        let rows = vec![("2026-10".to_string(), 4), ("2026-11".to_string(), 7)];
        let spec = per_month(&rows);
        let json: serde_json::Value = serde_json::from_str(&spec.option_json).unwrap();
        assert_eq!(json["series"][0]["type"], "line");
        assert_eq!(json["series"][0]["data"], serde_json::json!([4, 7]));
        let x_axis = if json["xAxis"].is_array() {
            &json["xAxis"][0]
        } else {
            &json["xAxis"]
        };
        assert_eq!(x_axis["data"], serde_json::json!(["2026-10", "2026-11"]));
        let pie = donut("by-type", "By type", &[("reseller".into(), 3)]);
        assert!(
            pie.option_json.contains("\"type\":\"pie\""),
            "{}",
            pie.option_json
        );
    }
}
