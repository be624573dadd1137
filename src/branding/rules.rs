//! White-label rules as pure functions: what a tier and the admin switch allow, where an
//! uploaded asset is served, and the host name of a Host header.

use uuid::Uuid;

use super::model::Eligibility;
use crate::program::Tier;

/// White-label is on from Gold up unless an admin switched it; custom CSS needs Platinum too,
/// and the admins' custom CSS switch on (`css_switch`).
pub fn eligibility(tier: Tier, switch: Option<bool>, css_switch: bool) -> Eligibility {
    let white_label = switch.unwrap_or(tier >= Tier::Gold);
    Eligibility {
        white_label,
        custom_css: white_label && tier == Tier::Platinum && css_switch,
        tier_label: tier.label().to_string(),
        switched_by_admin: switch.is_some(),
    }
}

/// The URL an uploaded asset is served at: its id and a prefix of its checksum, so that a
/// new upload is a new URL and browsers may keep each one forever.
pub fn asset_url(id: Uuid, sha256: &str, content_type: &str) -> String {
    let ext = match content_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        _ => "ico",
    };
    format!(
        "/brand-assets/{id}/{}.{ext}",
        &sha256[..16.min(sha256.len())]
    )
}

/// The host name of a Host header, lower-cased, without a port or a trailing dot.
pub fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => host,
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    (!name.is_empty() && !name.starts_with('[')).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_admins_switches_override_the_tier() {
        assert!(!eligibility(Tier::Silver, None, true).white_label);
        assert!(eligibility(Tier::Silver, Some(true), true).white_label);
        assert!(!eligibility(Tier::Platinum, Some(false), true).white_label);
        assert!(eligibility(Tier::Platinum, None, true).custom_css);
        assert!(!eligibility(Tier::Platinum, None, false).custom_css);
        assert!(!eligibility(Tier::Gold, None, true).custom_css);
    }
}
