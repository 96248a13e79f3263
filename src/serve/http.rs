//! HTTP: requests → files of the in-memory site.
//!
//! Answers GET and HEAD only, from the page map of the current
//! [`Snapshot`]: nothing on disk is ever read, so no request path can reach
//! a file outside the built site. HTML responses get the live-reload script
//! (and the error overlay while a rebuild is failing) injected here, after
//! rendering, so a site's own templates cannot lose it.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{broadcast, watch};

use super::{Message, Snapshot};

/// The reserved path prefix of the dev server's own endpoints.
pub const PREFIX: &str = "/__gloss/";
/// The live-reload script.
const RELOAD_JS: &str = include_str!("reload.js");

/// What every request handler shares.
#[derive(Clone)]
pub struct Shared {
    /// The site being served; replaced whole after each rebuild.
    pub site: watch::Receiver<Arc<Snapshot>>,
    /// Rebuild notices for the browsers.
    pub messages: broadcast::Sender<Message>,
    /// Flips to true on Ctrl-C, ending the event streams so the server can stop.
    pub shutdown: watch::Receiver<bool>,
}

/// The most headers one request may carry (hyper's default is 100).
pub const MAX_HEADERS: usize = 64;
/// The most bytes a request's line and headers may take (hyper's default
/// is about 400 KB); a bigger head is answered 431 and the connection closed.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// How long a client may take to send a request's head (hyper has no
/// limit unless given a timer), so idle or trickling connections end.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections served at once; more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 512;
/// How long open connections get to finish after Ctrl-C.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// Serves `router` on `listener` until `stop` turns true, with explicit
/// limits on each request ([`MAX_HEADERS`], [`MAX_HEAD_BYTES`],
/// [`HEAD_TIMEOUT`]) and on open connections ([`MAX_CONNECTIONS`]):
/// `axum::serve` offers no way to set them.
pub async fn run(
    listener: tokio::net::TcpListener,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut connections = tokio::task::JoinSet::new();
    while !*stop.borrow() {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
            _ = stop.changed() => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it
                // was accepted: wait a moment instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let service = TowerToHyperService::new(router.clone());
        let mut stop = stop.clone();
        connections.spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .max_headers(MAX_HEADERS)
                .max_buf_size(MAX_HEAD_BYTES);
            let connection = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stop.changed() => connection.as_mut().graceful_shutdown(),
            }
            let _ = tokio::time::timeout(DRAIN_TIMEOUT, connection).await;
        });
        // Forget the connections that ended, so the set does not grow.
        while connections.try_join_next().is_some() {}
    }
    let drained = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, drained).await;
}

/// The dev server's routes.
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route("/__gloss/events", get(events))
        .route("/__gloss/reload.js", get(reload_js))
        .fallback(file)
        .with_state(shared)
}

