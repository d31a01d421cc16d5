//! An agreement exported whole: as Markdown, as one printable HTML file,
//! and as PDF with an embedded Unicode font (DejaVu Sans, under its own
//! free licence in `fonts/`), so names such as Ŵyddgrug or Llanfair-ym-Muallt
//! come out as written. A draft says so on every page.

use crate::markdown::{Block, to_blocks, to_html};
use crate::xml_escape;

/// The words every draft carries.
pub const DRAFT_MARK: &str = "Draft \u{2013} not agreed";

/// One approval, as listed at the end.
#[derive(Debug, Clone)]
pub struct ExportApproval {
    pub organisation: String,
    pub person: String,
    /// When, already written out for people.
    pub at: String,
    pub version: i64,
    pub content_hash: String,
}

/// Everything an export shows.
#[derive(Debug, Clone)]
pub struct ExportDoc {
    /// The kind, such as "Collaboration agreement".
    pub title: String,
    pub collaboration: String,
    pub version: i64,
    pub content_hash: String,
    pub agreed: bool,
    /// (title, Markdown text), in order.
    pub sections: Vec<(String, String)>,
    /// The approvals of this version that count.
    pub approvals: Vec<ExportApproval>,
    /// Parties still to approve, by name.
    pub waiting: Vec<String>,
}

impl ExportDoc {
    fn status_line(&self) -> String {
        if self.agreed {
            format!(
                "Agreed: version {} approved by every partner organisation.",
                self.version
            )
        } else {
            format!("{DRAFT_MARK}. Version {}.", self.version)
        }
    }

    fn approval_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .approvals
            .iter()
            .map(|a| {
                format!(
                    "{} approved version {} on {}, by {} (content hash {}).",
                    a.organisation, a.version, a.at, a.person, a.content_hash
                )
            })
            .collect();
        if lines.is_empty() {
            lines.push("No organisation has approved this version yet.".into());
        }
        for w in &self.waiting {
            lines.push(format!("{w} has not approved this version yet."));
        }
        lines
    }
}

/// The agreement as one Markdown document.
pub fn markdown(doc: &ExportDoc) -> String {
    let mut out = String::new();
    if !doc.agreed {
        out.push_str(&format!("> **{DRAFT_MARK}**\n\n"));
    }
    out.push_str(&format!(
        "# {}\n\n{}\n\n{}\n\nContent hash: `{}`\n\n",
        doc.title,
        crate::md_escape(&doc.collaboration),
        doc.status_line(),
        doc.content_hash
    ));
    for (i, (title, text)) in doc.sections.iter().enumerate() {
        out.push_str(&format!(
            "## {}. {}\n\n{}\n\n",
            i + 1,
            title,
            text.trim_end()
        ));
    }
    out.push_str("## Approvals\n\n");
    for l in doc.approval_lines() {
        out.push_str(&format!("- {}\n", crate::md_escape(&l)));
    }
    out
}

/// The agreement as one HTML file that prints well, with no outside
/// resources. Section text is rendered from Markdown safely.
pub fn html(doc: &ExportDoc) -> String {
    let mut body = String::new();
    if !doc.agreed {
        body.push_str(&format!(
            "<p class=\"draft\" role=\"note\">{}</p>\n",
            xml_escape(DRAFT_MARK)
        ));
    }
    body.push_str(&format!(
        "<h1>{}</h1>\n<p class=\"lead\">{}</p>\n<p>{}</p>\n<p>Content hash: <code>{}</code></p>\n",
        xml_escape(&doc.title),
        xml_escape(&doc.collaboration),
        xml_escape(&doc.status_line()),
        xml_escape(&doc.content_hash)
    ));
    for (i, (title, text)) in doc.sections.iter().enumerate() {
        body.push_str(&format!(
            "<section>\n<h2>{}. {}</h2>\n{}</section>\n",
            i + 1,
            xml_escape(title),
            to_html(text)
        ));
    }
    body.push_str("<section>\n<h2>Approvals</h2>\n<ul>\n");
    for l in doc.approval_lines() {
        body.push_str(&format!("<li>{}</li>\n", xml_escape(&l)));
    }
    body.push_str("</ul>\n</section>\n");
    html_page(
        &format!("{}: {}", doc.title, doc.collaboration),
        (!doc.agreed).then_some(DRAFT_MARK),
        "",
        &body,
    )
}

