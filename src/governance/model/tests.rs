use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

#[test]
fn every_change_needs_a_reason_and_keeps_what_was_typed() {
    let missing = StatusInput {
        change: "freeze".into(),
        reason: "   ".into(),
        ..Default::default()
    };
    let errors = missing.validate().unwrap_err();
    assert!(errors.message("reason").is_some());
    let long = StatusInput {
        change: "suspend".into(),
        reason: "x".repeat(MAX_REASON + 1),
        ..Default::default()
    };
    let errors = long.validate().unwrap_err();
    assert!(errors.message("reason").unwrap().contains("500"));
    assert_eq!(errors.kept("reason").map(str::len), Some(MAX_REASON + 1));
    let good = StatusInput {
        change: "reactivate".into(),
        reason: "  Paid the overdue invoice ".into(),
        ..Default::default()
    };
    assert_eq!(
        good.validate().unwrap(),
        (
            StatusChange::Reactivate,
            "Paid the overdue invoice".to_string()
        )
    );
    let unknown = StatusInput {
        change: "delete".into(),
        reason: "because".into(),
        ..Default::default()
    };
    assert!(unknown.validate().unwrap_err().message("change").is_some());
}

#[test]
fn a_pin_may_end_on_a_later_day_and_an_empty_tier_unpins() {
    let pin = |tier: &str, until: &str| TierInput {
        tier: tier.into(),
        until: until.into(),
        reason: "Strategic account".into(),
        ..Default::default()
    };
    assert_eq!(
        pin("gold", "2027-03-31").validate(today()).unwrap().0,
        TierChange::Pin {
            tier: Tier::Gold,
            until: NaiveDate::from_ymd_opt(2027, 3, 31)
        }
    );
    assert_eq!(
        pin("platinum", "").validate(today()).unwrap().0,
        TierChange::Pin {
            tier: Tier::Platinum,
            until: None
        }
    );
    assert_eq!(pin("", "").validate(today()).unwrap().0, TierChange::Unpin);
    for (tier, until, field) in [
        ("gold", "2026-11-30", "until"),
        ("gold", "31/03/2027", "until"),
        ("diamond", "", "tier"),
    ] {
        let errors = pin(tier, until).validate(today()).unwrap_err();
        assert!(errors.message(field).is_some(), "{tier} {until}");
        assert_eq!(errors.kept("until"), Some(until));
    }
}

#[test]
fn switches_read_ticked_boxes_and_the_white_label_choice() {
    let input = SwitchesInput {
        client_management: Some("on".into()),
        white_label: "off".into(),
        custom_css: None,
        reason: "Brand misuse under review".into(),
        ..Default::default()
    };
    assert_eq!(
        input.validate().unwrap().0,
        Switches {
            client_management: true,
            white_label: Some(false),
            custom_css: false
        }
    );
    let by_tier = SwitchesInput {
        white_label: "tier".into(),
        reason: "Back to normal".into(),
        ..Default::default()
    };
    assert_eq!(by_tier.validate().unwrap().0.white_label, None);
    let nonsense = SwitchesInput {
        white_label: "maybe".into(),
        reason: "x".into(),
        ..Default::default()
    };
    assert!(nonsense
        .validate()
        .unwrap_err()
        .message("white_label")
        .is_some());
}

#[test]
fn each_change_leads_to_its_status() {
    assert_eq!(StatusChange::Freeze.status(), PartnerStatus::Frozen);
    assert_eq!(StatusChange::Suspend.status(), PartnerStatus::Suspended);
    assert_eq!(StatusChange::Reactivate.status(), PartnerStatus::Active);
}

#[test]
fn a_new_partner_is_checked_field_by_field_and_nothing_typed_is_lost() {
    let empty = NewPartnerInput::default().validate().unwrap_err();
    for field in ["name", "partnership_type", "tier", "owner_email", "reason"] {
        assert!(empty.message(field).is_some(), "{field}");
    }
    let bad = NewPartnerInput {
        name: "x".repeat(MAX_PARTNER_NAME + 1),
        partnership_type: "reseller".into(),
        tier: "diamond".into(),
        owner_email: "dana-at-example".into(),
        reason: "Signed at the partner summit".into(),
    };
    let errors = bad.validate().unwrap_err();
    assert!(errors.message("name").unwrap().contains("200"));
    assert!(errors.message("tier").is_some());
    assert!(errors.message("owner_email").is_some());
    assert!(errors.message("partnership_type").is_none());
    assert_eq!(errors.kept("owner_email"), Some("dana-at-example"));
    assert_eq!(errors.kept("tier"), Some("diamond"));

    let good = NewPartnerInput {
        name: "  Tailwind Traders ".into(),
        partnership_type: "referral".into(),
        tier: "silver".into(),
        owner_email: " Dana@Tailwind.Example ".into(),
        reason: "Signed at the partner summit".into(),
    };
    assert_eq!(
        good.validate().unwrap(),
        NewPartner {
            name: "Tailwind Traders".into(),
            partnership_type: PartnershipType::Referral,
            tier: Tier::Silver,
            owner_email: "dana@tailwind.example".into(),
            reason: "Signed at the partner summit".into(),
        }
    );
}
