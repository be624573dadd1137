//! Random single-use tokens. The link carries the token; the database keeps its SHA-256, so a
//! leaked table does not leak working links.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use sha2::{Digest, Sha256};

/// A new token (256 random bits, URL-safe) and the hash to store.
pub fn new_token() -> (String, Vec<u8>) {
    let bytes: [u8; 32] = rand::random();
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    (token, hash)
}

pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Whether two secrets are the same, compared through their hashes so that the time taken
/// says nothing about how much of a guess was right.
pub fn same(given: &str, expected: &str) -> bool {
    hash(given) == hash(expected)
}

/// Tokens we issue are exactly 43 URL-safe characters; anything else is refused unread.
pub fn looks_valid(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_url_safe_and_hashed() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert!(looks_valid(&a), "{a}");
        assert_eq!(hash_a, hash(&a));
        assert_eq!(hash_a.len(), 32);
        assert!(!looks_valid("short"));
        assert!(!looks_valid(&format!("{}/", &a[..42])));
    }
}
