//! Markdown that people write, rendered safely: raw HTML is shown as text,
//! links keep only safe addresses, and images become their description,
//! so nothing a person writes can run script or load from elsewhere.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether a link target is safe to keep: web and email addresses, and
/// addresses on this site.
fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(|c: char| [':', '/', '?', '#'].contains(&c));
    match scheme_end {
        Some(i) if lower.as_bytes()[i] == b':' => {
            let scheme = &lower[..i];
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => !lower.starts_with("//"),
    }
}

/// Safe HTML for a piece of Markdown.
pub fn to_html(markdown: &str) -> String {
    let mut in_image = 0usize;
    let events = Parser::new_ext(markdown, options()).filter_map(|e| match e {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if safe_url(&dest_url) {
                dest_url
            } else {
                CowStr::from("#")
            };
            Some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut out, events);
    out
}

/// One block of plain text, for formats without markup (PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// A list item, with its marker ("•" or "3.").
    Item(String, String),
}

/// Markdown as plain blocks of text: headings, paragraphs and list items.
pub fn to_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut marker: Option<String> = None;
    let flush =
        |text: &mut String, marker: &mut Option<String>, blocks: &mut Vec<Block>, heading: bool| {
            let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
            text.clear();
            if t.is_empty() {
                return;
            }
            blocks.push(match (heading, marker.take()) {
                (true, _) => Block::Heading(t),
                (false, Some(m)) => Block::Item(m, t),
                (false, None) => Block::Paragraph(t),
            });
        };
    for e in Parser::new_ext(markdown, options()) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::Start(Tag::List(start)) => {
                flush(&mut text, &mut marker, &mut blocks, false);
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut text, &mut marker, &mut blocks, false);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut text, &mut marker, &mut blocks, false);
                marker = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        let m = format!("{n}.");
                        *n += 1;
                        m
                    }
                    _ => "\u{2022}".to_string(),
                });
            }
            Event::End(TagEnd::Heading(_)) => flush(&mut text, &mut marker, &mut blocks, true),
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableRow)
            | Event::End(TagEnd::CodeBlock) => {
                let keep = marker.clone();
                flush(&mut text, &mut marker, &mut blocks, false);
                // A paragraph inside an item: later paragraphs are plain.
                let _ = keep;
            }
            Event::End(TagEnd::TableCell) => text.push_str("  "),
            _ => {}
        }
    }
    flush(&mut text, &mut marker, &mut blocks, false);
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_are_made_harmless() {
        let html = to_html(
            "Hello <script>alert(1)</script> **there**\n\n[x](javascript:alert(1)) [y](https://example.org) ![pic](https://tracker.example/p.png)",
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("<strong>there</strong>"));
        assert!(html.contains(r##"<a href="#">x</a>"##), "{html}");
        assert!(html.contains(r#"<a href="https://example.org">y</a>"#));
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("pic"));
        let block = to_html("<div onclick=\"x()\">hi</div>");
        assert!(!block.contains("<div"), "{block}");
        assert!(!to_html("[a](JaVaScRiPt:x)").contains("JaVaScRiPt"));
        assert!(!to_html("[a](//evil.example)").contains("evil"));
    }

    #[test]
    fn blocks_keep_the_words() {
        let b = to_blocks("# Title\n\nSome *text*\nhere.\n\n- one\n- two\n\n1. first\n2. second");
        assert_eq!(
            b,
            vec![
                Block::Heading("Title".into()),
                Block::Paragraph("Some text here.".into()),
                Block::Item("\u{2022}".into(), "one".into()),
                Block::Item("\u{2022}".into(), "two".into()),
                Block::Item("1.".into(), "first".into()),
                Block::Item("2.".into(), "second".into()),
            ]
        );
    }
}
