//! Uploaded brand images: checking an upload from its bytes, storing it, and serving it with
//! a content hash in its URL, an ETag and a year-long cache lifetime.

use axum::{
    extract::{Multipart, Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use sha2::{Digest, Sha256};
use tower_sessions::Session;
use uuid::Uuid;

use super::{
    model::AssetKind,
    queries::{self, NewAsset},
};
use crate::{
    audit::{self, Action, AuditEntry},
    auth::{guard::require_in, model::Perm},
    components::format::url_encode,
    error::AppError,
    state::AppState,
};

/// The largest request the upload route reads; anything up to it gets a clear message.
pub const UPLOAD_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// What an upload turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub struct CheckedImage {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Checks an upload from its bytes, never its name: PNG, JPEG, WebP or ICO, within the
/// kind's size and pixel limits.
pub fn check_image(kind: AssetKind, bytes: &[u8]) -> Result<CheckedImage, String> {
    if bytes.is_empty() {
        return Err("Choose an image file to upload.".into());
    }
    if bytes.len() > kind.max_bytes() {
        return Err(format!(
            "This file is {}; a {} may be at most {}.",
            size(bytes.len()),
            kind.label().to_lowercase(),
            size(kind.max_bytes())
        ));
    }
    let content_type = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Png) => "image/png",
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Webp) => "image/webp",
        Ok(imagesize::ImageType::Ico) => "image/x-icon",
        _ => {
            return Err(
                "This file is not a PNG, JPEG, WebP or ICO image (SVG is not accepted).".into(),
            )
        }
    };
    let dimensions = imagesize::blob_size(bytes)
        .map_err(|_| "This image could not be read; it may be damaged.".to_string())?;
    let (width, height) = (dimensions.width as u32, dimensions.height as u32);
    let max = kind.max_pixels();
    if width == 0 || height == 0 {
        return Err("This image could not be read; it may be damaged.".into());
    }
    if width > max || height > max {
        return Err(format!(
            "This image is {width}×{height} pixels; a {} may be at most {max}×{max}.",
            kind.label().to_lowercase()
        ));
    }
    Ok(CheckedImage {
        content_type,
        width,
        height,
    })
}

impl<'a> NewAsset<'a> {
    /// An upload checked from its bytes, with its checksum, ready to store.
    pub fn checked(kind: AssetKind, file_name: &'a str, bytes: &'a [u8]) -> Result<Self, String> {
        let checked = check_image(kind, bytes)?;
        Ok(NewAsset {
            kind,
            file_name,
            content_type: checked.content_type,
            bytes,
            sha256: format!("{:x}", Sha256::digest(bytes)),
            width: checked.width,
            height: checked.height,
        })
    }
}

fn size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// A file name safe to show back: its last path part, printable, at most 100 characters.
fn clean_file_name(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).take(100).collect();
    if name.trim().is_empty() {
        "upload".into()
    } else {
        name
    }
}

/// `POST /partner/branding/assets` (multipart: `kind`, `file`). A plain form post, with or
/// without JavaScript; it answers with a redirect back to the editor, carrying the outcome.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    multipart: Multipart,
) -> Response {
    let me = match require_in(&session, &state.pool, Perm::Branding).await {
        Ok(me) => me,
        Err(refused) => return refused.into_response(),
    };
    // Every connection this download takes sees only the caller's partner's rows.
    let scope = crate::auth::guard::scope_of(&me);
    crate::db::scope::scoped(scope, upload_for(me, state, multipart)).await
}

