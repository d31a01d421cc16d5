//! Who is asking: browser sessions (cookie), API tokens (bearer), the
//! security token on every form, and the client's address.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use commonground_store::accounts::{Session, User};
use commonground_store::organisations::MyOrganisation;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const SESSION_COOKIE: &str = "cg_session";
pub const ANON_CSRF_COOKIE: &str = "cg_csrf";
/// Forms are read up to this size.
pub const FORM_LIMIT: usize = 64 * 1024;

/// A person signed in through the browser.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub session_token: String,
    pub csrf: String,
    pub acting_organisation_id: Option<i64>,
    /// The ids of the person's organisations, read with the session.
    pub organisation_ids: Arc<[i64]>,
    /// How many of their notifications are unread, read with the session
    /// (so at most a second old on another server than the one that
    /// changed it), for the page header.
    pub unread_notifications: i64,
}

/// The person acting, however they signed in. Actions take this.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    /// The organisation they chose to act for, if any.
    pub acting_organisation_id: Option<i64>,
    /// The ids of the person's organisations as read with their session or
    /// token (so at most a second old, like the sign-in itself); `None`
    /// when not known, and then read where needed. Only lists use it:
    /// every access decision reads memberships afresh.
    pub organisations: Option<Arc<[i64]>>,
}

impl Viewer {
    pub fn actor(&self) -> Actor {
        Actor {
            user: self.user.clone(),
            acting_organisation_id: self.acting_organisation_id,
            organisations: Some(Arc::clone(&self.organisation_ids)),
        }
    }
}

/// What the session middleware found, kept in the request's extensions.
#[derive(Debug, Clone)]
pub struct PageContext {
    pub viewer: Option<Viewer>,
    /// The signed-in person's organisations, for the "acting for" switcher.
    pub organisations: Vec<commonground_store::organisations::MyOrganisation>,
    /// The security token to put in forms.
    pub csrf: String,
    /// The path of this request, to come back to after switching organisation.
    pub path: String,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 200)
}

pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("cg_invalid=1"))
}

/// The client's address, for rate limits. Behind a trusted proxy, the
/// last address in `X-Forwarded-For`: the one the proxy itself added.
/// (Earlier entries come from the client and could be made up to dodge
/// the limits.)
pub fn client_address(
    state: &AppState,
    parts_headers: &HeaderMap,
    connect: Option<&ConnectInfo<SocketAddr>>,
) -> String {
    if state.config.trust_proxy
        && let Some(forwarded) = parts_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() < 64)
    {
        return forwarded.to_string();
    }
    connect
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Session middleware for pages: finds the signed-in person once per
/// request, and refuses any form post whose security token does not match.
pub async fn page_session(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let now = state.clock.now();
    let token = cookie(req.headers(), SESSION_COOKIE);
    let mut viewer = None;
    let mut organisations = Vec::new();
    if let Some(token) = &token {
        match load_session(&state, token, now).await {
            Ok(Some((v, orgs))) => {
                viewer = Some(v);
                organisations = orgs;
            }
            Ok(None) => {}
            Err(e) => return early_error(e, ""),
        }
    }
    let mut new_anon_cookie = None;
    let csrf = match &viewer {
        Some(v) => v.csrf.clone(),
        None => match cookie(req.headers(), ANON_CSRF_COOKIE) {
            Some(c) if c.len() == 64 && c.chars().all(|c| c.is_ascii_hexdigit()) => c,
            _ => {
                let fresh = commonground_store::random_token();
                new_anon_cookie = Some(fresh.clone());
                fresh
            }
        },
    };

    if req.method() == Method::POST {
        // Read the form once, check its token, then hand it on unchanged.
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, FORM_LIMIT).await {
            Ok(b) => b,
            Err(_) => return early_error(AppError::PayloadTooLarge, &csrf),
        };
        let sent = form_urlencoded_value(&bytes, "csrf");
        let ok = new_anon_cookie.is_none()
            && sent.is_some_and(|s| constant_time_eq(s.as_bytes(), csrf.as_bytes()));
        if !ok {
            return early_error(AppError::Csrf, &csrf);
        }
        req = Request::from_parts(parts, axum::body::Body::from(bytes));
    }

    let ctx = PageContext {
        viewer,
        organisations,
        csrf,
        path: req.uri().path().to_string(),
    };
    req.extensions_mut().insert(ctx.clone());
    let mut response = next.run(req).await;
    // An error answer is turned into a page by `pages::error_pages`, which
    // needs to know who it is for.
    if response.extensions().get::<AppError>().is_some() {
        response.extensions_mut().insert(ctx.clone());
    }
    // Pages shown to a signed-in person are theirs alone: keep them out of
    // shared caches and the back-forward cache after signing out.
    if ctx.viewer.is_some() && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(fresh) = new_anon_cookie
        && !response.headers().contains_key(header::SET_COOKIE)
    {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, ANON_CSRF_COOKIE, &fresh, 7 * 24 * 3600),
        );
    }
    response
}

