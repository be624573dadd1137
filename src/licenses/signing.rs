//! The program's Ed25519 signing key, made on first use and kept in the database, and the
//! license key format: `PPL1.<payload>.<signature>`, both base64url without padding, where
//! the signature is over the payload's JSON bytes. A product checks it with any Ed25519
//! implementation and the public key from `/v1/licenses/public-key`.

use base64::{
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
    Engine,
};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::RngCore;
use sqlx::PgPool;

use super::model::LicensePayload;
use crate::db::scope::{scoped, Scope};

pub const PREFIX: &str = "PPL1";

/// The DER start of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the 32 key bytes follow.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// The signing key, made and stored the first time it is needed.
pub async fn signing_key(pool: &PgPool) -> sqlx::Result<SigningKey> {
    scoped(Scope::All, async {
        if let Some(secret) = stored(pool).await? {
            return Ok(secret);
        }
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        let key = SigningKey::from_bytes(&seed);
        // Two servers starting together: one insert wins and both read the winner.
        sqlx::query!(
            "insert into license_signing_keys (id, secret, public_key) values (1, $1, $2)
             on conflict (id) do nothing",
            &seed[..],
            &key.verifying_key().to_bytes()[..]
        )
        .execute(pool)
        .await?;
        Ok(stored(pool).await?.unwrap_or(key))
    })
    .await
}

async fn stored(pool: &PgPool) -> sqlx::Result<Option<SigningKey>> {
    let row = sqlx::query_scalar!("select secret from license_signing_keys where id = 1")
        .fetch_optional(pool)
        .await?;
    Ok(row
        .and_then(|secret| <[u8; 32]>::try_from(secret.as_slice()).ok())
        .map(|seed| SigningKey::from_bytes(&seed)))
}

/// The license key for `payload`.
pub fn sign(key: &SigningKey, payload: &LicensePayload) -> String {
    let json = serde_json::to_vec(payload).expect("a payload serialises");
    let signature = key.sign(&json);
    format!(
        "{PREFIX}.{}.{}",
        URL_SAFE_NO_PAD.encode(&json),
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

/// The payload of a license key whose signature `public` accepts.
pub fn verify(public: &VerifyingKey, license_key: &str) -> Option<LicensePayload> {
    let mut parts = license_key.split('.');
    let (Some(PREFIX), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let signature = <[u8; 64]>::try_from(URL_SAFE_NO_PAD.decode(signature).ok()?).ok()?;
    public
        .verify(&json, &Signature::from_bytes(&signature))
        .ok()?;
    serde_json::from_slice(&json).ok()
}

/// The public key as PEM (SubjectPublicKeyInfo), as OpenSSL and most libraries read it.
pub fn public_pem(public: &VerifyingKey) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(&public.to_bytes());
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        STANDARD.encode(der)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::licenses::model::LicenseKind;
    use chrono::Utc;
    use uuid::Uuid;

    fn payload() -> LicensePayload {
        LicensePayload {
            v: 1,
            license_id: Uuid::nil(),
            partner_id: Uuid::nil(),
            client_id: Uuid::nil(),
            kind: LicenseKind::Trial,
            features: vec!["sso".into()],
            max_users: 5,
            issued_at: Utc::now(),
            expires_at: None,
        }
    }

    #[test]
    fn a_key_verifies_with_its_public_key_only_and_untouched() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let signed = payload();
        let license = sign(&key, &signed);
        assert!(license.starts_with("PPL1."));
        assert_eq!(verify(&key.verifying_key(), &license), Some(signed));
        assert_eq!(verify(&other.verifying_key(), &license), None);
        let mut tampered = license.clone();
        tampered.insert(6, 'x');
        assert_eq!(verify(&key.verifying_key(), &tampered), None);
        assert_eq!(verify(&key.verifying_key(), "PPL1.abc"), None);
    }

    #[test]
    fn the_pem_is_a_subject_public_key_info() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let pem = public_pem(&key.verifying_key());
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = STANDARD.decode(body).unwrap();
        assert_eq!(der.len(), 44);
        assert_eq!(&der[..12], &SPKI_PREFIX);
        assert_eq!(&der[12..], key.verifying_key().as_bytes());
    }
}