async fn upload_for(
    me: crate::auth::model::Principal,
    state: AppState,
    multipart: Multipart,
) -> Response {
    let partner_id = match super::server::white_label_partner(&state.pool, &me).await {
        Ok((partner_id, _)) => partner_id,
        Err(refused) => return refused.into_response(),
    };
    let back = |outcome: &str, kind: Option<AssetKind>| {
        let kind = kind.map_or("logo", AssetKind::slug);
        Redirect::to(&format!("/partner/branding?{outcome}&kind={kind}#assets")).into_response()
    };
    let (kind, file_name, bytes) = match read_upload(multipart).await {
        Ok(parts) => parts,
        Err(message) => return back(&format!("upload_error={}", url_encode(&message)), None),
    };
    let asset = match NewAsset::checked(kind, &file_name, &bytes) {
        Ok(asset) => asset,
        Err(message) => {
            return back(
                &format!("upload_error={}", url_encode(&message)),
                Some(kind),
            )
        }
    };
    let stored = async {
        let mut tx = state.pool.begin().await?;
        let id = queries::insert_asset(&mut tx, partner_id, me.user_id, &asset).await?;
        audit::record(
            &mut *tx,
            AuditEntry::by(&me, Action::BrandingAssetUploaded)
                .target("branding_asset", id)
                .detail(serde_json::json!({
                    "kind": kind.slug(),
                    "file_name": file_name,
                    "content_type": asset.content_type,
                    "bytes": bytes.len(),
                })),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, AppError>(id)
    }
    .await;
    match stored {
        Ok(id) => back(&format!("uploaded={id}"), Some(kind)),
        Err(error) => {
            tracing::error!(?error, "storing an upload failed");
            back(
                "upload_error=The+image+could+not+be+saved.+Please+try+again.",
                Some(kind),
            )
        }
    }
}

/// The kind, file name and bytes of an upload form.
async fn read_upload(mut multipart: Multipart) -> Result<(AssetKind, String, Vec<u8>), String> {
    let unreadable = || "The upload could not be read. Please try again.".to_string();
    let mut kind = None;
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        match field.name() {
            Some("kind") => {
                let text = field.text().await.map_err(|_| unreadable())?;
                kind = AssetKind::from_slug(text.trim());
            }
            Some("file") => {
                let name = clean_file_name(field.file_name().unwrap_or_default());
                let bytes = field.bytes().await.map_err(|_| {
                    format!(
                        "The file is larger than {} MB.",
                        UPLOAD_BODY_LIMIT / (1024 * 1024)
                    )
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let kind = kind.ok_or("Choose what the image is for.")?;
    let (name, bytes) = file.ok_or("Choose an image file to upload.")?;
    Ok((kind, name, bytes))
}

/// `GET /brand-assets/{id}/{file}`: public (sign-in pages show the logo), immutable, with the
/// checksum as ETag. The file part must start with the checksum prefix the URL was made with.
pub async fn serve(
    State(state): State<AppState>,
    Path((id, file)): Path<(Uuid, String)>,
    headers: HeaderMap,
) -> Response {
    let found = match queries::asset_bytes(&state.pool, id).await {
        Ok(found) => found,
        Err(error) => return AppError::from(error).into_response(),
    };
    let Some((content_type, sha256, bytes)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !file.starts_with(&sha256[..16]) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let etag = format!("\"{sha256}\"");
    let cache = (
        header::CACHE_CONTROL,
        "public, max-age=31536000, immutable".to_string(),
    );
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if unchanged {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag), cache]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::ETAG, etag),
            cache,
            (header::CONTENT_DISPOSITION, "inline".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real PNG: signature, IHDR chunk with the given size.
    pub fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0, 0, 0, 0, 0]);
        bytes
    }

    #[test]
    fn the_type_comes_from_the_bytes() {
        let checked = check_image(AssetKind::Logo, &png(200, 80)).unwrap();
        assert_eq!(checked.content_type, "image/png");
        assert_eq!((checked.width, checked.height), (200, 80));
        let html = b"<!doctype html><html><script>alert(1)</script></html>";
        assert!(check_image(AssetKind::Logo, html)
            .unwrap_err()
            .contains("not a PNG"));
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
        assert!(check_image(AssetKind::Logo, svg)
            .unwrap_err()
            .contains("SVG"));
        assert!(check_image(AssetKind::Logo, b"").is_err());
    }

    #[test]
    fn size_and_pixel_limits_hold() {
        let mut big = png(100, 100);
        big.resize(20 * 1024 * 1024, 0);
        let message = check_image(AssetKind::Logo, &big).unwrap_err();
        assert!(message.contains("20.0 MB"), "{message}");
        let message = check_image(AssetKind::Logo, &png(4000, 100)).unwrap_err();
        assert!(message.contains("4000×100"), "{message}");
        assert!(check_image(AssetKind::Favicon, &png(1024, 1024)).is_err());
        assert!(check_image(AssetKind::Background, &png(1024, 1024)).is_ok());
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\Users\\me\\logo.png"), "logo.png");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\nc.png"), "abc.png");
        assert_eq!(clean_file_name(""), "upload");
    }
}
