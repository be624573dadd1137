//! The form decoders of the public and the busiest server functions, on any body: decoding
//! (serde_qs, as server_fn does it) and validation never panic, and a sign-in's Debug never
//! shows the password it carries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use partner_portal::{
    applications::server::SubmitApplication,
    auth::server::Login,
    clients::server::{CreateClient, UpdateClient},
    invitations::server::AcceptInvitation,
};

fn decode<T: serde::de::DeserializeOwned>(body: &str) -> Option<T> {
    serde_qs::Config::new(5, false).deserialize_str::<T>(body).ok()
}

fuzz_target!(|body: &str| {
    if let Some(Login { input }) = decode::<Login>(body) {
        let _ = input.validate();
        // (Unless the same text is also in a field Debug may show.)
        let shown = format!("{}{:?}", input.email, input.next);
        if input.password.len() >= 8 && !shown.contains(&input.password) {
            assert!(!format!("{input:?}").contains(&input.password));
        }
    }
    if let Some(SubmitApplication { input }) = decode::<SubmitApplication>(body) {
        let _ = input.validate();
    }
    let plans = ["starter".to_string(), "professional".to_string()];
    if let Some(CreateClient { input }) = decode::<CreateClient>(body) {
        let _ = input.validate(&plans);
    }
    if let Some(UpdateClient { input, .. }) = decode::<UpdateClient>(body) {
        let _ = input.validate(&plans);
    }
    if let Some(AcceptInvitation { input }) = decode::<AcceptInvitation>(body) {
        let _ = input.validate("someone@example.com");
    }
});
