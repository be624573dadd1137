//! A partner's brand: the editor's form, the saved versions, and what the client portal
//! renders. Shared by the server and the browser (the live preview and its contrast warning
//! run in the browser).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The vendor defaults, as `#rrggbb`.
pub const VENDOR_COLORS: [(&str, &str); 5] = [
    ("primary_color", "#1d4ed8"),
    ("secondary_color", "#0f766e"),
    ("success_color", "#15803d"),
    ("warning_color", "#a16207"),
    ("error_color", "#b91c1c"),
];

/// Text on the primary and secondary colors (buttons, the header bar) is white.
pub const TEXT_ON_COLOR: &str = "#ffffff";
/// WCAG 2.1 AA for normal text.
pub const AA_CONTRAST: f64 = 4.5;

/// The largest custom stylesheet accepted.
pub const MAX_CSS_BYTES: usize = 20_000;

/// The CSS selector every published custom stylesheet is scoped under: the element that
/// holds the client portal (and not the impersonation banner, which sits outside it).
pub const BRAND_ROOT: &str = "[data-brand-root]";
/// The same for the editor's preview.
pub const PREVIEW_ROOT: &str = "[data-brand-preview]";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colors {
    pub primary: String,
    pub secondary: String,
    pub success: String,
    pub warning: String,
    pub error: String,
}

impl Colors {
    /// The CSS custom properties the stylesheet reads its colors from.
    pub fn custom_properties(&self) -> String {
        format!(
            "--color-primary:{};--color-secondary:{};--color-success:{};--color-warning:{};--color-error:{};",
            self.primary, self.secondary, self.success, self.warning, self.error
        )
    }
}

/// The editor's form as typed: text, so that nothing is lost on an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BrandInput {
    pub primary_color: String,
    pub secondary_color: String,
    pub success_color: String,
    pub warning_color: String,
    pub error_color: String,
    /// An uploaded asset's id, or empty.
    pub logo: String,
    pub logo_url: String,
    pub favicon: String,
    pub favicon_url: String,
    pub background: String,
    pub background_url: String,
    pub company_name: String,
    pub support_email: String,
    pub support_phone: String,
    pub terms_url: String,
    pub privacy_url: String,
    pub custom_css: String,
}

impl BrandInput {
    /// The value of a form field by its name.
    pub fn get(&self, field: &str) -> &str {
        match field {
            "primary_color" => &self.primary_color,
            "secondary_color" => &self.secondary_color,
            "success_color" => &self.success_color,
            "warning_color" => &self.warning_color,
            "error_color" => &self.error_color,
            "logo" => &self.logo,
            "logo_url" => &self.logo_url,
            "favicon" => &self.favicon,
            "favicon_url" => &self.favicon_url,
            "background" => &self.background,
            "background_url" => &self.background_url,
            "company_name" => &self.company_name,
            "support_email" => &self.support_email,
            "support_phone" => &self.support_phone,
            "terms_url" => &self.terms_url,
            "privacy_url" => &self.privacy_url,
            "custom_css" => &self.custom_css,
            _ => "",
        }
    }

    /// Sets a form field by its name.
    pub fn set(&mut self, field: &str, value: String) {
        let slot = match field {
            "primary_color" => &mut self.primary_color,
            "secondary_color" => &mut self.secondary_color,
            "success_color" => &mut self.success_color,
            "warning_color" => &mut self.warning_color,
            "error_color" => &mut self.error_color,
            "logo" => &mut self.logo,
            "logo_url" => &mut self.logo_url,
            "favicon" => &mut self.favicon,
            "favicon_url" => &mut self.favicon_url,
            "background" => &mut self.background,
            "background_url" => &mut self.background_url,
            "company_name" => &mut self.company_name,
            "support_email" => &mut self.support_email,
            "support_phone" => &mut self.support_phone,
            "terms_url" => &mut self.terms_url,
            "privacy_url" => &mut self.privacy_url,
            "custom_css" => &mut self.custom_css,
            _ => return,
        };
        *slot = value;
    }

    /// Every field, by name, for query strings and kept values.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        FIELDS
            .iter()
            .map(|&f| (f, self.get(f).to_string()))
            .collect()
    }

    /// A form built from name/value pairs (a query string); missing fields stay empty.
    pub fn from_pairs(mut value: impl FnMut(&str) -> Option<String>) -> Self {
        let mut input = Self::default();
        for field in FIELDS {
            if let Some(v) = value(field) {
                input.set(field, v);
            }
        }
        input
    }

    pub fn colors(&self) -> Colors {
        Colors {
            primary: self.primary_color.clone(),
            secondary: self.secondary_color.clone(),
            success: self.success_color.clone(),
            warning: self.warning_color.clone(),
            error: self.error_color.clone(),
        }
    }
}