/// An error before the page context is complete: shown without the
/// signed-in navigation.
fn early_error(error: AppError, csrf: &str) -> Response {
    let mut response = error.into_response();
    response.extensions_mut().insert(PageContext {
        viewer: None,
        organisations: Vec::new(),
        csrf: csrf.to_string(),
        path: "/".to_string(),
    });
    response
}

/// How long a server may use a session or API token it has read before
/// it reads it again.
pub const SIGN_IN_KEPT_FOR: Duration = Duration::from_secs(1);
/// At most this many sessions and tokens are kept.
const SIGN_IN_KEPT_AT_MOST: usize = 10_000;

/// The sessions and API tokens this server read in the last second, with
/// the person's organisations, so that a signed-in request does not read
/// them again. An entry is used only while it is less than
/// [`SIGN_IN_KEPT_FOR`] old and this server has committed no write since
/// it was read ([`commonground_store::Store::commits`]). So signing out,
/// a password reset, a revoked token or a change of membership takes
/// effect at once on the server that made it, and within a second on
/// every other server sharing the database.
#[derive(Default)]
pub struct SignInCache {
    sessions: KeptMap<SessionRead>,
    tokens: KeptMap<TokenRead>,
}

/// A session and the person's organisations.
type SessionRead = (Session, Vec<MyOrganisation>);
/// A token's person, the token's id, when it was last used and the
/// person's organisations.
type TokenRead = (User, i64, Option<i64>, Arc<[i64]>);
type KeptMap<T> = Mutex<HashMap<String, Kept<T>>>;

struct Kept<T> {
    value: T,
    read_at: Instant,
    commits: u64,
}

impl SignInCache {
    fn get<T: Clone>(map: &KeptMap<T>, key: &str, commits: u64) -> Option<T> {
        let map = map.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|kept| kept.commits == commits && kept.read_at.elapsed() < SIGN_IN_KEPT_FOR)
            .map(|kept| kept.value.clone())
    }

    fn put<T>(map: &KeptMap<T>, key: &str, kept: Kept<T>) {
        let mut map = map.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= SIGN_IN_KEPT_AT_MOST {
            map.retain(|_, k| k.commits == kept.commits && k.read_at.elapsed() < SIGN_IN_KEPT_FOR);
            if map.len() >= SIGN_IN_KEPT_AT_MOST {
                map.clear();
            }
        }
        map.insert(key.to_string(), kept);
    }
}

type Loaded = (Viewer, Vec<MyOrganisation>);

/// A live session and the person's organisations: from this server's
/// memory when read less than a second ago and nothing was written since.
async fn session_with_organisations(
    state: &AppState,
    token: &str,
    now: i64,
) -> Result<Option<SessionRead>, AppError> {
    // Counted before reading, so a write committed meanwhile makes the
    // entry stale at once.
    let commits = state.store.commits();
    let cache = &state.sign_ins.sessions;
    if let Some(found) = SignInCache::get(cache, token, commits)
        && found.0.expires_at > now
    {
        return Ok(Some(found));
    }
    let read_at = Instant::now();
    let mut tx = state.store.read().await?;
    let found = tx.session_with_organisations(token, now).await?;
    drop(tx);
    if let Some(value) = &found {
        SignInCache::put(
            cache,
            token,
            Kept {
                value: value.clone(),
                read_at,
                commits,
            },
        );
    }
    Ok(found)
}

