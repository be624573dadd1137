//! Checking what the partner typed into the editor. Whether a picked asset is the partner's
//! own (and of the right kind) is checked against the database by the server function.

use uuid::Uuid;

use super::model::{parse_color, AssetKind, BrandInput, Colors, MAX_CSS_BYTES};
use crate::{
    error::{AppError, FieldErrors},
    program::{Email, HttpsUrl, Phone},
};

/// Longest URL accepted for an image, terms or privacy page.
const MAX_URL: usize = 500;

/// Where an image comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageSource {
    None,
    Asset(Uuid),
    Url(String),
}

impl ImageSource {
    pub fn asset(&self) -> Option<Uuid> {
        match self {
            ImageSource::Asset(id) => Some(*id),
            _ => None,
        }
    }

    pub fn url(&self) -> Option<&str> {
        match self {
            ImageSource::Url(url) => Some(url),
            _ => None,
        }
    }
}

/// A checked brand, ready to be saved as a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidBrand {
    pub colors: Colors,
    pub logo: ImageSource,
    pub favicon: ImageSource,
    pub background: ImageSource,
    pub company_name: Option<String>,
    pub support_email: Option<String>,
    pub support_phone: Option<String>,
    pub terms_url: Option<String>,
    pub privacy_url: Option<String>,
    pub custom_css: String,
}

impl BrandInput {
    /// Checks every field; `css_allowed` is whether the partner may use custom CSS.
    pub fn validate(&self, css_allowed: bool) -> Result<ValidBrand, AppError> {
        let mut errors = FieldErrors::new();
        let mut color = |field: &str, text: &str| match parse_color(text) {
            Ok(color) => color,
            Err(message) => {
                errors.add(field, message);
                String::new()
            }
        };
        let colors = Colors {
            primary: color("primary_color", &self.primary_color),
            secondary: color("secondary_color", &self.secondary_color),
            success: color("success_color", &self.success_color),
            warning: color("warning_color", &self.warning_color),
            error: color("error_color", &self.error_color),
        };
        let logo = image(&mut errors, "logo", &self.logo, &self.logo_url);
        let favicon = image(&mut errors, "favicon", &self.favicon, &self.favicon_url);
        let background = image(
            &mut errors,
            "background",
            &self.background,
            &self.background_url,
        );

        let company_name = optional(&self.company_name);
        if company_name
            .as_ref()
            .is_some_and(|n| n.chars().count() > 100)
        {
            errors.add("company_name", "Use at most 100 characters.");
        }
        let support_email = optional(&self.support_email).map(|e| e.to_lowercase());
        if let Some(Err(message)) = support_email.as_deref().map(Email::parse) {
            errors.add("support_email", message);
        }
        let support_phone = optional(&self.support_phone);
        if let Some(phone) = &support_phone {
            if phone.chars().count() > 40 {
                errors.add("support_phone", "Use at most 40 characters.");
            } else if let Err(message) = Phone::parse(phone) {
                errors.add("support_phone", message);
            }
        }
        let terms_url = optional(&self.terms_url);
        let privacy_url = optional(&self.privacy_url);
        for (field, url) in [("terms_url", &terms_url), ("privacy_url", &privacy_url)] {
            if let Some(Err(message)) = url.as_deref().map(check_url) {
                errors.add(field, message);
            }
        }

        let custom_css = self.custom_css.trim().to_string();
        if !custom_css.is_empty() && !css_allowed {
            errors.add(
                "custom_css",
                "Custom CSS is for Platinum partners with white-label, unless the program team \
                 switched it off. Clear this field to save.",
            );
        } else if custom_css.len() > MAX_CSS_BYTES {
            errors.add(
                "custom_css",
                format!("Custom CSS is limited to {MAX_CSS_BYTES} bytes."),
            );
        }

        if errors.is_empty() {
            return Ok(ValidBrand {
                colors,
                logo,
                favicon,
                background,
                company_name,
                support_email,
                support_phone,
                terms_url,
                privacy_url,
                custom_css,
            });
        }
        let kept = self
            .fields()
            .into_iter()
            .fold(errors, |errors, (field, value)| errors.keep(field, value));
        Err(AppError::Validation(kept))
    }
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

/// An https URL of reasonable length.
pub fn check_url(url: &str) -> Result<(), &'static str> {
    if url.len() > MAX_URL {
        return Err("That web address is too long.");
    }
    HttpsUrl::parse(url).map(drop)
}