/// The names of the editor's fields, in form order.
pub const FIELDS: [&str; 17] = [
    "primary_color",
    "secondary_color",
    "success_color",
    "warning_color",
    "error_color",
    "logo",
    "logo_url",
    "favicon",
    "favicon_url",
    "background",
    "background_url",
    "company_name",
    "support_email",
    "support_phone",
    "terms_url",
    "privacy_url",
    "custom_css",
];

/// Reads `#rrggbb` (any case, surrounding spaces ignored) as lower-case `#rrggbb`.
pub fn parse_color(text: &str) -> Result<String, &'static str> {
    let text = text.trim();
    let hex = text
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
    match hex {
        Some(hex) => Ok(format!("#{}", hex.to_ascii_lowercase())),
        None => Err("Enter a color like #1d4ed8."),
    }
}

/// The WCAG 2.1 relative luminance of `#rrggbb`.
fn luminance(color: &str) -> Option<f64> {
    let hex = parse_color(color).ok()?;
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).ok()?) / 255.0;
        Some(if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(1)? + 0.7152 * channel(3)? + 0.0722 * channel(5)?)
}

/// The WCAG contrast ratio of two colors (1 to 21), or `None` if either is not `#rrggbb`.
pub fn contrast_ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    Some((light + 0.05) / (dark + 0.05))
}

/// A warning when white text on `color` fails WCAG AA, for the field's label.
pub fn contrast_warning(color: &str) -> Option<String> {
    let ratio = contrast_ratio(TEXT_ON_COLOR, color)?;
    (ratio < AA_CONTRAST).then(|| {
        format!(
            "White text on this color has a contrast of {ratio:.1}:1; WCAG AA asks for at least 4.5:1, so clients may find it hard to read."
        )
    })
}

/// Something the CSS sanitizer took out of the partner's stylesheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CssRemoval {
    pub line: u32,
    pub what: String,
    pub why: String,
}

/// The partner's stylesheet as it will be served, and what was taken out of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedCss {
    pub css: String,
    pub removed: Vec<CssRemoval>,
}

/// Which brand a page shows. Everything but the session is named by the page's address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BrandKey {
    /// The signed-in client user's reseller (or, on a custom domain, its partner).
    Session,
    /// `/b/:slug/login`.
    Slug(String),
    /// `/invite/:token`: the invited client's reseller.
    Invitation(String),
}

impl BrandKey {
    /// The key for a path: the branded sign-in page and invitations name their partner.
    pub fn for_path(path: &str) -> Self {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["b", slug, "login"] => BrandKey::Slug((*slug).to_string()),
            ["invite", token] => BrandKey::Invitation((*token).to_string()),
            _ => BrandKey::Session,
        }
    }
}

/// A published brand, as the client portal renders it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brand {
    pub slug: String,
    /// The company name clients see (the partner's name when none is set).
    pub company_name: String,
    pub colors: Colors,
    pub logo_url: Option<String>,
    pub favicon_url: Option<String>,
    pub background_url: Option<String>,
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
    /// Sanitized custom CSS scoped under [`BRAND_ROOT`] (empty below Platinum).
    pub css: String,
}

impl Brand {
    /// The `<style>` text of the brand: its colors and sign-in background, then its custom
    /// CSS (already scoped under [`BRAND_ROOT`]).
    pub fn stylesheet(&self) -> String {
        let background = self
            .background_url
            .as_deref()
            .map(|url| format!("--login-background:url(\"{}\");", css_url(url)))
            .unwrap_or_default();
        format!(
            "{BRAND_ROOT}{{{}{background}}}{}",
            self.colors.custom_properties(),
            self.css
        )
    }
}

/// A checked URL made safe inside a quoted CSS `url("…")` in a `<style>` element: the
/// characters that could end the string, the function or the element are percent-encoded.
pub fn css_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '"' | '\'' | '\\' | '(' | ')' | '<' | '>' | ' ' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An uploaded image the partner can pick.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetRow {
    pub id: Uuid,
    pub kind: AssetKind,
    pub file_name: String,
    pub url: String,
    pub width: i32,
    pub height: i32,
    pub bytes: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type))]
