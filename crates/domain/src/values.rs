//! Small values that validate on parse: email addresses, names, passwords,
//! bounded text and web addresses.

use crate::errors::{FieldError, field_error};
use serde::Serialize;

/// Counts characters, not bytes, so limits mean what people expect.
fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn has_control(s: &str, allow_newlines: bool) -> bool {
    s.chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
}

/// An email address, trimmed and lower-cased so one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(field_error(field, "Enter an email address."));
        }
        if char_len(&value) > 254 {
            return Err(field_error(
                field,
                "Email address must be 254 characters or fewer.",
            ));
        }
        let valid = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && char_len(local) <= 64
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && !value.chars().any(|c| c.is_whitespace() || c.is_control())
                    && !value.contains(['<', '>', '(', ')', ',', ';', ':', '"', '[', ']', '\\'])
            }
            None => false,
        };
        if !valid {
            return Err(field_error(
                field,
                "Enter an email address in the right format, like name@example.org.",
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A person's name as they want it shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(field_error(field, "Enter your name."));
        }
        if char_len(value) > 100 {
            return Err(field_error(field, "Name must be 100 characters or fewer."));
        }
        if has_control(value, false) {
            return Err(field_error(
                field,
                "Name must not contain special control characters.",
            ));
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// Minimum password length; long passphrases beat complex rules.
pub const PASSWORD_MIN: usize = 10;
/// Maximum password length, to bound hashing work.
pub const PASSWORD_MAX: usize = 200;

/// A password that meets the length rules. Never trimmed: spaces count.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    pub fn parse(field: &str, raw: &str, email: Option<&str>) -> Result<Self, FieldError> {
        if raw.is_empty() {
            return Err(field_error(field, "Enter a password."));
        }
        let len = char_len(raw);
        if len < PASSWORD_MIN {
            return Err(field_error(
                field,
                format!(
                    "Password must be at least {PASSWORD_MIN} characters. A few ordinary words together make a strong one."
                ),
            ));
        }
        if len > PASSWORD_MAX {
            return Err(field_error(
                field,
                format!("Password must be {PASSWORD_MAX} characters or fewer."),
            ));
        }
        if let Some(email) = email
            && raw.trim().eq_ignore_ascii_case(email.trim())
        {
            return Err(field_error(
                field,
                "Password must not be the same as your email address.",
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Required single-line text between `min` and `max` characters after trimming.
pub fn required_line(
    field: &str,
    label: &str,
    raw: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(field_error(field, format!("Enter {label}.")));
    }
    if char_len(value) < min {
        return Err(field_error(
            field,
            format!("{} must be at least {min} characters.", capitalise(label)),
        ));
    }
    if char_len(value) > max {
        return Err(field_error(
            field,
            format!("{} must be {max} characters or fewer.", capitalise(label)),
        ));
    }
    if has_control(value, false) {
        return Err(field_error(
            field,
            format!("{} must be on one line.", capitalise(label)),
        ));
    }
    Ok(value.to_string())
}

/// Optional text (newlines allowed) of at most `max` characters; empty means none.
pub fn optional_text(
    field: &str,
    label: &str,
    raw: &str,
    max: usize,
) -> Result<String, FieldError> {
    let value = raw.trim();
    if char_len(value) > max {
        return Err(field_error(
            field,
            format!("{} must be {max} characters or fewer.", capitalise(label)),
        ));
    }
    if has_control(value, true) {
        return Err(field_error(
            field,
            format!(
                "{} contains characters that cannot be saved.",
                capitalise(label)
            ),
        ));
    }
    // Every line ending becomes "\n", a lone "\r" too: replacing only "\r\n"
    // would turn "\r\r\n" into "\r\n", which changes again when saved again.
    Ok(value.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A list written one item per line or separated by commas, as people type
/// areas and causes. Empty items are dropped and duplicates removed.
pub fn text_list(
    field: &str,
    label: &str,
    raw: &str,
    max_items: usize,
    max_item_len: usize,
) -> Result<Vec<String>, FieldError> {
    let mut items: Vec<String> = Vec::new();
    for part in raw.split(['\n', ',', ';']) {
        let item = part.trim();
        if item.is_empty() {
            continue;
        }
        if has_control(item, false) {
            return Err(field_error(
                field,
                format!(
                    "{} contains characters that cannot be saved.",
                    capitalise(label)
                ),
            ));
        }
        if char_len(item) > max_item_len {
            return Err(field_error(
                field,
                format!("Each entry in {label} must be {max_item_len} characters or fewer."),
            ));
        }
        if !items.iter().any(|i| i.eq_ignore_ascii_case(item)) {
            items.push(item.to_string());
        }
    }
    if items.len() > max_items {
        return Err(field_error(
            field,
            format!("List at most {max_items} {label}."),
        ));
    }
    Ok(items)
}

/// An optional website address. `example.org` is accepted and given `https://`.
pub fn optional_website(field: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if char_len(value) > 300 {
        return Err(field_error(
            field,
            "Website address must be 300 characters or fewer.",
        ));
    }
    let with_scheme = if value.starts_with("http://") || value.starts_with("https://") {
        value.to_string()
    } else if value.contains("://") {
        return Err(field_error(
            field,
            "Website address must start with http:// or https://.",
        ));
    } else {
        format!("https://{value}")
    };
    let rest = with_scheme
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or_default();
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_ok = !host.is_empty()
        && host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':');
    if !host_ok
        || with_scheme
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
    {
        return Err(field_error(
            field,
            "Enter a website address like https://example.org.",
        ));
    }
    Ok(Some(with_scheme))
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_normalised_and_checked() {
        assert_eq!(
            Email::parse("email", "  Ann@Example.ORG ")
                .unwrap()
                .as_str(),
            "ann@example.org"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "ann@@example.org",
            "ann@example..org",
            "<ann@example.org>",
        ] {
            let err = Email::parse("email", bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(Email::parse("email", &long).is_err());
    }

    #[test]
    fn password_rules() {
        assert!(Password::parse("password", "short", None).is_err());
        assert!(Password::parse("password", &"x".repeat(201), None).is_err());
        assert!(Password::parse("password", "ann@example.org", Some("ann@example.org")).is_err());
        assert!(
            Password::parse("password", "correct horse battery", Some("ann@example.org")).is_ok()
        );
        // Counting characters, not bytes.
        assert!(Password::parse("password", "ééééééééé", None).is_err());
        assert!(Password::parse("password", "éééééééééé", None).is_ok());
    }

    #[test]
    fn lines_and_text() {
        assert_eq!(
            required_line("title", "a title", "  Food  ", 2, 10).unwrap(),
            "Food"
        );
        assert!(required_line("title", "a title", "   ", 2, 10).is_err());
        assert!(required_line("title", "a title", "x", 2, 10).is_err());
        assert!(required_line("title", "a title", "elevenchars", 2, 10).is_err());
        assert!(required_line("title", "a title", "a\u{0}b", 2, 10).is_err());
        assert_eq!(optional_text("p", "purpose", "a\r\nb", 10).unwrap(), "a\nb");
        assert_eq!(optional_text("p", "purpose", "a\rb", 10).unwrap(), "a\nb");
        assert_eq!(
            optional_text("p", "purpose", "a\r\r\nb", 10).unwrap(),
            "a\n\nb"
        );
        assert!(optional_text("p", "purpose", "a\u{7}", 10).is_err());
    }

    #[test]
    fn lists_split_and_deduplicate() {
        let items = text_list("areas", "areas", "Leeds, Bradford\nleeds;; ", 5, 20).unwrap();
        assert_eq!(items, vec!["Leeds", "Bradford"]);
        assert!(text_list("areas", "areas", "a,b,c", 2, 20).is_err());
        assert!(text_list("areas", "areas", &"x".repeat(21), 2, 20).is_err());
    }

    #[test]
    fn websites() {
        assert_eq!(
            optional_website("w", "example.org").unwrap().as_deref(),
            Some("https://example.org")
        );
        assert_eq!(optional_website("w", " ").unwrap(), None);
        assert!(optional_website("w", "javascript:alert(1)").is_err());
        assert!(optional_website("w", "ftp://example.org").is_err());
        assert!(optional_website("w", "https://exa mple.org").is_err());
        assert!(optional_website("w", "localhost").is_err());
    }
}
