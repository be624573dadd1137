//! Benchmark: statement invoices as PDF. One statement of the largest partner at scale
//! (14,289 lines), one of a median partner (140 lines), and a whole close's worth: 5,000
//! statements over 1,000,000 lines, sized as skewed as the scale seed's partners.
//!
//! Run: `cargo bench --features ssr --bench invoices`. Needs no database: the invoices are
//! built in memory and laid out as the download does. Prints times; asserts only that each
//! file is a PDF.

use std::time::{Duration, Instant};

use partner_portal::commissions::invoice::{render, Invoice};

fn invoice(lines: usize) -> Invoice {
    Invoice {
        partner: "Bench Partner".into(),
        month: "November 2026".into(),
        summary: vec![
            ("Tier and rate".into(), "Gold · 25% of list price".into()),
            ("Commission".into(), "$12,345.67".into()),
        ],
        by_plan: vec![[
            "Growth".into(),
            "1".into(),
            "$99.00".into(),
            "$24.75".into(),
        ]],
        lines: (0..lines)
            .map(|n| {
                [
                    format!("Client company number {n}"),
                    "Growth".into(),
                    "$99.00".into(),
                    "30/30".into(),
                    "25%".into(),
                    "$24.75".into(),
                ]
            })
            .collect(),
        adjustments: vec![["Refund".into(), "-$10.00".into()]],
    }
}

fn time(lines: usize) -> (Duration, usize) {
    let invoice = invoice(lines);
    let started = Instant::now();
    let bytes = render(&invoice);
    let took = started.elapsed();
    assert!(bytes.starts_with(b"%PDF-"));
    (took, bytes.len())
}

fn main() {
    for (who, lines) in [("median partner", 140), ("largest partner", 14_289)] {
        let runs: Vec<(Duration, usize)> = (0..5).map(|_| time(lines)).collect();
        let mut times: Vec<Duration> = runs.iter().map(|r| r.0).collect();
        times.sort();
        println!(
            "{who:>16}: {lines:>6} lines, median {:>8.1} ms, {:>6} KB",
            times[2].as_secs_f64() * 1000.0,
            runs[0].1 / 1000
        );
    }
    // A close: 5,000 statements, sizes skewed (a few large partners, many small), about
    // 1,000,000 lines in all.
    let weights: Vec<f64> = (1..=5_000)
        .map(|rank| 1.0 / f64::from(rank).powf(0.6))
        .collect();
    let sum: f64 = weights.iter().sum();
    let sizes: Vec<usize> = weights
        .iter()
        .map(|w| (1_000_000.0 * w / sum) as usize)
        .collect();
    let total: usize = sizes.iter().sum();
    let started = Instant::now();
    let mut bytes = 0;
    for &lines in &sizes {
        bytes += time(lines).1;
    }
    println!(
        "   a whole close: 5,000 statements, {total} lines, {:.1} s on one core, {} MB of PDF",
        started.elapsed().as_secs_f64(),
        bytes / 1_000_000
    );
}
