//! Where `auth` keeps the key: `$PARTNER_CLI_CONFIG`, else `$XDG_CONFIG_HOME/partner-cli/
//! config.json`, else `~/.config/partner-cli/config.json`; the file 0600 and its folder 0700,
//! since the key is a secret.

use std::{
    fs,
    io::Write,
    os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt},
    path::PathBuf,
};

use serde::{Deserialize, Serialize};

use crate::api::Failure;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    pub url: String,
    pub key: String,
}

pub fn path() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os("PARTNER_CLI_CONFIG") {
        return Ok(PathBuf::from(path));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")))
        .ok_or_else(|| {
            Failure::Config("no HOME or XDG_CONFIG_HOME: set PARTNER_CLI_CONFIG".into())
        })?;
    Ok(base.join("partner-cli").join("config.json"))
}

/// The saved key and address, if `auth` has saved one.
pub fn load() -> Result<Option<Config>, Failure> {
    let path = path()?;
    match fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map(Some).map_err(|error| {
            Failure::Config(format!(
                "{} is not a partner-cli config ({error}): run `partner-cli auth <key>` again",
                path.display()
            ))
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(Failure::Config(format!(
            "cannot read {}: {error}",
            path.display()
        ))),
    }
}

/// Saves `config`, readable by the user only; returns where.
pub fn save(config: &Config) -> Result<PathBuf, Failure> {
    let path = path()?;
    let failed = |error: std::io::Error| {
        Failure::Config(format!("cannot write {}: {error}", path.display()))
    };
    if let Some(folder) = path.parent() {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(folder)
            .map_err(failed)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .map_err(failed)?;
    // An older file keeps its mode on open: make sure.
    file.set_permissions(fs::Permissions::from_mode(0o600))
        .map_err(failed)?;
    let text = serde_json::to_string_pretty(config).unwrap_or_default();
    file.write_all(text.as_bytes()).map_err(failed)?;
    Ok(path)
}