async fn reload_js() -> Response {
    let mut response = Response::new(Body::from(RELOAD_JS));
    set(&mut response, header::CONTENT_TYPE, "text/javascript; charset=utf-8");
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

/// Server-Sent Events: a `hello` with the current version, then one
/// message per rebuild, until the server stops.
async fn events(
    State(shared): State<Shared>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let version = shared.site.borrow().version;
    let hello = Message::Hello { version };
    let receiver = shared.messages.subscribe();
    let state = (Some(hello), receiver, shared.shutdown);
    let stream = futures_util::stream::unfold(state, |(hello, mut receiver, mut shutdown)| async {
        if let Some(hello) = hello {
            let event = Event::default().data(hello.json());
            return Some((Ok(event), (None, receiver, shutdown)));
        }
        loop {
            if *shutdown.borrow() {
                return None;
            }
            tokio::select! {
                message = receiver.recv() => match message {
                    Ok(message) => {
                        let event = Event::default().data(message.json());
                        return Some((Ok(event), (None, receiver, shutdown)));
                    }
                    // A slow browser missed some: the latest state is what matters.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                changed = shutdown.changed() => {
                    if changed.is_err() {
                        return None;
                    }
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Any other path: a file of the site.
async fn file(State(shared): State<Shared>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = status(StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n");
        set(&mut response, header::ALLOW, "GET, HEAD");
        return response;
    }
    let snapshot = shared.site.borrow().clone();
    let Some(path) = decode(uri.path()) else {
        return status(StatusCode::BAD_REQUEST, "400 bad request: the path is not allowed\n");
    };
    match resolve(&snapshot, &path) {
        Resolved::File(key) => {
            let bytes = snapshot.pages.get(&key).cloned().unwrap_or_default();
            respond(&snapshot, &key, bytes, StatusCode::OK)
        }
        Resolved::Redirect => {
            let location = match uri.query() {
                Some(query) => format!("{}/?{query}", uri.path()),
                None => format!("{}/", uri.path()),
            };
            let mut response = Response::new(Body::empty());
            *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::NotFound if snapshot.pages.is_empty() => {
            // The first build failed: every page is the error page.
            let bytes = Bytes::from_static(b"<!doctype html><title>gloss: build failed</title>");
            respond(&snapshot, "index.html", bytes, StatusCode::INTERNAL_SERVER_ERROR)
        }
        Resolved::NotFound => match snapshot.pages.get("404.html") {
            Some(bytes) => respond(&snapshot, "404.html", bytes.clone(), StatusCode::NOT_FOUND),
            None => status(StatusCode::NOT_FOUND, "404 not found\n"),
        },
    }
}

/// A response with a file's bytes, its content type, and in HTML the
/// reload script and the error overlay.
fn respond(snapshot: &Snapshot, key: &str, bytes: Bytes, code: StatusCode) -> Response {
    let kind = content_type(key);
    let body = if kind.starts_with("text/html") {
        Bytes::from(inject(&bytes, snapshot.version, snapshot.error.as_deref()))
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = code;
    set(&mut response, header::CONTENT_TYPE, kind);
    // A preview must never show a stale page.
    set(&mut response, header::CACHE_CONTROL, "no-store");
    response
}

fn status(code: StatusCode, text: &'static str) -> Response {
    let mut response = (code, text).into_response();
    set(&mut response, header::CONTENT_TYPE, "text/plain; charset=utf-8");
    response
}

fn set(response: &mut Response, name: header::HeaderName, value: &'static str) {
    response.headers_mut().insert(name, HeaderValue::from_static(value));
}

/// The request path, percent-decoded once, without its leading slash;
/// `None` when it is not UTF-8 or holds a `..`, `.` or empty segment, a
/// backslash or a NUL (checked after decoding, so `%2e%2e` is refused like
/// `..`; `%252e` decodes to the name `%2e`, which no page has).
pub fn decode(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    let relative = decoded.strip_prefix('/').unwrap_or(&decoded);
    // An empty segment (`a//b`, `//etc`) is refused too: no page has one,
    // and some servers read it as the root.
    let folder = relative.strip_suffix('/').unwrap_or(relative);
    let bad = relative.contains('\\')
        || relative.contains('\0')
        || relative.split('/').any(|segment| segment == ".." || segment == ".")
        || (!folder.is_empty() && folder.split('/').any(str::is_empty));
    (!bad).then(|| relative.to_string())
}

/// What a decoded request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A page, by its key in the page map.
    File(String),
    /// A folder asked for without its trailing slash.
    Redirect,
    /// Nothing.
    NotFound,
}

/// Pretty URLs: `articles/x/` → `articles/x/index.html`; `articles/x`
/// redirects to the slash form when that folder has an index.
pub fn resolve(snapshot: &Snapshot, path: &str) -> Resolved {
    if path.is_empty() || path.ends_with('/') {
        let key = format!("{path}index.html");
        return if snapshot.pages.contains_key(&key) {
            Resolved::File(key)
        } else {
            Resolved::NotFound
        };
    }
    if snapshot.pages.contains_key(path) {
        Resolved::File(path.to_string())
    } else if snapshot.pages.contains_key(&format!("{path}/index.html")) {
        Resolved::Redirect
    } else {
        Resolved::NotFound
    }
}

/// The content type of a file, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" | "xsl" => "application/xml",
        "rss" => "application/rss+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        _ => "application/octet-stream",
    }
}

/// The marker that starts everything the dev server adds to a page; the
/// added block runs from here to the end of the `</script>` after it.
pub const INJECTED_START: &str = "<!-- gloss serve -->";
/// The marker that ends it.
pub const INJECTED_END: &str = "<!-- /gloss serve -->";

/// The page with the reload script (and the overlay, when `error` is set)
/// inserted before its last `</body>`, or appended when it has none.
pub fn inject(html: &[u8], version: u64, error: Option<&str>) -> Vec<u8> {
    let mut block = format!(
        "{INJECTED_START}<script src=\"{PREFIX}reload.js\" data-version=\"{version}\"></script>"
    );
    if let Some(error) = error {
        block.push_str(&overlay(error));
    }
    block.push_str(INJECTED_END);
    let at = find_last_body_close(html).unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + block.len());
    let (head, tail) = html.split_at_checked(at).unwrap_or((html, &[]));
    out.extend_from_slice(head);
    out.extend_from_slice(block.as_bytes());
    out.extend_from_slice(tail);
    out
}

/// The error overlay's HTML; reload.js builds the same element when the
/// error arrives over the event stream.
pub fn overlay(error: &str) -> String {
    format!(
        "<div id=\"gloss-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;background:rgba(20,20,24,.94);color:#f5f5f5;padding:2rem;\
         font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">\
         <p style=\"margin:0 0 1rem;color:#ff8080;font-weight:bold\">gloss: the last rebuild failed; \
         showing the last good version underneath</p>\
         <pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        crate::markdown::escape_html(error)
    )
}

fn find_last_body_close(html: &[u8]) -> Option<usize> {
    const NEEDLE: &[u8] = b"</body";
    if html.len() < NEEDLE.len() {
        return None;
    }
    (0..=html.len() - NEEDLE.len())
        .rev()
        .find(|&i| html.get(i..i + NEEDLE.len()).is_some_and(|w| w.eq_ignore_ascii_case(NEEDLE)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(paths: &[&str]) -> Snapshot {
        Snapshot {
            pages: Arc::new(
                paths.iter().map(|p| (p.to_string(), Bytes::from_static(b"x"))).collect(),
            ),
            ..Snapshot::default()
        }
    }

    #[test]
    fn traversal_is_refused_after_decoding() {
        assert_eq!(decode("/articles/x/").as_deref(), Some("articles/x/"));
        assert_eq!(decode("/a%20b.css").as_deref(), Some("a b.css"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/b",
            "/a/./b",
            "/a%5cb",
            "/%00",
            "//etc/passwd",
            "/a//b",
            "/a/%2f/b",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn pretty_urls_resolve_to_index_files() {
        let site = snapshot(&["index.html", "articles/x/index.html", "style.css"]);
        assert_eq!(resolve(&site, ""), Resolved::File("index.html".into()));
        assert_eq!(resolve(&site, "articles/x/"), Resolved::File("articles/x/index.html".into()));
        assert_eq!(resolve(&site, "articles/x"), Resolved::Redirect);
        assert_eq!(resolve(&site, "style.css"), Resolved::File("style.css".into()));
        assert_eq!(resolve(&site, "articles/y/"), Resolved::NotFound);
        assert_eq!(resolve(&site, "articles/"), Resolved::NotFound);
    }

    #[test]
    fn script_goes_before_the_last_body_close_and_the_error_is_escaped() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, 3, Some("bad <tag> & \"q\""))).unwrap();
        let at = out.find("</BODY>").unwrap();
        assert!(out[..at].contains("data-version=\"3\""));
        assert!(out.contains("bad &lt;tag&gt; &amp; &quot;q&quot;"));
        assert!(!out.contains("<tag>"));
        let bare = String::from_utf8(inject(b"plain", 1, None)).unwrap();
        assert!(bare.starts_with("plain<!-- gloss serve -->"));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("gloss.js"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("a.PNG"), "image/png");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