/// One HTML file that prints well and asks for nothing from outside:
/// `body` inside `main`, the shared style plus `css`, and for a draft the
/// mark in the title and across the page.
pub(crate) fn html_page(title: &str, draft: Option<&str>, css: &str, body: &str) -> String {
    let watermark = match draft {
        None => String::new(),
        Some(mark) => format!(
            "body::before {{ content: \"{}\"; position: fixed; top: 40%; left: 0; right: 0; \
             text-align: center; font-size: 5rem; color: rgba(180, 0, 0, 0.12); transform: rotate(-30deg); \
             pointer-events: none; z-index: -1; }}\n",
            mark.replace('"', "'")
        ),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}{draft}</title>\n<style>\n\
         body {{ font-family: \"DejaVu Sans\", Arial, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }}\n\
         h1 {{ font-size: 1.8rem; }} h2 {{ font-size: 1.25rem; margin-top: 2rem; break-after: avoid; }}\n\
         .draft {{ border: 3px solid #b00; color: #b00; font-weight: bold; padding: 0.5rem 1rem; font-size: 1.25rem; }}\n\
         code {{ word-break: break-all; }}\n\
         {css}{watermark}\
         @media print {{ body {{ margin: 0; max-width: none; }} }}\n\
         .skip {{ position: absolute; left: -999rem; }} .skip:focus {{ position: static; }}\n\
         </style>\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to the text</a>\n<main id=\"main\">\n{body}</main>\n</body>\n</html>\n",
        title = xml_escape(title),
        draft = match draft {
            None => String::new(),
            Some(mark) => format!(" ({})", xml_escape(mark)),
        },
    )
}

/// The agreement as PDF (A4), text in DejaVu Sans; a draft is marked on
/// every page.
pub fn pdf(doc: &ExportDoc) -> Result<Vec<u8>, String> {
    let mut p = crate::pdf::Pages::new(
        &format!("{}: {}", doc.title, doc.collaboration),
        (!doc.agreed).then_some(DRAFT_MARK),
    )?;
    if !doc.agreed {
        p.para(14.0, 0.0, DRAFT_MARK);
    }
    p.para(20.0, 0.0, &doc.title);
    p.para(12.0, 0.0, &doc.collaboration);
    p.para(10.0, 0.0, &doc.status_line());
    p.para(8.0, 0.0, &format!("Content hash: {}", doc.content_hash));
    for (i, (title, text)) in doc.sections.iter().enumerate() {
        p.para(14.0, 0.0, &format!("{}. {}", i + 1, title));
        markdown_pdf(&mut p, text);
    }
    p.para(14.0, 0.0, "Approvals");
    for l in doc.approval_lines() {
        p.para(10.0, 5.0, &format!("\u{2022} {l}"));
    }
    p.finish()
}

/// Markdown text written into a PDF, block by block.
pub(crate) fn markdown_pdf(p: &mut crate::pdf::Pages, text: &str) {
    for b in to_blocks(text) {
        match b {
            Block::Heading(t) => p.para(12.0, 0.0, &t),
            Block::Paragraph(t) => p.para(10.0, 0.0, &t),
            Block::Item(m, t) => p.para(10.0, 5.0, &format!("{m} {t}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample(agreed: bool) -> ExportDoc {
        ExportDoc {
            title: "Collaboration agreement".into(),
            collaboration: "Holiday meals <pilot>".into(),
            version: 4,
            content_hash: "ab12".into(),
            agreed,
            sections: vec![
                (
                    "Parties".into(),
                    "- **Cymdeithas Ŵyl Gymraeg Llanfair-ym-Muallt**\n- Riverside Food Bank".into(),
                ),
                ("Aims".into(), "Feed <script>x</script> children.".into()),
            ],
            approvals: vec![ExportApproval {
                organisation: "Riverside Food Bank".into(),
                person: "Lena Lead".into(),
                at: "1 May 2027".into(),
                version: 4,
                content_hash: "ab12".into(),
            }],
            waiting: vec!["Cymdeithas Ŵyl Gymraeg Llanfair-ym-Muallt".into()],
        }
    }

    #[test]
    fn markdown_and_html_say_draft_and_list_approvals() {
        let md = markdown(&sample(false));
        assert!(md.starts_with("> **Draft – not agreed**"), "{md}");
        assert!(md.contains("## 1. Parties"));
        assert!(md.contains("- Riverside Food Bank approved version 4 on 1 May 2027, by Lena Lead \\(content hash ab12\\)."));
        assert!(md.contains("Holiday meals \\<pilot\\>"));
        let h = html(&sample(false));
        assert!(h.contains("<p class=\"draft\" role=\"note\">Draft – not agreed</p>"));
        assert!(!h.contains("<script>"));
        assert!(h.contains("Holiday meals &lt;pilot&gt;"));
        assert!(h.contains("<strong>Cymdeithas Ŵyl Gymraeg Llanfair-ym-Muallt</strong>"));
        let agreed = html(&sample(true));
        assert!(!agreed.contains("Draft"));
        assert!(agreed.contains("Agreed: version 4 approved by every partner organisation."));
    }

    #[test]
    fn pdf_is_a_pdf() {
        let bytes = pdf(&sample(false)).unwrap();
        assert!(bytes.starts_with(b"%PDF"));
    }
}
