//! The settings: defaults, the file, the environment, and the rules that refuse bad values.

use super::*;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_apply_without_file_or_environment() {
    let s = Settings::from_sources("Leptos.toml", "", &env(&[])).unwrap();
    assert_eq!(s.site.addr, "127.0.0.1:3000".parse().unwrap());
    assert_eq!(s.database.url, None);
    assert_eq!(s.database.embedded_port, 54329);
    assert_eq!(s.session.idle_minutes, 480);
    assert!(!s.site.is_https());
}

#[test]
fn the_shipped_leptos_toml_parses() {
    let text = include_str!("../../Leptos.toml");
    let s = Settings::from_sources("Leptos.toml", text, &env(&[])).unwrap();
    assert_eq!(s.site.env, RunEnv::Dev);
    assert_eq!(
        s.database.url, None,
        "the shipped file uses the embedded database"
    );
}

#[test]
fn environment_overrides_file() {
    let file = "[site]\naddr = \"0.0.0.0:8080\"\n[database]\nurl = \"postgres://a@b/c\"\n";
    let s = Settings::from_sources(
        "Leptos.toml",
        file,
        &env(&[
            ("LEPTOS_SITE_ADDR", "127.0.0.1:4000"),
            ("DATABASE_URL", "postgres://x@y/z"),
        ]),
    )
    .unwrap();
    assert_eq!(s.site.addr, "127.0.0.1:4000".parse().unwrap());
    assert_eq!(s.database.url.as_deref(), Some("postgres://x@y/z"));
}

#[test]
fn bad_values_name_the_setting_and_where_it_came_from() {
    let err = Settings::from_sources("Leptos.toml", "[site]\naddr = \"nowhere\"\n", &env(&[]))
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("`site.addr`") && text.contains("Leptos.toml"),
        "{text}"
    );

    let err = Settings::from_sources(
        "Leptos.toml",
        "",
        &env(&[("PORTAL_EMBEDDED_PORT", "99999")]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("`database.embedded_port`") && err.contains("PORTAL_EMBEDDED_PORT"),
        "{err}"
    );

    let err = Settings::from_sources("Leptos.toml", "", &env(&[("LEPTOS_ENV", "staging")]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`site.env`"), "{err}");

    let err = Settings::from_sources("Leptos.toml", "", &env(&[("DATABASE_URL", "mysql://x")]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`database.url`") && err.contains("DATABASE_URL"),
        "{err}"
    );

    let err = Settings::from_sources("Leptos.toml", "[session]\nidle_minutes = 0\n", &env(&[]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("`session.idle_minutes`"), "{err}");
}

#[test]
fn a_broken_file_is_reported_with_its_name() {
    let err = Settings::from_sources("custom.toml", "[site\n", &env(&[])).unwrap_err();
    assert!(matches!(err, ConfigError::File { ref path, .. } if path == "custom.toml"));
}

#[test]
fn https_public_url_means_secure_cookies() {
    let s = Settings::from_sources(
        "f",
        "",
        &env(&[("PORTAL_PUBLIC_URL", "https://partners.example.com")]),
    )
    .unwrap();
    assert!(s.site.is_https());
    let err =
        Settings::from_sources("f", "", &env(&[("PORTAL_PUBLIC_URL", "ftp://x")])).unwrap_err();
    assert!(err.to_string().contains("`site.public_url`"));
}
