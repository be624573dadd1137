use super::*;

fn params(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |k| {
        pairs
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.to_string())
    }
}

#[test]
fn the_url_round_trips() {
    let q = AuditQuery::from_params(params(&[
        ("person", " Dana@Contoso.example "),
        ("action", "client.created"),
        ("target_kind", "client"),
        ("target", "6f1c2a7e-1b7a-4f53-9a53-0c9f1f2b7a11"),
        ("from", "2026-11-01"),
        ("to", "2026-11-30"),
        ("after", "Y3Vyc29y"),
    ]));
    assert_eq!(q.person.as_deref(), Some("dana@contoso.example"));
    assert_eq!(q.from, NaiveDate::from_ymd_opt(2026, 11, 1));
    assert_eq!(q.position, Position::After("Y3Vyc29y".into()));
    assert_eq!(
        q.query_string(|_| {}),
        "person=dana%40contoso.example&action=client.created&target_kind=client\
         &target=6f1c2a7e-1b7a-4f53-9a53-0c9f1f2b7a11&from=2026-11-01&to=2026-11-30&after=Y3Vyc29y"
    );
    assert!(q.filtered());
    assert!(q
        .at(LogScope::Partner, &Position::First)
        .starts_with("/partner/audit?person="));
}

#[test]
fn nonsense_is_left_out() {
    let q = AuditQuery::from_params(params(&[
        ("action", "drop table; --"),
        ("target_kind", "spaceship"),
        ("target", "not-a-uuid"),
        ("from", "2026-13-45"),
        ("person", ""),
    ]));
    assert_eq!(q, AuditQuery::default());
    assert!(!q.filtered());
    assert_eq!(q.at(LogScope::Program, &Position::First), "/admin/audit");
}

#[test]
fn a_range_that_ends_before_it_starts_is_the_one_problem() {
    let q = AuditQuery::from_params(params(&[("from", "2026-11-30"), ("to", "2026-11-01")]));
    assert_eq!(q.problem().map(|(field, _)| field), Some("to"));
    let same_day = AuditQuery::from_params(params(&[("from", "2026-11-30"), ("to", "2026-11-30")]));
    assert_eq!(same_day.problem(), None);
}

fn row(action: &str) -> AuditRow {
    AuditRow {
        id: Uuid::nil(),
        at: Utc::now(),
        action: action.into(),
        actor: None,
        real: None,
        partner_name: None,
        target_kind: None,
        target_id: None,
        target_name: None,
        detail: Vec::new(),
    }
}

fn person(name: &str) -> Option<Person> {
    Some(Person {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase()),
    })
}

#[test]
fn a_row_reads_as_a_sentence_with_both_identities() {
    let mut updated = row("client.contact_updated");
    updated.actor = person("Ada");
    updated.real = person("Dana");
    updated.target_kind = Some("client".into());
    updated.target_name = Some("Fabrikam".into());
    assert_eq!(
        updated.sentence(),
        "Dana updated a client's contact: Fabrikam, while logged in as Ada"
    );
    assert_eq!(updated.target_label(), Some("Client"));

    let mut created = row("client.created");
    created.actor = person("Dana");
    assert_eq!(created.sentence(), "Dana added a client");

    assert_eq!(
        row("commissions.month_closed").sentence(),
        "The portal closed a month of commissions"
    );
    assert_eq!(
        row("legacy.thing_done").sentence(),
        "The portal legacy thing done"
    );
}

#[test]
fn every_description_reads_after_a_name() {
    // "Dana <description>" must be a sentence: each description starts with a verb in the
    // past tense (checked loosely: its first word ends in "ed", or is one of the irregular
    // verbs the log uses).
    const IRREGULAR: [&str; 7] = [
        "Resent", "Withdrew", "Reset", "Paid", "Set", "Froze", "Made",
    ];
    for action in crate::audit::Action::ALL {
        let first = action.description().split(' ').next().unwrap_or_default();
        assert!(
            first.ends_with("ed") || IRREGULAR.contains(&first),
            "{action:?}: {:?} does not start with a verb",
            action.description()
        );
    }
}
