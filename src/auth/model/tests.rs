//! The permission table and the password policy, case by case.

use super::*;

fn member(role: Role, status: PartnerStatus) -> Principal {
    Principal {
        user_id: Uuid::nil(),
        email: "m@p.test".into(),
        display_name: "M".into(),
        kind: PrincipalKind::Member {
            partner_id: Uuid::nil(),
            partner_name: "P".into(),
            partner_status: status,
            role,
            client_management: true,
        },
        acting: None,
        two_factor: TwoFactor::default(),
    }
}

/// DESIGN.md section 4, row by row: owner, manager, sales, support, viewer.
#[test]
fn permission_table_matches_the_design() {
    let table: [(Perm, [bool; 5]); 10] = [
        (Perm::PartnerRead, [true, true, true, true, true]),
        (Perm::EditClients, [true, true, true, false, false]),
        (Perm::Impersonate, [true, true, false, true, false]),
        (Perm::Commissions, [true, true, false, false, false]),
        (Perm::Branding, [true, true, false, false, false]),
        (Perm::Team, [true, false, false, false, false]),
        (Perm::ApiKeys, [true, false, false, false, false]),
        (Perm::PayoutMethod, [true, false, false, false, false]),
        (Perm::PartnerAudit, [true, true, false, false, false]),
        // Issue 16: webhooks are managed by owners and managers.
        (Perm::Webhooks, [true, true, false, false, false]),
    ];
    for (perm, expected) in table {
        for (role, allowed) in Role::ALL.into_iter().zip(expected) {
            assert_eq!(role.allows(perm), allowed, "{role:?} {perm:?}");
        }
    }
    for role in Role::ALL {
        assert!(
            !role.allows(Perm::Admin),
            "{role:?} must not reach the admin area"
        );
        assert!(!role.allows(Perm::ClientPortal));
    }
}

#[test]
fn without_client_management_clients_are_read_only() {
    let switched_off = |role| {
        let mut me = member(role, PartnerStatus::Active);
        if let PrincipalKind::Member {
            client_management, ..
        } = &mut me.kind
        {
            *client_management = false;
        }
        me
    };
    let owner = switched_off(Role::Owner);
    assert_eq!(owner.check(Perm::EditClients), Err(Refusal::SwitchedOff));
    assert_eq!(owner.check(Perm::Impersonate), Err(Refusal::SwitchedOff));
    assert!(owner.has(Perm::PartnerRead));
    assert!(owner.has(Perm::Branding));
    assert!(owner.has(Perm::Team));
    // A role without the permission is refused for its role first.
    let viewer = switched_off(Role::Viewer);
    assert_eq!(viewer.check(Perm::EditClients), Err(Refusal::NotPermitted));
}

#[test]
fn suspended_partners_can_do_nothing_and_frozen_ones_only_read() {
    let suspended = member(Role::Owner, PartnerStatus::Suspended);
    assert_eq!(
        suspended.check(Perm::PartnerRead),
        Err(Refusal::PartnerInactive)
    );
    let frozen = member(Role::Owner, PartnerStatus::Frozen);
    assert!(frozen.has(Perm::PartnerRead));
    assert!(frozen.has(Perm::Commissions));
    assert_eq!(frozen.check(Perm::EditClients), Err(Refusal::Frozen));
    assert_eq!(frozen.check(Perm::Team), Err(Refusal::Frozen));
}

#[test]
fn admins_and_client_users_stay_in_their_areas() {
    let admin = Principal {
        kind: PrincipalKind::Admin,
        ..member(Role::Owner, PartnerStatus::Active)
    };
    assert!(admin.has(Perm::Admin));
    assert!(!admin.has(Perm::ClientPortal));
    assert_eq!(admin.partner_id(), None);
    assert_eq!(admin.home(), "/admin");

    let client = |is_owner| Principal {
        kind: PrincipalKind::ClientUser {
            partner_id: Uuid::nil(),
            client_id: Uuid::nil(),
            client_name: "C".into(),
            is_owner,
        },
        ..member(Role::Owner, PartnerStatus::Active)
    };
    assert!(client(false).has(Perm::ClientPortal));
    assert!(!client(false).has(Perm::ClientAdmin));
    assert!(client(true).has(Perm::ClientAdmin));
    assert!(!client(true).has(Perm::PartnerRead));
    assert!(!client(true).has(Perm::Admin));
    assert_eq!(client(true).home(), "/app");

    let mut acted = client(true);
    acted.acting = Some(Acting {
        impersonation_id: Uuid::nil(),
        real_user_id: Uuid::nil(),
        real_name: "Sofia".into(),
        partner_id: Uuid::nil(),
        client_id: Uuid::nil(),
        minutes_left: 30,
    });
    assert!(
        acted.has(Perm::ClientPortal),
        "a reseller sees the client portal"
    );
    assert_eq!(
        acted.check(Perm::ClientAdmin),
        Err(Refusal::Impersonating),
        "but cannot manage its users"
    );
    assert!(!acted.has(Perm::Impersonate), "and cannot nest");
}

#[test]
fn password_policy() {
    assert!(check_new_password("short", "a@b.test").is_err());
    assert!(check_new_password(&"a".repeat(129), "a@b.test").is_err());
    assert!(check_new_password("aaaaaaaaaaaaaaaa", "a@b.test").is_err());
    assert!(check_new_password("xjohnsmithx-2026!", "johnsmith@b.test").is_err());
    assert!(check_new_password("correct horse battery", "a@b.test").is_ok());
    // Length counts characters, not bytes.
    assert!(check_new_password("ééééééééééé1", "a@b.test").is_err());
    assert!(check_new_password("żółć gęślą jaźń", "a@b.test").is_ok());
}

#[test]
fn next_paths_stay_on_this_site() {
    assert_eq!(safe_next_path("/admin"), Some("/admin"));
    assert_eq!(
        safe_next_path("/partner/clients?page=2"),
        Some("/partner/clients?page=2")
    );
    for bad in [
        "//evil.test",
        "/\\evil.test",
        "https://evil.test",
        "evil",
        "",
        "/a\nb",
    ] {
        assert_eq!(safe_next_path(bad), None, "{bad:?}");
    }
}

/// A person who must use two-factor sign-in and has not set it up holds no permission at
/// all; once it is on, or when nobody asks for it, their role decides as before.
#[test]
fn a_missing_second_factor_refuses_every_permission() {
    let required = |enabled| TwoFactor {
        enabled,
        required: true,
    };
    let admin = Principal {
        kind: PrincipalKind::Admin,
        two_factor: required(false),
        ..member(Role::Owner, PartnerStatus::Active)
    };
    assert_eq!(admin.check(Perm::Admin), Err(Refusal::TwoFactorMissing));
    let owner = Principal {
        two_factor: required(false),
        ..member(Role::Owner, PartnerStatus::Active)
    };
    for perm in [Perm::PartnerRead, Perm::Team, Perm::EditClients] {
        assert_eq!(
            owner.check(perm),
            Err(Refusal::TwoFactorMissing),
            "{perm:?}"
        );
    }
    let enrolled = Principal {
        two_factor: required(true),
        ..owner.clone()
    };
    assert!(enrolled.has(Perm::Team));
    let optional = Principal {
        two_factor: TwoFactor::default(),
        ..owner
    };
    assert!(optional.has(Perm::Team));
}
