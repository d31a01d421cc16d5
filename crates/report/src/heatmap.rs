//! The risk register's heat map: a 5 by 5 grid of likelihood (across) by
//! impact (up), with the number of risks in each cell. Every cell also
//! says its band in words and carries a pattern for it, so colour is
//! never the only sign. The description says in words what the grid shows.

use crate::xml_escape;
use std::fmt::Write;

/// What the heat map is drawn from. Cells are `[impact - 1][likelihood - 1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatMap<'a> {
    pub counts: [[u32; 5]; 5],
    /// The band's words for each cell, such as "Very high".
    pub bands: [[&'a str; 5]; 5],
    /// Words for likelihood 1 to 5 and impact 1 to 5.
    pub likelihood_words: [&'a str; 5],
    pub impact_words: [&'a str; 5],
}

const CELL_W: usize = 130;
const CELL_H: usize = 70;
const LEFT: usize = 150;
const TOP: usize = 50;

/// Fill and pattern for a band: lighter to darker, and no lines, dots,
/// diagonal lines and cross-hatching.
fn style(band: &str) -> (&'static str, &'static str) {
    match band {
        "Low" => ("#e8f1e4", ""),
        "Medium" => ("#fff4d6", "url(#heat-dots)"),
        "High" => ("#fde0c8", "url(#heat-lines)"),
        _ => ("#f8cfd0", "url(#heat-cross)"),
    }
}

/// The heat map as SVG.
pub fn heatmap_svg(id: &str, title: &str, h: &HeatMap) -> String {
    let id = xml_escape(id);
    let width = LEFT + CELL_W * 5 + 20;
    let height = TOP + CELL_H * 5 + 70;
    let total: u32 = h.counts.iter().flatten().sum();
    let mut s = String::with_capacity(8_000);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" class="heatmap">"#
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, xml_escape(title));
    // The description lists every cell that holds a risk, highest first.
    let mut parts: Vec<String> = Vec::new();
    for impact in (1..=5usize).rev() {
        for likelihood in (1..=5usize).rev() {
            let n = h.counts[impact - 1][likelihood - 1];
            if n > 0 {
                parts.push(format!(
                    "{n} with likelihood {likelihood} ({}) and impact {impact} ({}), band {}",
                    h.likelihood_words[likelihood - 1].to_lowercase(),
                    h.impact_words[impact - 1].to_lowercase(),
                    h.bands[impact - 1][likelihood - 1].to_lowercase()
                ));
            }
        }
    }
    let _ = write!(
        s,
        r#"<desc id="{id}-desc">{}</desc>"#,
        xml_escape(&if total == 0 {
            "No risks are open or being managed, so every cell is empty.".to_string()
        } else {
            format!(
                "{total} {} open or being managed: {}. The table on the risk register page shows the same counts.",
                if total == 1 { "risk" } else { "risks" },
                parts.join("; ")
            )
        })
    );
    s.push_str(concat!(
        r##"<defs>"##,
        r##"<pattern id="heat-dots" width="10" height="10" patternUnits="userSpaceOnUse"><circle cx="5" cy="5" r="1.5" fill="#6f5500"/></pattern>"##,
        r##"<pattern id="heat-lines" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" stroke="#8a4b00" stroke-width="1.5"/></pattern>"##,
        r##"<pattern id="heat-cross" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0,0 L8,8 M8,0 L0,8" stroke="#8c1d22" stroke-width="1.5"/></pattern>"##,
        r##"</defs>"##
    ));
    s.push_str(r##"<g font-family="sans-serif" font-size="13" fill="#0b0c0c">"##);
    let _ = write!(
        s,
        r#"<text x="{}" y="20" text-anchor="middle" font-weight="bold">Likelihood</text>"#,
        LEFT + CELL_W * 5 / 2
    );
    for l in 1..=5usize {
        let x = LEFT + (l - 1) * CELL_W + CELL_W / 2;
        let _ = write!(
            s,
            r#"<text x="{x}" y="40" text-anchor="middle">{l} {}</text>"#,
            xml_escape(h.likelihood_words[l - 1])
        );
    }
    let _ = write!(
        s,
        r#"<text x="12" y="{}" font-weight="bold" transform="rotate(-90 12 {})" text-anchor="middle">Impact</text>"#,
        TOP + CELL_H * 5 / 2,
        TOP + CELL_H * 5 / 2
    );
    for impact in (1..=5usize).rev() {
        let row = 5 - impact;
        let y = TOP + row * CELL_H;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{impact} {}</text>"#,
            LEFT - 8,
            y + CELL_H / 2 + 5,
            xml_escape(h.impact_words[impact - 1])
        );
        for l in 1..=5usize {
            let x = LEFT + (l - 1) * CELL_W;
            let band = h.bands[impact - 1][l - 1];
            let n = h.counts[impact - 1][l - 1];
            let (fill, pattern) = style(band);
            let _ = write!(
                s,
                r##"<rect x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" fill="{fill}" stroke="#505a5f"/>"##
            );
            if !pattern.is_empty() {
                let _ = write!(
                    s,
                    r#"<rect x="{}" y="{}" width="{}" height="12" fill="{pattern}"/>"#,
                    x + 1,
                    y + CELL_H - 13,
                    CELL_W - 2
                );
            }
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="20" font-weight="bold">{n}</text>"#,
                x + CELL_W / 2,
                y + 28
            );
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>"#,
                x + CELL_W / 2,
                y + 46,
                xml_escape(band)
            );
        }
    }
    let _ = write!(
        s,
        r#"<text x="{LEFT}" y="{}">Each cell: the number of risks open or being managed, and the band. Patterns: none low, dots medium, lines high, crosses very high.</text>"#,
        TOP + CELL_H * 5 + 30
    );
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_has_its_count_and_band_in_words() {
        let mut counts = [[0u32; 5]; 5];
        counts[4][4] = 2;
        counts[0][1] = 1;
        let bands = [
            ["Low"; 5],
            ["Low"; 5],
            ["Medium"; 5],
            ["High"; 5],
            ["Very high"; 5],
        ];
        let h = HeatMap {
            counts,
            bands,
            likelihood_words: ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"],
            impact_words: ["Negligible", "Minor", "Moderate", "Major", "Severe"],
        };
        let svg = heatmap_svg("heat", "Risks <of> us", &h);
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="heat-title">Risks &lt;of&gt; us</title>"#));
        assert!(svg.contains("3 risks open or being managed: 2 with likelihood 5 (almost certain) and impact 5 (severe), band very high; 1 with likelihood 2 (unlikely) and impact 1 (negligible), band low."));
        assert_eq!(svg.matches("font-size=\"20\"").count(), 25);
        assert_eq!(svg.matches(">Very high</text>").count(), 5);
        assert_eq!(svg.matches("url(#heat-cross)").count(), 5);
    }
}
