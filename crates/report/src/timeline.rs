//! The action plan's timeline (a Gantt chart): one row per task, grouped by
//! workstream, bars from start to due date, milestones as diamonds, a line
//! for today, arrows from each task to the tasks that wait for it. Overdue
//! tasks are hatched and labelled "Overdue", so colour is never the only
//! sign. The description says in words what the picture shows.

use crate::xml_escape;
use std::collections::HashMap;
use std::fmt::Write;

/// One task on the timeline. Days count from 1970-01-01.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub id: i64,
    pub label: String,
    /// The workstream's name; empty for none.
    pub lane: String,
    pub start: i64,
    pub end: i64,
    pub milestone: bool,
    pub overdue: bool,
    pub finished: bool,
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date; None when it is not one.
pub fn days_from_iso(date: &str) -> Option<i64> {
    let b = date.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = date[0..4].parse().ok()?;
    let m: i64 = date[5..7].parse().ok()?;
    let d: i64 = date[8..10].parse().ok()?;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

const LABEL_W: i64 = 300;
const CHART_W: i64 = 900;
const ROW_H: i64 = 18;
const TOP: i64 = 40;

/// The timeline as SVG. `deps` are (task, depends on) pairs.
pub fn timeline_svg(
    id: &str,
    title: &str,
    bars: &[Bar],
    deps: &[(i64, i64)],
    today: i64,
) -> String {
    let id = xml_escape(id);
    let mut rows: Vec<&Bar> = bars.iter().collect();
    rows.sort_by(|a, b| (&a.lane, a.start, a.id).cmp(&(&b.lane, b.start, b.id)));
    let first = rows
        .iter()
        .map(|b| b.start)
        .min()
        .unwrap_or(today)
        .min(today)
        - 2;
    let last = rows.iter().map(|b| b.end).max().unwrap_or(today).max(today) + 2;
    let span = (last - first).max(1);
    let x = |day: i64| LABEL_W + (day - first) * CHART_W / span;
    // Rows: a heading row for each workstream, then its tasks.
    let mut y_of: HashMap<i64, i64> = HashMap::new();
    let mut lanes: Vec<(String, i64)> = Vec::new();
    let mut y = TOP;
    for b in &rows {
        if lanes.last().is_none_or(|(l, _)| *l != b.lane) {
            lanes.push((b.lane.clone(), y));
            y += ROW_H;
        }
        y_of.insert(b.id, y);
        y += ROW_H;
    }
    let height = y + ROW_H;
    let width = LABEL_W + CHART_W + 80;
    let overdue = rows.iter().filter(|b| b.overdue).count();
    let finished = rows.iter().filter(|b| b.finished).count();
    let milestones = rows.iter().filter(|b| b.milestone).count();
    let mut s = String::with_capacity(256 + rows.len() * 300);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" class="timeline">"#
    );
    let _ = write!(s, r#"<title id="{id}-title">{}</title>"#, xml_escape(title));
    let _ = write!(
        s,
        r#"<desc id="{id}-desc">{} tasks with dates, grouped by workstream; {milestones} of them milestones; {finished} done or cancelled; {overdue} overdue. Arrows run from a task to the tasks that wait for it. The task list shows the same tasks as text.</desc>"#,
        rows.len()
    );
    s.push_str(r##"<defs><pattern id="overdue-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde2e1"/><line x1="0" y1="0" x2="0" y2="6" stroke="#a4262c" stroke-width="3"/></pattern><marker id="arrow" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#505a5f"/></marker></defs>"##);
    s.push_str(r##"<g font-family="sans-serif" font-size="12" fill="#0b0c0c">"##);
    for (lane, ly) in &lanes {
        let name = if lane.is_empty() {
            "No workstream"
        } else {
            lane
        };
        let _ = write!(
            s,
            r#"<text x="4" y="{}" font-weight="bold">{}</text>"#,
            ly + 13,
            xml_escape(name)
        );
    }
    for b in &rows {
        let by = y_of[&b.id];
        let mut label: String = b.label.chars().take(44).collect();
        if b.label.chars().count() > 44 {
            label.push('\u{2026}');
        }
        let _ = write!(
            s,
            r#"<text x="14" y="{}">{}</text>"#,
            by + 13,
            xml_escape(&label)
        );
        let (fill, stroke) = if b.overdue {
            ("url(#overdue-hatch)", "#a4262c")
        } else if b.finished {
            ("#cce2d8", "#00703c")
        } else {
            ("#b7d4ef", "#1d70b8")
        };
        if b.milestone {
            let (cx, cy) = (x(b.start), by + ROW_H / 2);
            let _ = write!(
                s,
                r#"<polygon points="{},{} {},{} {},{} {},{}" fill="{fill}" stroke="{stroke}"/>"#,
                cx,
                cy - 7,
                cx + 7,
                cy,
                cx,
                cy + 7,
                cx - 7,
                cy
            );
        } else {
            let (x1, x2) = (x(b.start), x(b.end + 1).max(x(b.start) + 2));
            let _ = write!(
                s,
                r#"<rect x="{x1}" y="{}" width="{}" height="{}" fill="{fill}" stroke="{stroke}"/>"#,
                by + 3,
                x2 - x1,
                ROW_H - 6
            );
        }
        if b.overdue {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" font-weight="bold">Overdue</text>"#,
                x(b.end + 1) + 10,
                by + 13
            );
        }
    }
    for (task, on) in deps {
        let (Some(ty), Some(oy)) = (y_of.get(task), y_of.get(on)) else {
            continue;
        };
        let (Some(t), Some(o)) = (
            rows.iter().find(|b| b.id == *task),
            rows.iter().find(|b| b.id == *on),
        ) else {
            continue;
        };
        let (x1, y1) = (x(o.end + 1), oy + ROW_H / 2);
        let (x2, y2) = (x(t.start), ty + ROW_H / 2);
        let _ = write!(
            s,
            r##"<path class="dependency" d="M{x1},{y1} H{} V{y2} H{x2}" fill="none" stroke="#505a5f" marker-end="url(#arrow)"/>"##,
            x1.max(x2 - 6) + 4
        );
    }
    let tx = x(today);
    let _ = write!(
        s,
        r##"<line x1="{tx}" y1="{}" x2="{tx}" y2="{height}" stroke="#0b0c0c" stroke-width="2" stroke-dasharray="4 3"/><text x="{tx}" y="14" text-anchor="middle" font-weight="bold">Today</text>"##,
        TOP - 16
    );
    s.push_str("</g></svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(id: i64, lane: &str, start: i64, end: i64) -> Bar {
        Bar {
            id,
            label: format!("Task {id}"),
            lane: lane.into(),
            start,
            end,
            milestone: false,
            overdue: false,
            finished: false,
        }
    }

    #[test]
    fn dates_count_days_from_1970() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2000-03-01"), Some(11_017));
        assert_eq!(days_from_iso("2026-11-28"), Some(20_785));
        assert_eq!(days_from_iso("soon"), None);
    }

    #[test]
    fn milestones_overdue_today_and_arrows_are_drawn() {
        let mut m = bar(3, "Outreach", 110, 110);
        m.milestone = true;
        let mut late = bar(2, "Premises", 90, 95);
        late.overdue = true;
        let svg = timeline_svg(
            "t",
            "Timeline <of> plan",
            &[bar(1, "Outreach", 100, 105), late, m],
            &[(3, 1), (3, 99)],
            100,
        );
        assert!(svg.contains("<title id=\"t-title\">Timeline &lt;of&gt; plan</title>"));
        assert!(svg.contains("3 tasks with dates, grouped by workstream; 1 of them milestones; 0 done or cancelled; 1 overdue."));
        assert_eq!(svg.matches("<polygon").count(), 1);
        assert_eq!(svg.matches("<rect x=").count(), 2);
        assert_eq!(svg.matches(">Overdue</text>").count(), 1);
        assert_eq!(svg.matches("url(#overdue-hatch)").count(), 1);
        // The arrow to a task not drawn is left out.
        assert_eq!(svg.matches("class=\"dependency\"").count(), 1);
        assert!(svg.contains(">Today</text>"));
        // Workstreams in order, each heading once.
        let outreach = svg.find(">Outreach<").unwrap();
        assert!(outreach < svg.find(">Premises<").unwrap());
    }
}
