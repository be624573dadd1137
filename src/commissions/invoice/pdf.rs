//! A statement as a PDF invoice (seed 000's monthly partner invoice): the month's figures,
//! revenue by plan, each line's computation, the adjustments and the payout, on A4 pages
//! numbered "Page n of N". Text is set in the standard Helvetica (nothing embedded) with
//! the Windows-1252 encoding, so names in Western European languages print as written.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

/// What an invoice says, already formatted.
pub struct Invoice {
    pub partner: String,
    pub month: String,
    /// Label and value pairs under the title (tier, clients, totals, payout).
    pub summary: Vec<(String, String)>,
    /// Plan, clients, monthly list price, commission.
    pub by_plan: Vec<[String; 4]>,
    /// Client, plan, list price, days, rate, amount.
    pub lines: Vec<[String; 6]>,
    /// Reason, amount.
    pub adjustments: Vec<[String; 2]>,
}

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = WIDTH - 50.0;
const TOP: f32 = HEIGHT - 56.0;
const BOTTOM: f32 = 64.0;
const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");

/// Where a column's text sits: from its left edge, or ending at its right edge.
#[derive(Clone, Copy)]
enum Align {
    Left(f32),
    Right(f32),
}

/// The pages as they are laid out, top to bottom.
struct Layout {
    pages: Vec<Content>,
    y: f32,
    /// The header row to repeat when a table goes on to a new page.
    header: Option<(Vec<Align>, Vec<String>)>,
}

impl Layout {
    fn new() -> Self {
        Layout {
            pages: vec![Content::new()],
            y: TOP,
            header: None,
        }
    }

    fn page(&mut self) -> &mut Content {
        self.pages.last_mut().expect("a page")
    }

    fn text(&mut self, font: Name, size: f32, x: Align, y: f32, text: &str) {
        let encoded = win_ansi(text);
        let x = match x {
            Align::Left(x) => x,
            Align::Right(edge) => edge - width(&encoded, size),
        };
        let page = self.page();
        page.begin_text();
        page.set_font(font, size);
        page.next_line(x, y);
        page.show(Str(&encoded));
        page.end_text();
    }

    /// Makes room for `height`, on a new page if this one is full (repeating the current
    /// table's header there).
    fn room(&mut self, height: f32) {
        if self.y - height >= BOTTOM {
            return;
        }
        self.pages.push(Content::new());
        self.y = TOP;
        if let Some((columns, titles)) = self.header.clone() {
            self.row(&columns, &titles, BOLD);
        }
    }

    fn heading(&mut self, text: &str) {
        self.header = None;
        self.room(40.0);
        self.y -= 24.0;
        self.text(BOLD, 12.0, Align::Left(LEFT), self.y, text);
        self.y -= 6.0;
    }

    fn row(&mut self, columns: &[Align], cells: &[String], font: Name) {
        self.room(14.0);
        self.y -= 14.0;
        let y = self.y;
        for (column, cell) in columns.iter().zip(cells) {
            self.text(font, 9.0, *column, y, cell);
        }
    }

    fn table(&mut self, columns: &[Align], titles: &[&str], rows: &[Vec<String>]) {
        let titles: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
        self.row(columns, &titles, BOLD);
        self.header = Some((columns.to_vec(), titles));
        for row in rows {
            self.row(columns, row, REGULAR);
        }
        self.header = None;
    }
}

/// The invoice as a PDF file.
pub fn render(invoice: &Invoice) -> Vec<u8> {
    let mut layout = Layout::new();
    layout.text(
        BOLD,
        18.0,
        Align::Left(LEFT),
        layout.y,
        "Commission statement",
    );
    layout.y -= 20.0;
    let subtitle = format!("{} · {}", invoice.partner, invoice.month);
    layout.text(REGULAR, 11.0, Align::Left(LEFT), layout.y, &subtitle);
    layout.y -= 10.0;
    for (label, value) in &invoice.summary {
        layout.row(
            &[Align::Left(LEFT), Align::Left(LEFT + 190.0)],
            &[label.clone(), value.clone()],
            REGULAR,
        );
    }

    layout.heading("Revenue by plan");
    let plan_columns = [
        Align::Left(LEFT),
        Align::Right(LEFT + 260.0),
        Align::Right(LEFT + 380.0),
        Align::Right(RIGHT),
    ];
    let rows: Vec<Vec<String>> = invoice.by_plan.iter().map(|r| r.to_vec()).collect();
    layout.table(
        &plan_columns,
        &["Plan", "Clients", "Monthly list price", "Commission"],
        &rows,
    );

    layout.heading("Commission by client");
    if invoice.lines.is_empty() {
        layout.row(
            &[Align::Left(LEFT)],
            &["No active clients this month.".into()],
            REGULAR,
        );
    } else {
        let line_columns = [
            Align::Left(LEFT),
            Align::Left(LEFT + 190.0),
            Align::Right(LEFT + 350.0),
            Align::Right(LEFT + 400.0),
            Align::Right(LEFT + 440.0),
            Align::Right(RIGHT),
        ];
        let rows: Vec<Vec<String>> = invoice
            .lines
            .iter()
            .map(|[client, plan, price, days, rate, amount]| {
                vec![
                    clip(client, 34),
                    clip(plan, 26),
                    price.clone(),
                    days.clone(),
                    rate.clone(),
                    amount.clone(),
                ]
            })
            .collect();
        layout.table(
            &line_columns,
            &["Client", "Plan", "List price", "Days", "Rate", "Amount"],
            &rows,
        );
    }

    if !invoice.adjustments.is_empty() {
        layout.heading("Adjustments");
        let rows: Vec<Vec<String>> = invoice
            .adjustments
            .iter()
            .map(|[reason, amount]| vec![clip(reason, 80), amount.clone()])
            .collect();
        layout.table(
            &[Align::Left(LEFT), Align::Right(RIGHT)],
            &["Reason", "Amount"],
            &rows,
        );
    }

    let count = layout.pages.len();
    for (n, page) in layout.pages.iter_mut().enumerate() {
        let footer = win_ansi(&format!("Page {} of {count}", n + 1));
        page.begin_text();
        page.set_font(REGULAR, 8.0);
        page.next_line(RIGHT - width(&footer, 8.0), 36.0);
        page.show(Str(&footer));
        page.end_text();
    }
    assemble(layout.pages, &invoice.partner, &invoice.month)
}

