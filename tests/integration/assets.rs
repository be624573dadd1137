//! `/pkg`: the built files, sent in the compressed form the browser accepts, from the files
//! the build pre-compressed, with a cache lifetime that matches how they are named.

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use http_body_util::BodyExt;
use partner_portal::http::assets::{site_routes, IMMUTABLE, REVALIDATE};
use tower::ServiceExt;

/// A site with one script in three forms whose bodies tell them apart.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("app.abc123.js"), "plain").unwrap();
    std::fs::write(pkg.join("app.abc123.js.br"), "brotli").unwrap();
    std::fs::write(pkg.join("app.abc123.js.gz"), "gzip").unwrap();
    std::fs::write(pkg.join("only-plain.js"), "plain only").unwrap();
    dir
}

async fn get(
    app: &Router,
    path: &str,
    accept: Option<&str>,
) -> (StatusCode, http::HeaderMap, String) {
    let mut request = Request::get(path);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT_ENCODING, accept);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test]
async fn the_compressed_file_the_browser_accepts_is_sent_as_built() {
    let dir = site();
    let app: Router = site_routes(dir.path(), true);
    for (accept, body, encoding) in [
        (Some("gzip, deflate, br"), "brotli", Some("br")),
        (Some("gzip"), "gzip", Some("gzip")),
        (None, "plain", None),
    ] {
        let (status, headers, text) = get(&app, "/pkg/app.abc123.js", accept).await;
        assert_eq!(status, StatusCode::OK, "{accept:?}");
        assert_eq!(text, body, "body for Accept-Encoding {accept:?}");
        assert_eq!(
            headers
                .get(header::CONTENT_ENCODING)
                .map(|v| v.to_str().unwrap()),
            encoding
        );
        assert_eq!(headers[header::CACHE_CONTROL], IMMUTABLE);
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains("javascript"),
            "the type is the script's, not the compressed file's"
        );
    }
    // A file built without compressed forms is still sent, as it is.
    let (status, headers, text) = get(&app, "/pkg/only-plain.js", Some("br, gzip")).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "plain only"));
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn names_without_hashes_are_revalidated_and_misses_are_not_kept() {
    let dir = site();
    let unhashed: Router = site_routes(dir.path(), false);
    let (status, headers, _) = get(&unhashed, "/pkg/only-plain.js", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], REVALIDATE);

    let hashed: Router = site_routes(dir.path(), true);
    let (status, headers, _) = get(&hashed, "/pkg/missing.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers.get(header::CACHE_CONTROL).is_none());
    // Nothing outside pkg is reachable through it.
    let (status, _, _) = get(&hashed, "/pkg/../pkg/app.abc123.js.gz/../../x", None).await;
    assert_ne!(status, StatusCode::OK);
}
