//! Reading a CSV file of leads: a header row naming the columns (in any order; `notes` may
//! be left out), then a lead per row. Every row is checked as the form checks a lead, and
//! the file is taken whole or refused whole with each refused row's line and reason.

use std::collections::HashMap;

use super::input::{LeadInput, NewLead};
use super::model::{RejectedRow, IMPORT_ROWS_MAX};

/// A file read through: its good leads, or its refused rows.
#[derive(Debug)]
pub struct Parsed {
    pub rows: usize,
    pub leads: Vec<NewLead>,
    pub rejected: Vec<RejectedRow>,
}

/// The columns a file must name.
const REQUIRED: [&str; 7] = [
    "company_name",
    "domain",
    "contact_name",
    "contact_email",
    "country",
    "industry",
    "seats",
];

/// Reads `bytes`. `Err` says why the file as a whole cannot be read.
pub fn parse(bytes: &[u8]) -> Result<Parsed, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| "The file is not UTF-8 text: save it as CSV (UTF-8) and try again.")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| "The first row should name the columns.".to_string())?
        .clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_lowercase().replace([' ', '-'], "_"), i))
        .collect();
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|c| !columns.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "The first row should name the columns; missing: {}.",
            missing.join(", ")
        ));
    }
    let mut parsed = Parsed {
        rows: 0,
        leads: Vec::new(),
        rejected: Vec::new(),
    };
    let mut domains: HashMap<String, usize> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("The file is not valid CSV: {e}."))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        parsed.rows += 1;
        if parsed.rows > IMPORT_ROWS_MAX {
            return Err(format!(
                "The file has more than {IMPORT_ROWS_MAX} leads: split it into smaller files."
            ));
        }
        let line = record
            .position()
            .map_or(parsed.rows + 1, |p| p.line() as usize);
        let mut input = LeadInput::default();
        for field in LeadInput::FIELDS {
            if let Some(value) = columns.get(field).and_then(|i| record.get(*i)) {
                input.set(field, value.to_string());
            }
        }
        match input.validate() {
            Ok(lead) => match domains.insert(lead.domain.as_str().to_string(), line) {
                Some(first) => parsed.rejected.push(RejectedRow {
                    line,
                    field: "domain".into(),
                    message: format!("The same domain is on line {first}."),
                }),
                None => parsed.leads.push(lead),
            },
            Err(errors) => parsed
                .rejected
                .extend(errors.fields.into_iter().map(|e| RejectedRow {
                    line,
                    field: e.field,
                    message: e.message,
                })),
        }
    }
    if parsed.rows == 0 {
        return Err("The file has no leads under its header row.".into());
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "Company name,Domain,Contact name,Contact email,Country,Industry,Seats,Notes\n";

    #[test]
    fn good_rows_become_leads() {
        let file = format!(
            "\u{feff}{HEADER}Adatum Robotics,adatum.example,Ana Ruiz,ana@adatum.example,DE,manufacturing,40,\n\
             \"Blue Sky, Inc.\",blue-sky.example,Bo Li,bo@blue-sky.example,us,Retail,5,\"Asked for a demo\"\n"
        );
        let parsed = parse(file.as_bytes()).unwrap();
        assert_eq!(parsed.rows, 2);
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        assert_eq!(parsed.leads[1].company_name, "Blue Sky, Inc.");
        assert_eq!(parsed.leads[1].country, "US");
        assert_eq!(parsed.leads[1].industry, "retail");
    }

    #[test]
    fn bad_rows_are_named_by_line_and_column() {
        let file = format!(
            "{HEADER}Adatum Robotics,adatum.example,Ana Ruiz,ana@adatum.example,DE,manufacturing,40,\n\
             Fabrikam,fabrikam.example,Fay,fay@fabrikam.example,XX,retail,0,\n\
             Adatum again,adatum.example,Al,al@adatum.example,DE,retail,3,\n"
        );
        let parsed = parse(file.as_bytes()).unwrap();
        assert_eq!(parsed.rows, 3);
        let found: Vec<(usize, &str)> = parsed
            .rejected
            .iter()
            .map(|r| (r.line, r.field.as_str()))
            .collect();
        assert_eq!(found, vec![(3, "country"), (3, "seats"), (4, "domain")]);
    }

    #[test]
    fn a_file_without_the_columns_or_rows_is_refused_whole() {
        assert!(parse(b"name,email\nA,a@b.example\n")
            .unwrap_err()
            .contains("missing: company_name, domain"));
        assert!(parse(HEADER.as_bytes()).unwrap_err().contains("no leads"));
        assert!(parse(&[0xff, 0xfe, 0x00]).unwrap_err().contains("UTF-8"));
    }
}