/// The person a live API token belongs to, the token's id and when it was
/// last used; kept like sessions.
async fn user_for_api_token(state: &AppState, secret: &str) -> Result<Option<TokenRead>, AppError> {
    let commits = state.store.commits();
    let cache = &state.sign_ins.tokens;
    if let Some(found) = SignInCache::get(cache, secret, commits) {
        return Ok(Some(found));
    }
    let read_at = Instant::now();
    let mut tx = state.store.read().await?;
    let found = tx
        .user_for_api_token(secret)
        .await?
        .map(|(user, id, used, organisations)| (user, id, used, Arc::from(organisations)));
    drop(tx);
    if let Some(value) = &found {
        SignInCache::put(
            cache,
            secret,
            Kept {
                value: value.clone(),
                read_at,
                commits,
            },
        );
    }
    Ok(found)
}

async fn load_session(state: &AppState, token: &str, now: i64) -> Result<Option<Loaded>, AppError> {
    let Some((session, organisations)) = session_with_organisations(state, token, now).await?
    else {
        return Ok(None);
    };
    if now - session.last_seen_at >= 3600 {
        let mut w = state.store.write().await?;
        w.touch_session(token, &session, now).await?;
        w.commit().await?;
    }
    // The chosen organisation only counts while the person still belongs to it.
    let acting = session
        .acting_organisation_id
        .filter(|id| organisations.iter().any(|o| o.id == *id))
        .or_else(|| organisations.first().map(|o| o.id));
    Ok(Some((
        Viewer {
            user: User {
                id: session.user_id,
                email: session.email,
                name: session.name,
                is_operator: session.is_operator,
                created_at: 0,
            },
            session_token: token.to_string(),
            csrf: session.csrf_token,
            acting_organisation_id: acting,
            organisation_ids: organisations.iter().map(|o| o.id).collect(),
            unread_notifications: session.unread_notifications,
        },
        organisations,
    )))
}

fn form_urlencoded_value(body: &[u8], key: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A signed-in page visitor, with the page context for the layout;
/// anyone else is sent to sign in.
pub struct SignedIn(pub Viewer, pub PageContext);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ctx = parts.extensions.get::<PageContext>().cloned();
        match ctx {
            Some(ctx) if ctx.viewer.is_some() => {
                let viewer = ctx.viewer.clone().expect("checked above");
                Ok(SignedIn(viewer, ctx))
            }
            _ => {
                // Come back here after signing in, unless this was a form
                // post: its address only works from the form.
                let back = if parts.method == Method::GET {
                    parts
                        .uri
                        .path_and_query()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_else(|| "/".into())
                } else {
                    "/".to_string()
                };
                let target = format!("/sign-in?next={}", url_encode(&back));
                Err(axum::response::Redirect::to(&target).into_response())
            }
        }
    }
}

/// Any page visitor, signed in or not.
pub struct Visitor(pub PageContext);

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<PageContext>()
            .cloned()
            .map(Visitor)
            .ok_or_else(|| AppError::Internal("page session middleware missing".into()))
    }
}

/// An API caller with a valid personal access token.
pub struct ApiCaller(pub Actor);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(AppError::Unauthenticated)?;
        let secret = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 200)
            .ok_or(AppError::Unauthenticated)?;
        let now = state.clock.now();
        let (user, token_id, last_used, organisations) = user_for_api_token(state, secret)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        // Record use at most once a minute, so reads stay cheap.
        if last_used.is_none_or(|t| now - t >= 60) {
            let mut w = state.store.write().await?;
            w.mark_api_token_used(token_id, now).await?;
            w.commit().await?;
        }
        Ok(ApiCaller(Actor {
            user,
            acting_organisation_id: None,
            organisations: Some(organisations),
        }))
    }
}

/// The client's address as an extractor.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let connect = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(ClientAddress(client_address(
            state,
            &parts.headers,
            connect,
        )))
    }
}

/// Percent-encodes a value for a query string.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
