//! Page data: server resources whose value the browser reads back with the same JSON decoder
//! its server-function calls use.
//!
//! Leptos's default resource codec decodes the server-rendered value from a `&str`
//! (`serde_json::from_str`), while a server function's answer is decoded from bytes
//! (`serde_json::from_slice`). serde compiles a type's decoding once per input kind, so every
//! type a page both hydrates and fetches again had two copies of its decoding code in the
//! WebAssembly. [`PageData`] decodes from bytes too: one copy, shared.

use std::future::Future;

use leptos::{
    prelude::*,
    server::codee::{Decoder, Encoder},
};
use serde::{de::DeserializeOwned, Serialize};

/// JSON, decoded from the bytes of the text (see the module's documentation).
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(text: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(text.as_bytes())
    }
}

/// A page's server data: a resource that the server renders and the browser hydrates.
pub type PageData<T> = Resource<T, JsonBytes>;

/// [`Resource::new`] with the [`JsonBytes`] codec: loads `fetcher(source())`, again whenever
/// `source` changes.
#[track_caller]
pub fn page_data<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageData<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: PartialEq + Clone + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_encoded_decodes_to_the_same_value() {
        let value: Result<Vec<(String, Option<i64>)>, String> = Ok(vec![
            ("naïve \"quoted\" ✓".into(), Some(-3)),
            ("".into(), None),
        ]);
        let text = <JsonBytes as Encoder<_>>::encode(&value).unwrap();
        let back: Result<Vec<(String, Option<i64>)>, String> =
            <JsonBytes as Decoder<_>>::decode(&text).unwrap();
        assert_eq!(back, value);
        assert!(<JsonBytes as Decoder<Vec<i64>>>::decode("[1, \"two\"]").is_err());
    }
}