#[cfg_attr(
    feature = "ssr",
    sqlx(type_name = "brand_asset_kind", rename_all = "lowercase")
)]
pub enum AssetKind {
    Logo,
    Favicon,
    Background,
}

impl AssetKind {
    pub const ALL: [AssetKind; 3] = [AssetKind::Logo, AssetKind::Favicon, AssetKind::Background];

    pub fn slug(self) -> &'static str {
        match self {
            AssetKind::Logo => "logo",
            AssetKind::Favicon => "favicon",
            AssetKind::Background => "background",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            AssetKind::Logo => "Logo",
            AssetKind::Favicon => "Favicon",
            AssetKind::Background => "Sign-in background",
        }
    }

    /// The largest width and height accepted, in pixels.
    pub fn max_pixels(self) -> u32 {
        match self {
            AssetKind::Logo => 2000,
            AssetKind::Favicon => 512,
            AssetKind::Background => 4096,
        }
    }

    /// The largest file accepted, in bytes.
    pub fn max_bytes(self) -> usize {
        match self {
            AssetKind::Logo => 1024 * 1024,
            AssetKind::Favicon => 256 * 1024,
            AssetKind::Background => 3 * 1024 * 1024,
        }
    }
}

/// One saved version, for the version list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    pub number: i32,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    pub restored_from: Option<i32>,
    pub is_published: bool,
    pub published_by: Option<String>,
    pub published_at: Option<DateTime<Utc>>,
}

/// Whether the partner may use white-label and custom CSS, and why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub white_label: bool,
    pub custom_css: bool,
    pub tier_label: String,
    /// Set when an admin turned white-label on or off for this partner.
    pub switched_by_admin: bool,
}

/// The custom domain and what the partner must put in DNS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DomainStatus {
    pub domain: String,
    pub cname_target: String,
    pub txt_name: String,
    pub txt_value: String,
    pub verified_at: Option<DateTime<Utc>>,
    pub checked_at: Option<DateTime<Utc>>,
}

/// The TXT record name that proves control of `domain`.
pub fn txt_record_name(domain: &str) -> String {
    format!("_partner-portal.{domain}")
}

/// The TXT record value for a verification token.
pub fn txt_record_value(token: &str) -> String {
    format!("partner-portal-verification={token}")
}

/// Everything the editor shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BrandingEditor {
    pub partner_name: String,
    pub slug: String,
    pub eligibility: Eligibility,
    /// The newest saved version's values, or the vendor defaults.
    pub current: BrandInput,
    pub newest_version: Option<i32>,
    pub published_version: Option<i32>,
    pub versions: Vec<VersionRow>,
    pub assets: Vec<AssetRow>,
    pub domain: Option<DomainStatus>,
    /// The newest version's custom CSS as served, and what was removed from it.
    pub css: CheckedCss,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_are_read_as_lower_case_hex() {
        assert_eq!(parse_color(" #1D4ED8 ").unwrap(), "#1d4ed8");
        for bad in [
            "1d4ed8",
            "#1d4ed",
            "#1d4ed8f",
            "#ggg000",
            "red",
            "",
            "#1d4ed8;}",
        ] {
            assert!(parse_color(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        let white_black = contrast_ratio("#ffffff", "#000000").unwrap();
        assert!((white_black - 21.0).abs() < 0.01);
        assert!((contrast_ratio("#777777", "#777777").unwrap() - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey that passes AA on white.
        assert!(contrast_ratio("#ffffff", "#767676").unwrap() >= AA_CONTRAST);
        assert!(contrast_ratio("#ffffff", "#777777").unwrap() < AA_CONTRAST);
        assert!(contrast_warning("#1d4ed8").is_none());
        assert!(contrast_warning("#facc15").unwrap().contains("4.5:1"));
    }

    #[test]
    fn urls_cannot_leave_their_css_string() {
        assert_eq!(
            css_url("https://x.example/a\")</style><b>(1)"),
            "https://x.example/a%22%29%3C/style%3E%3Cb%3E%281%29"
        );
    }

    #[test]
    fn paths_name_their_brand() {
        assert_eq!(
            BrandKey::for_path("/b/northwind/login"),
            BrandKey::Slug("northwind".into())
        );
        assert_eq!(
            BrandKey::for_path("/invite/abc"),
            BrandKey::Invitation("abc".into())
        );
        assert_eq!(BrandKey::for_path("/app"), BrandKey::Session);
        assert_eq!(BrandKey::for_path("/b/northwind"), BrandKey::Session);
    }
}
