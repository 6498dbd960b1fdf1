//! Extractors that reject with the bilingual error catalogue: JSON bodies, query strings, the signed-in actor.

use crate::error::{AppError, ErrorCode};
use crate::service::account::session::{self, Actor};
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The request id, from `x-request-id` or made by the request layer.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The session cookie's name.
pub const COOKIE: &str = "motcua_session";

/// A JSON body; malformed input is a 400/422 in our format, never axum's plain text.
pub struct AppJson<T>(pub T);

fn has_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(6).any(|w| w == b"\\u0000")
}

fn nul_error() -> AppError {
    AppError::with(
        ErrorCode::BadRequest,
        "the request contains a NUL character",
    )
}

/// The largest JSON body accepted.
pub const JSON_LIMIT: usize = 1024 * 1024;

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, _state: &S) -> Result<Self, AppError> {
        let json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !json {
            return Err(AppError::with(
                ErrorCode::BadRequest,
                "expected content-type: application/json",
            ));
        }
        // JSON bodies stay small whatever the upload limit is.
        let bytes = axum::body::to_bytes(req.into_body(), JSON_LIMIT)
            .await
            .map_err(|_| AppError::code(ErrorCode::PayloadTooLarge))?;
        // PostgreSQL refuses NUL in text, and no field of ours needs one.
        if has_nul(&bytes) {
            return Err(nul_error());
        }
        serde_json::from_slice(&bytes)
            .map(AppJson)
            .map_err(|e| AppError::with(ErrorCode::BadRequest, format!("invalid JSON: {e}")))
    }
}

/// A query string.
pub struct AppQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for AppQuery<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if parts
            .uri
            .query()
            .is_some_and(|q| q.to_ascii_lowercase().contains("%00"))
        {
            return Err(nul_error());
        }
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| AppQuery(q.0))
            .map_err(|e| AppError::with(ErrorCode::BadRequest, e.body_text()))
    }
}

/// A path parameter; a malformed one (not UTF-8) is a 400 in our format.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        if parts.uri.path().to_ascii_lowercase().contains("%00") {
            return Err(nul_error());
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| AppPath(p.0))
            .map_err(|e| AppError::with(ErrorCode::BadRequest, e.body_text()))
    }
}

/// The request id (for audit rows).
pub struct ReqId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ReqId {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        Ok(ReqId(
            parts
                .extensions
                .get::<RequestId>()
                .map(|r| r.0.clone())
                .unwrap_or_default(),
        ))
    }
}

/// The bearer token or session cookie of a request.
pub fn token(parts: &Parts) -> Option<String> {
    if let Some(v) = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        if let Some(t) = v.strip_prefix("Bearer ") {
            return Some(t.trim().to_owned());
        }
    }
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The client's address (the peer, or the address a trusted proxy forwarded; absent in in-process tests).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        Ok(ClientIp(crate::http::client::of(parts, &st.proxies)))
    }
}

/// The raw session token of a request (bearer or cookie).
pub struct Token(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Token {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, AppError> {
        token(parts)
            .map(Token)
            .ok_or_else(|| AppError::code(ErrorCode::Unauthenticated))
    }
}

impl FromRequestParts<AppState> for Actor {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, AppError> {
        let t = token(parts).ok_or_else(|| AppError::code(ErrorCode::Unauthenticated))?;
        if t.len() != 64 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::code(ErrorCode::Unauthenticated));
        }
        session::resolve(st, &t).await
    }
}