/// An image is an uploaded asset (by id) or an https URL, not both.
fn image(errors: &mut FieldErrors, field: &str, asset: &str, url: &str) -> ImageSource {
    let url_field = format!("{field}_url");
    match (asset.trim(), url.trim()) {
        ("", "") => ImageSource::None,
        (asset, "") => match Uuid::parse_str(asset) {
            Ok(id) => ImageSource::Asset(id),
            Err(_) => {
                errors.add(field, "Pick one of your uploaded images.");
                ImageSource::None
            }
        },
        ("", url) => match check_url(url) {
            Ok(()) => ImageSource::Url(url.to_string()),
            Err(message) => {
                errors.add(&url_field, message);
                ImageSource::None
            }
        },
        _ => {
            errors.add(
                &url_field,
                "Pick an uploaded image or give a URL, not both.",
            );
            ImageSource::None
        }
    }
}

/// Keeps the image source of a version in one place for the checks in the server functions.
pub fn images(brand: &ValidBrand) -> [(AssetKind, &ImageSource); 3] {
    [
        (AssetKind::Logo, &brand.logo),
        (AssetKind::Favicon, &brand.favicon),
        (AssetKind::Background, &brand.background),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> BrandInput {
        BrandInput {
            primary_color: "#1d4ed8".into(),
            secondary_color: "#0f766e".into(),
            success_color: "#15803d".into(),
            warning_color: "#a16207".into(),
            error_color: "#b91c1c".into(),
            company_name: "Northwind Cloud".into(),
            ..BrandInput::default()
        }
    }

    fn message(input: &BrandInput, field: &str) -> Option<String> {
        input
            .validate(true)
            .err()
            .and_then(|e| e.fields().and_then(|f| f.message(field).map(String::from)))
    }

    #[test]
    fn a_valid_brand_is_accepted() {
        let brand = valid().validate(false).unwrap();
        assert_eq!(brand.colors.primary, "#1d4ed8");
        assert_eq!(brand.logo, ImageSource::None);
        assert_eq!(brand.company_name.as_deref(), Some("Northwind Cloud"));
    }

    #[test]
    fn colors_must_be_hex() {
        for bad in [
            "blue",
            "#12345",
            "#1234567",
            "rgb(0,0,0)",
            "#12345g",
            "",
            "#123456;x",
        ] {
            let input = BrandInput {
                primary_color: bad.into(),
                ..valid()
            };
            assert!(
                message(&input, "primary_color").is_some(),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn urls_must_be_https() {
        for bad in [
            "http://example.com/logo.png",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "//example.com/logo.png",
            "https://",
            "https://exa mple.com/",
            "https://user@example.com/",
        ] {
            let input = BrandInput {
                logo_url: bad.into(),
                terms_url: bad.into(),
                ..valid()
            };
            assert!(
                message(&input, "logo_url").is_some(),
                "{bad:?} accepted as logo"
            );
            assert!(
                message(&input, "terms_url").is_some(),
                "{bad:?} accepted as terms"
            );
        }
        let long = format!("https://example.com/{}", "a".repeat(600));
        let input = BrandInput {
            privacy_url: long,
            ..valid()
        };
        assert!(message(&input, "privacy_url").is_some());
        let good = BrandInput {
            logo_url: "https://cdn.example.com/logo.png".into(),
            ..valid()
        };
        assert_eq!(
            good.validate(false).unwrap().logo,
            ImageSource::Url("https://cdn.example.com/logo.png".into())
        );
    }

    #[test]
    fn an_image_is_an_upload_or_a_url_not_both() {
        let id = Uuid::new_v4();
        let both = BrandInput {
            logo: id.to_string(),
            logo_url: "https://cdn.example.com/logo.png".into(),
            ..valid()
        };
        assert!(message(&both, "logo_url").unwrap().contains("not both"));
        let bad_id = BrandInput {
            favicon: "../../etc/passwd".into(),
            ..valid()
        };
        assert!(message(&bad_id, "favicon").is_some());
    }

    #[test]
    fn custom_css_needs_platinum_and_fits_the_limit() {
        let css = BrandInput {
            custom_css: "a{color:red}".into(),
            ..valid()
        };
        let refused = css.validate(false).unwrap_err();
        assert!(refused
            .fields()
            .unwrap()
            .message("custom_css")
            .unwrap()
            .contains("Platinum"));
        assert_eq!(css.validate(true).unwrap().custom_css, "a{color:red}");
        let huge = BrandInput {
            custom_css: "a{color:red}".repeat(2_000),
            ..valid()
        };
        assert!(message(&huge, "custom_css").is_some());
    }

    #[test]
    fn errors_keep_what_was_typed() {
        let input = BrandInput {
            primary_color: "blue".into(),
            support_email: "not-an-email".into(),
            company_name: "Typed name".into(),
            ..valid()
        };
        let error = input.validate(true).unwrap_err();
        let fields = error.fields().unwrap();
        assert!(fields.message("support_email").is_some());
        assert_eq!(fields.kept("company_name"), Some("Typed name"));
        assert_eq!(fields.kept("primary_color"), Some("blue"));
    }
}
