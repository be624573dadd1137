//! CSV cells safe to open in a spreadsheet.

/// A text cell that a spreadsheet will not run as a formula (OWASP CSV injection).
pub fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(
            cell("=HYPERLINK(\"http://evil\")"),
            "'=HYPERLINK(\"http://evil\")"
        );
        assert_eq!(cell("+1 555"), "'+1 555");
        assert_eq!(cell("@cmd"), "'@cmd");
        assert_eq!(cell("Fabrikam"), "Fabrikam");
    }
}
