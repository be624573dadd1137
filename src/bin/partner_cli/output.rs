//! Tables for people: a header and aligned columns.

use serde_json::Value;

/// A column's heading and the JSON field it shows.
pub struct Column(pub &'static str, pub &'static str);

/// Prints `rows` under `columns`, each column as wide as its widest cell.
pub fn print_table(columns: &[Column], rows: &[Value]) {
    print!("{}", table(columns, rows));
}

pub fn table(columns: &[Column], rows: &[Value]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| columns.iter().map(|c| crate::text(&row[c.1])).collect())
        .collect();
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|row| row[i].chars().count())
                .chain([c.0.len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |values: Vec<&str>| {
        let padded: Vec<String> = values
            .iter()
            .zip(&widths)
            .map(|(v, w)| format!("{v:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut out = line(columns.iter().map(|c| c.0).collect());
    for row in &cells {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn columns_line_up_and_null_is_a_dash() {
        let rows = [
            json!({ "a": "x", "b": 10 }),
            json!({ "a": "longer", "b": null }),
        ];
        assert_eq!(
            table(&[Column("A", "a"), Column("B", "b")], &rows),
            "A       B\nx       10\nlonger  -\n"
        );
    }
}
