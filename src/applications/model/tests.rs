use super::*;

fn valid() -> ApplicationInput {
    ApplicationInput {
        company_name: "Acme Cloud Ltd".into(),
        contact_name: "Ada Lovelace".into(),
        contact_email: "Ada@Acme.example".into(),
        contact_phone: "+44 20 7946 0000".into(),
        website: "https://acme.example".into(),
        partnership_type: "reseller".into(),
        company_size: "11-50".into(),
        industry: "Software".into(),
        current_solutions: String::new(),
        target_market: "UK mid-market".into(),
        motivation: "We resell SaaS to 200 clients and want to add yours.".into(),
        additional_info: String::new(),
    }
}

fn error_for(input: ApplicationInput, field: &str) -> String {
    let errors = input.validate().unwrap_err();
    errors
        .message(field)
        .unwrap_or_else(|| panic!("no error for {field}: {errors:?}"))
        .to_string()
}

#[test]
fn a_complete_application_is_accepted_and_tidied() {
    let app = valid().validate().unwrap();
    assert_eq!(app.contact_email, "ada@acme.example");
    assert_eq!(app.partnership_type, PartnershipType::Reseller);
    assert_eq!(app.company_size, CompanySize::S11To50);
    assert_eq!(
        app.current_solutions, None,
        "blank optional fields are None"
    );
}

#[test]
fn each_required_field_is_named_when_missing() {
    for field in [
        "company_name",
        "contact_name",
        "contact_email",
        "industry",
        "motivation",
        "partnership_type",
        "company_size",
    ] {
        let mut input = valid();
        match field {
            "company_name" => input.company_name = "  ".into(),
            "contact_name" => input.contact_name.clear(),
            "contact_email" => input.contact_email.clear(),
            "industry" => input.industry.clear(),
            "motivation" => input.motivation.clear(),
            "partnership_type" => input.partnership_type.clear(),
            _ => input.company_size.clear(),
        }
        error_for(input, field);
    }
}

#[test]
fn lengths_are_limited_in_characters() {
    let fields = [
        "company_name",
        "contact_name",
        "industry",
        "current_solutions",
        "target_market",
        "motivation",
        "additional_info",
        "contact_phone",
    ];
    for field in fields {
        let mut input = valid();
        input.set(field, "é".repeat(4001));
        assert!(error_for(input, field).contains("at most"), "{field}");
    }
}

#[test]
fn bad_emails_phones_urls_and_choices_are_refused() {
    for email in [
        "ada",
        "ada@",
        "@acme.example",
        "ada@acme",
        "ada @acme.example",
        "ada@acme..example",
        "a<b>@acme.example",
    ] {
        let mut input = valid();
        input.contact_email = email.into();
        error_for(input, "contact_email");
    }
    for phone in ["12345", "call me", "+1 555 0100 0100 0100 0100 0"] {
        let mut input = valid();
        input.contact_phone = phone.into();
        error_for(input, "contact_phone");
    }
    for url in [
        "http://acme.example",
        "javascript:alert(1)",
        "https://",
        "https://acme",
        "https://user@acme.example",
        "https://acme.example/a b",
    ] {
        let mut input = valid();
        input.website = url.into();
        error_for(input, "website");
    }
    let mut input = valid();
    input.partnership_type = "franchise".into();
    error_for(input, "partnership_type");
    let mut input = valid();
    input.company_size = "10000".into();
    error_for(input, "company_size");
    let mut input = valid();
    input.motivation = "Because.".into();
    assert!(error_for(input, "motivation").contains("at least"));
}

#[test]
fn every_error_keeps_what_was_typed() {
    let mut input = valid();
    input.contact_email = "not an email".into();
    let errors = input.validate().unwrap_err();
    assert_eq!(errors.kept("contact_email"), Some("not an email"));
    assert_eq!(errors.kept("company_name"), Some("Acme Cloud Ltd"));
    assert_eq!(errors.kept("motivation"), Some(valid().motivation.as_str()));
    assert_eq!(errors.fields.len(), 1, "only the bad field is flagged");
}

#[test]
fn the_state_machine_allows_only_the_designed_moves() {
    use ApplicationStatus::*;
    let allowed = [
        (Pending, Reviewing),
        (Pending, Approved),
        (Pending, Rejected),
        (Reviewing, Approved),
        (Reviewing, Rejected),
        (Approved, Reviewing),
        (Rejected, Reviewing),
    ];
    for from in ApplicationStatus::ALL {
        for to in ApplicationStatus::ALL {
            assert_eq!(
                from.can_move_to(to),
                allowed.contains(&(from, to)),
                "{from:?} -> {to:?}"
            );
        }
    }
}
