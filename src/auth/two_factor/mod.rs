//! Two-factor sign-in with time-based codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second
//! steps, one step of clock drift either way), and the single-use recovery codes that stand
//! in for a lost phone. A code is accepted once: the step it belongs to is stored, and a
//! code of that step or an earlier one is refused.

pub mod queries;

use rand::Rng;
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, TOTP};

/// What authenticator apps show beside the account.
const ISSUER: &str = "Partner Portal";
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
const SECRET_BYTES: usize = 20;
pub const STEP_SECONDS: u64 = 30;
/// How many recovery codes a person gets at once.
pub const RECOVERY_CODES: usize = 10;
/// Letters of a recovery code without the ones easily confused (0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::thread_rng().fill(&mut secret[..]);
    secret
}

fn totp(secret: &[u8], account: &str) -> TOTP {
    // The account name may not hold ':' (an e-mail address never does after parsing).
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        0,
        STEP_SECONDS,
        secret.to_vec(),
        Some(ISSUER.into()),
        account.replace(':', " "),
    )
}

/// The time step a code belongs to, if it is the code of the step of `now` (seconds since
/// the epoch) or of the one before or after.
pub fn matching_step(secret: &[u8], code: &str, now: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "");
    let step = now / STEP_SECONDS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| totp.generate(s * STEP_SECONDS) == code)
}

/// The code of the step of `now`: what an authenticator app shows (for tests and the demo).
pub fn code_at(secret: &[u8], now: u64) -> String {
    totp(secret, "").generate(now)
}

/// Seconds since the epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The secret as people type it into an app by hand (base 32, in groups of four).
pub fn secret_text(secret: &[u8]) -> String {
    let plain = totp(secret, "").get_secret_base32();
    plain
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The enrolment QR code (the otpauth:// URL for `account`) as an inline SVG element.
pub fn qr_svg(secret: &[u8], account: &str) -> String {
    let url = totp(secret, account).get_url();
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .build();
            // Inline in the page: without the XML declaration.
            match svg.find("<svg") {
                Some(start) => svg[start..].to_string(),
                None => svg,
            }
        }
        Err(error) => {
            tracing::error!(%error, "QR code could not be drawn");
            String::new()
        }
    }
}

/// Ten new recovery codes, as shown once (`abcde-fghij`).
pub fn new_recovery_codes() -> Vec<String> {
    let mut rng = rand::thread_rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let letters: String = (0..10)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &letters[..5], &letters[5..])
        })
        .collect()
}

/// What is stored of a recovery code: the SHA-256 of its letters, whatever the case,
/// spaces or dashes it was typed with. (Fifty random bits each: a fast hash suffices.)
pub fn recovery_hash(code: &str) -> Vec<u8> {
    let letters: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    Sha256::digest(letters.as_bytes()).to_vec()
}

/// Whether what was typed looks like a recovery code rather than a six-digit code.
pub fn looks_like_recovery_code(code: &str) -> bool {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).count() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, truncated to six digits.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_match_the_rfc_test_vectors() {
        assert_eq!(code_at(RFC_SECRET, 59), "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109), "081804");
        assert_eq!(code_at(RFC_SECRET, 1_234_567_890), "005924");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000), "279037");
    }

    #[test]
    fn a_code_is_good_for_its_step_and_one_either_side_only() {
        let now = 1_234_567_890;
        let code = code_at(RFC_SECRET, now);
        assert_eq!(matching_step(RFC_SECRET, &code, now), Some(now / 30));
        assert_eq!(
            matching_step(RFC_SECRET, &code, now + 30),
            Some(now / 30),
            "a step late"
        );
        assert_eq!(matching_step(RFC_SECRET, &code, now - 30), Some(now / 30));
        assert_eq!(matching_step(RFC_SECRET, &code, now + 90), None);
        assert_eq!(
            matching_step(RFC_SECRET, &format!("{} {}", &code[..3], &code[3..]), now),
            Some(now / 30),
            "spaces are ignored"
        );
        assert_eq!(matching_step(RFC_SECRET, "12345", now), None);
        assert_eq!(matching_step(RFC_SECRET, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_alike_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert!(looks_like_recovery_code(code));
        assert!(!looks_like_recovery_code("123456"));
        assert_eq!(
            recovery_hash(code),
            recovery_hash(&format!(" {} ", code.to_uppercase().replace('-', " ")))
        );
        assert_ne!(recovery_hash(code), recovery_hash(&codes[1]));
    }

    #[test]
    fn the_enrolment_shows_an_svg_and_the_secret_in_groups() {
        let secret = new_secret();
        let svg = qr_svg(&secret, "dana@example.com");
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        let text = secret_text(&secret);
        assert_eq!(text.replace(' ', "").len(), 32, "160 bits in base 32");
    }
}
