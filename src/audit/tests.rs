//! The audit actions' names, descriptions and audiences.

use super::*;
use std::collections::HashSet;

#[test]
fn every_action_has_a_unique_name_that_reads_back() {
    let names: HashSet<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
    assert_eq!(names.len(), Action::ALL.len());
    for action in Action::ALL {
        assert_eq!(Action::parse(action.as_str()), Some(action));
        assert!(!action.description().is_empty(), "{action:?}");
        assert!(action.as_str().contains('.'), "{action:?}");
    }
}

#[test]
fn money_and_sign_ins_stay_out_of_the_team_feed() {
    let team = Action::names_for(&[Audience::Team]);
    assert!(team.contains(&"client.created".to_string()));
    for hidden in [
        "auth.sign_in",
        "payout.paid",
        "commissions.adjusted",
        "branding.published",
    ] {
        assert!(!team.contains(&hidden.to_string()), "{hidden}");
    }
    let owners = Action::names_for(&[Audience::Team, Audience::Money, Audience::Branding]);
    assert!(owners.contains(&"payout.paid".to_string()));
    assert!(owners.contains(&"branding.published".to_string()));
    assert!(!owners.contains(&"auth.sign_in".to_string()));
}

#[test]
fn unknown_names_still_read_as_words() {
    assert_eq!(describe("client.created"), "Added a client");
    assert_eq!(describe("branding.domain_set"), "Set the custom domain");
    assert_eq!(describe("legacy.thing_done"), "legacy thing done");
}
