//! Extractors whose failures become clear 4xx answers instead of axum's
//! plain-text defaults.

use crate::error::AppError;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use commonground_domain::FieldErrors;
use serde::de::DeserializeOwned;

/// Path parameters. An id that cannot be read is simply not found.
pub struct P<T>(pub T);

impl<T, S> FromRequestParts<S> for P<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| P(p.0))
            .map_err(|_| AppError::NotFound)
    }
}

/// Query string parameters; unreadable ones are a 400 naming the problem.
pub struct Q<T>(pub T);

impl<T, S> FromRequestParts<S> for Q<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Q(q.0))
            .map_err(|e| {
                AppError::BadRequest(format!(
                    "The address has a parameter that cannot be read: {}",
                    e.body_text()
                ))
            })
    }
}

/// A submitted HTML form.
pub struct PageForm<T>(pub T);

impl<T, S> FromRequest<S> for PageForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Form::<T>::from_request(req, state)
            .await
            .map(|f| PageForm(f.0))
            .map_err(|e| match e {
                FormRejection::BytesRejection(_) => AppError::PayloadTooLarge,
                other => AppError::BadRequest(format!(
                    "The form could not be read: {}",
                    other.body_text()
                )),
            })
    }
}

/// A JSON request body. Syntax errors are 400; wrong types, missing or
/// unknown fields are 422 with the field named.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|j| ApiJson(j.0))
            .map_err(json_rejection)
    }
}

fn json_rejection(e: JsonRejection) -> AppError {
    match e {
        JsonRejection::JsonDataError(e) => {
            // axum words it "Failed to deserialize the JSON body into the
            // target type: path: message at line L column C".
            let text = e.body_text();
            let detail = text
                .split_once("target type: ")
                .map(|(_, d)| d)
                .unwrap_or(&text);
            let (field, message) = match detail.split_once(": ") {
                Some((path, msg)) if !path.contains(' ') => (path.to_string(), msg.to_string()),
                // A missing field has no path; name it from the message.
                _ => match detail
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.split_once('`'))
                {
                    Some((name, _)) => (name.to_string(), detail.to_string()),
                    None => ("body".to_string(), detail.to_string()),
                },
            };
            AppError::Invalid(FieldErrors::single(field, message))
        }
        JsonRejection::JsonSyntaxError(e) => AppError::BadRequest(format!(
            "The body is not valid JSON: {}",
            e.body_text()
                .rsplit(": ")
                .next()
                .unwrap_or("check the syntax")
        )),
        JsonRejection::MissingJsonContentType(_) => AppError::BadRequest(
            "Send the body as JSON with the header Content-Type: application/json.".into(),
        ),
        JsonRejection::BytesRejection(_) => AppError::PayloadTooLarge,
        other => AppError::BadRequest(other.body_text()),
    }
}
