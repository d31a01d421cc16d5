//! A radar chart: one axis per group, one outline per series.
//!
//! Readable without colour: each series has its own line style (solid,
//! dashed) and marker shape (circle, square), the scale's rings are
//! labelled, and the chart carries a title and a text description that
//! lists every value, for screen readers.

use crate::xml_escape;
use std::fmt::Write;

/// One set of values, one per axis (None where nobody answered).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

const SIZE: f64 = 480.0;
const CENTRE: f64 = SIZE / 2.0;
const RADIUS: f64 = 150.0;

fn point(axis: usize, axes: usize, value: f64, max: f64) -> (f64, f64) {
    let angle = -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * axis as f64 / axes as f64;
    let r = RADIUS * (value / max).clamp(0.0, 1.0);
    (CENTRE + r * angle.cos(), CENTRE + r * angle.sin())
}

fn fmt(x: f64) -> String {
    format!("{x:.1}")
}

/// Draws the chart. `max` is the top of the scale (5 for the readiness
/// check); rings are drawn at each whole number. `id` makes the title and
/// description ids unique on a page.
pub fn radar_svg(id: &str, title: &str, axes: &[String], series: &[Series], max: f64) -> String {
    let n = axes.len().max(3);
    let mut s = String::with_capacity(4096);
    let id = xml_escape(id);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" role="img" aria-labelledby="{id}-title {id}-desc" class="radar">"#
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, xml_escape(title));
    // The description says everything the picture shows.
    let mut desc = String::new();
    for se in series {
        let _ = write!(desc, "{}: ", se.name);
        let parts: Vec<String> = axes
            .iter()
            .zip(&se.values)
            .map(|(a, v)| match v {
                Some(v) => format!("{a} {} out of {}", fmt(*v), fmt(max)),
                None => format!("{a} no answers"),
            })
            .collect();
        desc.push_str(&parts.join(", "));
        desc.push_str(". ");
    }
    let _ = write!(
        s,
        r#"<desc id="{id}-desc">{}</desc>"#,
        xml_escape(desc.trim_end())
    );
    let _ = write!(
        s,
        r##"<rect width="{SIZE}" height="{SIZE}" fill="#ffffff"/>"##
    );
    // Rings at each whole number of the scale, labelled on the first axis.
    let rings = max.floor() as usize;
    for ring in 1..=rings {
        let pts: Vec<String> = (0..n)
            .map(|i| {
                let (x, y) = point(i, n, ring as f64, max);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let _ = write!(
            s,
            r##"<polygon points="{}" fill="none" stroke="#b1b4b6" stroke-width="1"/>"##,
            pts.join(" ")
        );
        let (x, y) = point(0, n, ring as f64, max);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#505a5f" aria-hidden="true">{ring}</text>"##,
            x + 4.0,
            y + 4.0
        );
    }
    // Axes and their labels.
    for (i, label) in axes.iter().enumerate() {
        let (x, y) = point(i, n, max, max);
        let _ = write!(
            s,
            r##"<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1}" y2="{y:.1}" stroke="#b1b4b6" stroke-width="1"/>"##
        );
        let (lx, ly) = point(i, n, max * 1.18, max);
        let anchor = if (lx - CENTRE).abs() < 1.0 {
            "middle"
        } else if lx > CENTRE {
            "start"
        } else {
            "end"
        };
        let _ = write!(
            s,
            r##"<text x="{lx:.1}" y="{:.1}" font-size="14" text-anchor="{anchor}" fill="#0b0c0c" aria-hidden="true">{}</text>"##,
            ly + 5.0,
            xml_escape(label)
        );
    }
    // The series: solid line and circles, then dashed line and squares.
    const STYLES: [(&str, &str, &str); 2] =
        [("#1d70b8", "", "circle"), ("#6f3c00", "6 4", "square")];
    for (k, se) in series.iter().enumerate() {
        let (colour, dash, marker) = STYLES[k % STYLES.len()];
        let pts: Vec<(f64, f64)> = se
            .values
            .iter()
            .enumerate()
            .take(n)
            .map(|(i, v)| point(i, n, v.unwrap_or(0.0), max))
            .collect();
        let list: Vec<String> = pts.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = write!(
            s,
            r#"<polygon points="{}" fill="{colour}" fill-opacity="0.12" stroke="{colour}" stroke-width="2.5"{dash_attr}/>"#,
            list.join(" ")
        );
        for (i, (x, y)) in pts.iter().enumerate() {
            if se.values.get(i).copied().flatten().is_none() {
                continue;
            }
            if marker == "circle" {
                let _ = write!(
                    s,
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{colour}"/>"#
                );
            } else {
                let _ = write!(
                    s,
                    r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{colour}"/>"#,
                    x - 4.0,
                    y - 4.0
                );
            }
        }
    }
    // A key, when there is more than one series.
    if series.len() > 1 {
        for (k, se) in series.iter().enumerate() {
            let (colour, dash, marker) = STYLES[k % STYLES.len()];
            let y = SIZE - 40.0 + 18.0 * k as f64;
            let dash_attr = if dash.is_empty() {
                String::new()
            } else {
                format!(r#" stroke-dasharray="{dash}""#)
            };
            let _ = write!(
                s,
                r#"<line x1="20" y1="{y}" x2="50" y2="{y}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>"#
            );
            if marker == "circle" {
                let _ = write!(s, r#"<circle cx="35" cy="{y}" r="4.5" fill="{colour}"/>"#);
            } else {
                let _ = write!(
                    s,
                    r#"<rect x="31" y="{}" width="8" height="8" fill="{colour}"/>"#,
                    y - 4.0
                );
            }
            let _ = write!(
                s,
                r##"<text x="58" y="{}" font-size="13" fill="#0b0c0c" aria-hidden="true">{}</text>"##,
                y + 4.0,
                xml_escape(&se.name)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axes() -> Vec<String> {
        ["Environment", "Membership", "Process & structure"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn the_description_lists_every_value_and_text_is_escaped() {
        let svg = radar_svg(
            "r1",
            "Readiness <round 1>",
            &axes(),
            &[Series {
                name: "Round 1".into(),
                values: vec![Some(4.0), None, Some(2.5)],
            }],
            5.0,
        );
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="r1-title">Readiness &lt;round 1&gt;</title>"#));
        assert!(svg.contains(
            "Round 1: Environment 4.0 out of 5.0, Membership no answers, Process &amp; structure 2.5 out of 5.0."
        ));
        assert!(svg.contains(r#"aria-labelledby="r1-title r1-desc""#));
        // Five rings, three axes, one outline with two markers, no key.
        assert_eq!(svg.matches("<polygon").count(), 6);
        assert_eq!(svg.matches("<circle").count(), 2);
        assert!(!svg.contains("stroke-dasharray"));
    }

    #[test]
    fn a_second_series_is_dashed_with_squares_and_a_key() {
        let svg = radar_svg(
            "r2",
            "Compare",
            &axes(),
            &[
                Series {
                    name: "Now".into(),
                    values: vec![Some(5.0), Some(5.0), Some(5.0)],
                },
                Series {
                    name: "Before".into(),
                    values: vec![Some(1.0), Some(2.0), Some(3.0)],
                },
            ],
            5.0,
        );
        assert_eq!(svg.matches("stroke-dasharray=\"6 4\"").count(), 2);
        assert!(svg.contains(">Now</text>") && svg.contains(">Before</text>"));
        // The top of the scale is on the outer ring: first axis points up.
        assert!(svg.contains(r#"<circle cx="240.0" cy="90.0""#));
    }
}