/// The document around the pages' contents.
fn assemble(pages: Vec<Content>, partner: &str, month: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ref = |n: usize| Ref::new(first + 2 * n as i32);
    let content_ref = |n: usize| Ref::new(first + 2 * n as i32 + 1);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids((0..pages.len()).map(page_ref))
        .count(pages.len() as i32);
    for (font, base) in [
        (regular, Name(b"Helvetica")),
        (bold, Name(b"Helvetica-Bold")),
    ] {
        pdf.type1_font(font)
            .base_font(base)
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    let title = format!("Commission statement, {partner}, {month}");
    pdf.document_info(info)
        .title(pdf_writer::TextStr(&title))
        .producer(pdf_writer::TextStr("Partner Portal"));
    for (n, content) in pages.into_iter().enumerate() {
        let mut page = pdf.page(page_ref(n));
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(content_ref(n));
        let mut resources = page.resources();
        resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
        resources.finish();
        page.finish();
        pdf.stream(content_ref(n), &content.finish());
    }
    pdf.finish()
}

/// At most `chars` characters, the cut marked with an ellipsis.
fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    let kept: String = text.chars().take(chars - 1).collect();
    format!("{kept}…")
}

/// `text` in Windows-1252 (the WinAnsi encoding of the standard fonts); what it cannot hold
/// prints as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    const HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    text.chars()
        .map(|c| match u32::from(c) {
            0x20..=0x7E | 0xA0..=0xFF => c as u8,
            _ => HIGH
                .iter()
                .find(|(h, _)| *h == c)
                .map_or(b'?', |(_, byte)| *byte),
        })
        .collect()
}

/// The width of encoded text in Helvetica at `size`, from the font's metrics for what
/// right-aligned columns hold (figures, signs, separators); other letters count as a figure.
fn width(encoded: &[u8], size: f32) -> f32 {
    let units: u32 = encoded
        .iter()
        .map(|b| match b {
            b' ' | b',' | b'.' | b'/' => 278,
            b'-' => 333,
            b'%' => 889,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::{clip, render, win_ansi, Invoice};

    #[test]
    fn long_statements_run_over_numbered_pages_with_their_headers() {
        let lines: Vec<[String; 6]> = (1..=150)
            .map(|n| {
                [
                    format!("Client {n:03}"),
                    "Growth".into(),
                    "$99.00".into(),
                    "30/30".into(),
                    "20%".into(),
                    "$19.80".into(),
                ]
            })
            .collect();
        let invoice = Invoice {
            partner: "Northwind".into(),
            month: "November 2026".into(),
            summary: vec![("Commission".into(), "$2,970.00".into())],
            by_plan: vec![[
                "Growth".into(),
                "150".into(),
                "$14,850.00".into(),
                "$2,970.00".into(),
            ]],
            lines,
            adjustments: vec![],
        };
        let text = pdf_extract::extract_text_from_mem(&render(&invoice)).unwrap();
        let pages = text.matches("Page ").count();
        assert!(pages >= 3, "{pages} pages");
        assert!(text.contains(&format!("Page {pages} of {pages}")));
        assert!(text.contains("Client 001") && text.contains("Client 150"));
        // Each page of the table starts with its header.
        assert_eq!(text.matches("List price").count(), pages);
    }

    #[test]
    fn text_is_encoded_for_the_standard_fonts() {
        assert_eq!(win_ansi("Café €5 – ok"), b"Caf\xe9 \x805 \x96 ok");
        assert_eq!(win_ansi("東京"), b"??");
    }

    #[test]
    fn long_names_are_clipped_visibly() {
        assert_eq!(clip("Northwind", 20), "Northwind");
        assert_eq!(clip("Northwind Traders Worldwide", 10), "Northwind…");
    }
}
