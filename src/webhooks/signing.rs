//! Signatures as the Standard Webhooks specification defines them: HMAC-SHA256 with the
//! endpoint's secret over `{webhook-id}.{webhook-timestamp}.{body}`, sent base64-encoded as
//! `v1,<signature>` in the `webhook-signature` header (several, space-separated, while a
//! rotated secret still signs). Secrets are 32 random bytes, shown as `whsec_` and their
//! base64.

use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// An endpoint's signing secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

impl Secret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Secret(bytes)
    }

    /// From the stored bytes; `None` unless there are exactly 32.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Secret)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// As the partner copies it: `whsec_` and the bytes in base64.
    pub fn shown(&self) -> String {
        format!("whsec_{}", STANDARD.encode(self.0))
    }

    /// One signature, `v1,<base64>`, of `body` sent as message `id` at `timestamp` (seconds
    /// since the epoch).
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("any key length works");
        mac.update(id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The `webhook-signature` header: one signature per secret that signs now.
pub fn signature_header(secrets: &[&Secret], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| s.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_example_signs_as_published() {
        // The example of the Standard Webhooks specification (and of its libraries' tests).
        let secret = STANDARD.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(&secret).unwrap();
        mac.update(b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}");
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        assert_eq!(expected, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        // The same computation through Secret, with a 32-byte key of our own.
        let ours = Secret([7; 32]);
        let signed = ours.sign("msg_1", 1614265330, b"{}");
        assert!(signed.starts_with("v1,") && signed.len() == 3 + 44);
        assert_ne!(signed, ours.sign("msg_1", 1614265331, b"{}"));
        assert_ne!(signed, Secret([8; 32]).sign("msg_1", 1614265330, b"{}"));
    }

    #[test]
    fn a_rotated_secret_signs_beside_the_new_one_and_secrets_are_never_printed() {
        let (old, new) = (Secret::generate(), Secret::generate());
        let header = signature_header(&[&new, &old], "msg_1", 1, b"x");
        assert_eq!(
            header,
            format!(
                "{} {}",
                new.sign("msg_1", 1, b"x"),
                old.sign("msg_1", 1, b"x")
            )
        );
        assert!(new.shown().starts_with("whsec_"));
        assert_eq!(
            Secret::from_bytes(&STANDARD.decode(&new.shown()[6..]).unwrap()),
            Some(new.clone())
        );
        assert_eq!(format!("{new:?}"), "Secret(..)");
        assert_eq!(Secret::from_bytes(&[1; 31]), None);
    }
}
