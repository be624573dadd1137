//! The secrets the API accepts, in a shape that can be recognised anywhere they leak (a log,
//! a commit, a chat): a prefix naming the kind, 32 random base62 characters (190 bits), and
//! a 6-character CRC32 checksum of those, as GitHub's tokens are made. A scanner can tell a
//! real token from a look-alike without asking the portal, and the server refuses a typo
//! without a database read. Only the SHA-256 of a secret is stored: the 190 random bits make
//! a slow hash pointless, and a fast one keeps every API call cheap.

use rand::{distributions::Alphanumeric, rngs::OsRng, Rng};
use sha2::{Digest, Sha256};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const RANDOM_LEN: usize = 32;
const CHECKSUM_LEN: usize = 6;
/// How much of a key the list shows (prefix and the first random characters): enough to
/// tell keys apart and to match a leaked one, far too little to use.
pub const SHOWN_LEN: usize = 12;

/// What a secret is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A long-lived API key (also the OAuth client secret).
    Key,
    /// A short-lived bearer token from `POST /oauth/token`.
    AccessToken,
}

impl Kind {
    pub const fn prefix(self) -> &'static str {
        match self {
            Kind::Key => "ppk_",
            Kind::AccessToken => "ppt_",
        }
    }

    /// The kind a well-formed secret is of: prefix, length, alphabet and checksum all right.
    pub fn of(secret: &str) -> Option<Kind> {
        let kind = [Kind::Key, Kind::AccessToken]
            .into_iter()
            .find(|kind| secret.starts_with(kind.prefix()))?;
        let rest = &secret[kind.prefix().len()..];
        if rest.len() != RANDOM_LEN + CHECKSUM_LEN
            || !rest.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        let (random, checksum) = rest.split_at(RANDOM_LEN);
        (checksum == checksum_of(random)).then_some(kind)
    }
}

/// A new secret of `kind`, from the operating system's random source.
pub fn generate(kind: Kind) -> String {
    let random: String = OsRng
        .sample_iter(&Alphanumeric)
        .take(RANDOM_LEN)
        .map(char::from)
        .collect();
    compose(kind, &random)
}

fn compose(kind: Kind, random: &str) -> String {
    format!("{}{random}{}", kind.prefix(), checksum_of(random))
}

/// CRC32 of the random part in base62, left-padded to 6 characters (62^6 > 2^32).
fn checksum_of(random: &str) -> String {
    let mut n = crc32fast::hash(random.as_bytes());
    let mut digits = [b'0'; CHECKSUM_LEN];
    for digit in digits.iter_mut().rev() {
        *digit = BASE62[(n % 62) as usize];
        n /= 62;
    }
    String::from_utf8_lossy(&digits).into_owned()
}

/// What is stored and looked up: the SHA-256 of the whole secret.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The start of a secret, as the key list shows it.
pub fn shown(secret: &str) -> String {
    secret.chars().take(SHOWN_LEN).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_new_key_is_recognised_and_has_its_parts() {
        let key = generate(Kind::Key);
        assert!(key.starts_with("ppk_"));
        assert_eq!(key.len(), 4 + RANDOM_LEN + CHECKSUM_LEN);
        assert_eq!(Kind::of(&key), Some(Kind::Key));
        assert_eq!(shown(&key).len(), SHOWN_LEN);
        assert!(key.starts_with(&shown(&key)));
        let token = generate(Kind::AccessToken);
        assert_eq!(Kind::of(&token), Some(Kind::AccessToken));
        assert_ne!(generate(Kind::Key), key, "two keys are never the same");
    }

    #[test]
    fn the_checksum_matches_a_known_value() {
        // crc32("") = 0: six zeros; crc32("a") = 0xE8B7BE43 = 3904355907.
        assert_eq!(checksum_of(""), "000000");
        let mut n: u64 = 3_904_355_907;
        let mut expected = Vec::new();
        for _ in 0..CHECKSUM_LEN {
            expected.push(BASE62[(n % 62) as usize]);
            n /= 62;
        }
        expected.reverse();
        assert_eq!(checksum_of("a").as_bytes(), expected.as_slice());
    }

    #[test]
    fn look_alikes_are_refused() {
        let key = generate(Kind::Key);
        for bad in [
            String::new(),
            "ppk_".into(),
            key[..key.len() - 1].to_string(),
            format!("{key}x"),
            key.replacen("ppk_", "ppx_", 1),
            format!("{}-{}", &key[..10], &key[11..]),
            format!("Bearer {key}"),
        ] {
            assert_eq!(Kind::of(&bad), None, "{bad:?}");
        }
    }

    proptest! {
        /// Any change of one character of the random part is caught by the checksum (CRC32
        /// detects every single-symbol error).
        #[test]
        fn one_changed_character_is_caught(random in "[0-9A-Za-z]{32}", at in 0usize..32, to in 0usize..62) {
            let key = compose(Kind::Key, &random);
            prop_assert_eq!(Kind::of(&key), Some(Kind::Key));
            let mut bytes = random.clone().into_bytes();
            prop_assume!(bytes[at] != BASE62[to]);
            bytes[at] = BASE62[to];
            let changed = format!("ppk_{}{}", String::from_utf8(bytes).unwrap(), &key[4 + RANDOM_LEN..]);
            prop_assert_eq!(Kind::of(&changed), None);
        }

        #[test]
        fn the_hash_is_of_the_whole_secret(a in "[0-9A-Za-z]{32}", b in "[0-9A-Za-z]{32}") {
            prop_assume!(a != b);
            prop_assert_ne!(hash(&compose(Kind::Key, &a)), hash(&compose(Kind::Key, &b)));
            prop_assert_ne!(hash(&compose(Kind::Key, &a)), hash(&compose(Kind::AccessToken, &a)));
        }
    }
}
