//! Pure renderers: charts as SVG text (and, as the stages arrive, the
//! exports). No IO; what goes in comes out as a string, so every output
//! can be checked exactly in tests.

pub mod agreement;
pub mod calendar;
pub mod diff;
pub mod heatmap;
pub mod markdown;
pub mod pdf;
pub mod radar;
pub mod story;
pub mod timeline;

/// Escapes text so Markdown shows it as written.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_{}[]<>()#+!|~".contains(c) {
            out.push('\\');
        }
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}
