//! The action plan: workstreams, tasks and the dependencies between them.
//!
//! Rules decided here:
//! - A task has a title, an owner organisation taking part, and may have an
//!   assignee (a member of the owner organisation, checked by the caller),
//!   start and due dates (`YYYY-MM-DD`, due not before start), a status, a
//!   workstream and the aim it serves (the caller checks both are this
//!   collaboration's). Its description is Markdown, rendered safely.
//! - A milestone is a task with one date and no duration: it needs a due
//!   date, and its start is the same day.
//! - A dependency that would close a loop is refused, naming the loop.
//! - A task cannot be marked done while a task it depends on is still open
//!   (not done and not cancelled), unless the person says why.

use crate::errors::{FieldError, FieldErrors};
use crate::stage::ChecklistItem;
use crate::values::{optional_text, required_line};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    NotStarted,
    InProgress,
    Blocked,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 5] = [
        TaskStatus::NotStarted,
        TaskStatus::InProgress,
        TaskStatus::Blocked,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "Not started",
            TaskStatus::InProgress => "In progress",
            TaskStatus::Blocked => "Blocked",
            TaskStatus::Done => "Done",
            TaskStatus::Cancelled => "Cancelled",
        }
    }

    pub fn parse_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// Still to be finished: neither done nor cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, TaskStatus::Done | TaskStatus::Cancelled)
    }
}

/// A calendar date written `YYYY-MM-DD`; None when empty.
pub fn iso_date(field: &str, label: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let bad = || FieldError {
        field: field.to_string(),
        message: format!("Enter {label} as a date like 2027-03-31 (year, month, day)."),
    };
    let b = t.as_bytes();
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || ![0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        return Err(bad());
    }
    let n = |r: std::ops::Range<usize>| t[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days || y < 1900 {
        return Err(bad());
    }
    Ok(Some(t.to_string()))
}

/// An id chosen from a list; None when empty (an error when not an id).
pub(crate) fn optional_id(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    what: &str,
) -> Option<i64> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<i64>() {
        Ok(v) if v > 0 => Some(v),
        _ => {
            errors.add(field, format!("Choose {what} from the list."));
            None
        }
    }
}

/// A workstream's fields, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkstreamFields {
    pub name: String,
    pub description: String,
}

impl WorkstreamFields {
    pub fn parse(name: &str, description: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take(required_line("name", "a name", name, 1, 120));
        let description = errors.take(optional_text(
            "description",
            "the description",
            description,
            2000,
        ));
        errors.into_result()?;
        Ok(WorkstreamFields {
            name: name.unwrap_or_default(),
            description: description.unwrap_or_default(),
        })
    }
}

/// A task's fields as typed on the form or sent to the API.
#[derive(Debug, Clone, Copy, Default)]
pub struct TaskInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub owner_organisation_id: &'a str,
    pub assignee_id: &'a str,
    pub start_on: &'a str,
    pub due_on: &'a str,
    pub status: &'a str,
    pub workstream_id: &'a str,
    pub milestone: bool,
    /// One of the collaboration's aims this task serves; empty for none.
    pub aim_id: &'a str,
}

/// A task's fields, valid on their own. That the owner takes part, the
/// assignee belongs to the owner and the workstream is this
/// collaboration's is checked by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskFields {
    pub title: String,
    pub description: String,
    pub owner_organisation_id: i64,
    pub assignee_id: Option<i64>,
    pub start_on: Option<String>,
    pub due_on: Option<String>,
    pub status: TaskStatus,
    pub workstream_id: Option<i64>,
    pub milestone: bool,
    /// The aim it serves (checked by the caller to be this collaboration's).
    pub aim_id: Option<i64>,
}

impl TaskFields {
    pub fn parse(input: &TaskInput) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take(required_line("title", "a title", input.title, 1, 200));
        let description = errors.take(optional_text(
            "description",
            "the description",
            input.description,
            10_000,
        ));
        let owner = optional_id(
            &mut errors,
            "owner_organisation_id",
            input.owner_organisation_id,
            "the organisation that owns the task",
        );
        if owner.is_none() && input.owner_organisation_id.trim().is_empty() {
            errors.add(
                "owner_organisation_id",
                "Choose the organisation that owns the task.",
            );
        }
        let assignee_id = optional_id(&mut errors, "assignee_id", input.assignee_id, "a person");
        let start = errors.take(iso_date("start_on", "the start date", input.start_on));
        let due = errors.take(iso_date("due_on", "the due date", input.due_on));
        let status = if input.status.trim().is_empty() {
            Some(TaskStatus::NotStarted)
        } else {
            let s = TaskStatus::parse_code(input.status);
            if s.is_none() {
                errors.add(
                    "status",
                    "Choose not started, in progress, blocked, done or cancelled.",
                );
            }
            s
        };
        let workstream_id = optional_id(
            &mut errors,
            "workstream_id",
            input.workstream_id,
            "a workstream",
        );
        let aim_id = optional_id(&mut errors, "aim_id", input.aim_id, "an aim");
        let (mut start, due) = (start.flatten(), due.flatten());
        if input.milestone {
            match &due {
                None if errors.get("due_on").is_none() => {
                    errors.add("due_on", "Enter the date of the milestone.")
                }
                Some(d) => {
                    if start.as_ref().is_some_and(|s| s != d) {
                        errors.add(
                            "start_on",
                            "A milestone is one day: leave the start date empty or the same as the due date.",
                        );
                    }
                    start = Some(d.clone());
                }
                None => {}
            }
        }
        if let (Some(s), Some(d)) = (&start, &due)
            && d < s
        {
            errors.add("due_on", "The due date must be on or after the start date.");
        }
        errors.into_result()?;
        Ok(TaskFields {
            title: title.unwrap_or_default(),
            description: description.unwrap_or_default(),
            owner_organisation_id: owner.unwrap_or_default(),
            assignee_id,
            start_on: start,
            due_on: due,
            status: status.unwrap_or(TaskStatus::NotStarted),
            workstream_id,
            milestone: input.milestone,
            aim_id,
        })
    }
}

/// Whether a task is late on `today` (`YYYY-MM-DD`): open, with a due date
/// before today.
pub fn is_overdue(status: TaskStatus, due_on: Option<&str>, today: &str) -> bool {
    status.is_open() && due_on.is_some_and(|d| d < today)
}

/// The loop that making `task` depend on `on` would close, given the
/// existing dependencies as (task, depends on) pairs: `[task, on, …, task]`.
/// None when the new dependency keeps the plan free of loops.
pub fn find_cycle(edges: &[(i64, i64)], task: i64, on: i64) -> Option<Vec<i64>> {
    if task == on {
        return Some(vec![task, task]);
    }
    let mut next: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    // A path from `on` to `task` along "depends on" closes the loop. Search
    // breadth first, remembering how each task was reached, so the loop
    // named is a shortest one.
    let mut came_from: HashMap<i64, i64> = HashMap::new();
    let mut seen: HashSet<i64> = HashSet::from([on]);
    let mut queue = std::collections::VecDeque::from([on]);
    while let Some(at) = queue.pop_front() {
        if at == task {
            // Walk back from `task` to `on`, then read it the other way:
            // task → on → … → task.
            let mut back = vec![task];
            let mut cur = task;
            while cur != on {
                cur = came_from[&cur];
                back.push(cur);
            }
            let mut out = vec![task];
            out.extend(back.into_iter().rev());
            return Some(out);
        }
        for &n in next.get(&at).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(n) {
                came_from.insert(n, at);
                queue.push_back(n);
            }
        }
    }
    None
}

/// A loop named by the tasks' titles: "A → B → C → A".
pub fn cycle_sentence(cycle: &[i64], title_of: impl Fn(i64) -> String) -> String {
    cycle
        .iter()
        .map(|&id| title_of(id))
        .collect::<Vec<_>>()
        .join(" \u{2192} ")
}

/// One cell of a CSV file: quoted when it holds a comma, quote or line
/// break, and with a leading apostrophe when a spreadsheet would read it
/// as a formula (it starts with =, +, -, @, a tab or a carriage return).
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// One line of a CSV file, ending in CRLF as RFC 4180 says.
pub fn csv_line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|c| csv_cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// What the collaboration holds for the Implement checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImplementFacts {
    pub collaboration_id: i64,
    pub workstreams: i64,
    pub tasks: i64,
    /// Tasks with no due date (every task has an owner).
    pub without_due_date: i64,
    pub done: i64,
    pub open: i64,
    pub overdue: i64,
    /// The risk register, for "Risks managed".
    pub risks: crate::risks::RiskFacts,
    /// Problems not yet resolved or closed.
    pub problems_unresolved: i64,
    /// Of those, problems raised more than [`crate::problems::WAITING_DAYS`]
    /// days ago that are still open with no owner person named.
    pub problems_waiting: i64,
    /// Proposals put to a vote (decisions by vote).
    pub proposals: i64,
    /// Proposals whose voting has closed (by date or by hand) and whose
    /// outcome has not been written yet.
    pub proposals_closed_without_outcome: i64,
    /// The communications plan, for "Communications planned".
    pub comms: crate::comms::CommsFacts,
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// The Implement checklist, for the parts built so far.
pub fn checklist(f: &ImplementFacts) -> Vec<ChecklistItem> {
    let tasks = format!("/collaborations/{}/tasks", f.collaboration_id);
    let plan_done = f.workstreams > 0 && f.tasks > 0 && f.without_due_date == 0;
    let plan_detail = if f.tasks == 0 {
        if f.workstreams == 0 {
            "No workstreams or tasks yet. Add a workstream, then its tasks.".to_string()
        } else {
            format!(
                "{}, but no tasks yet. Add the tasks, each with an owner and a due date.",
                plural(f.workstreams, "workstream", "workstreams")
            )
        }
    } else if f.workstreams == 0 {
        format!(
            "{}, but no workstream yet. Add a workstream to group them.",
            plural(f.tasks, "task", "tasks")
        )
    } else if f.without_due_date > 0 {
        format!(
            "{} in {}; {} still without a due date.",
            plural(f.tasks, "task", "tasks"),
            plural(f.workstreams, "workstream", "workstreams"),
            plural(f.without_due_date, "task", "tasks"),
        )
    } else {
        format!(
            "{} in {}, each with an owner and a due date.",
            plural(f.tasks, "task", "tasks"),
            plural(f.workstreams, "workstream", "workstreams"),
        )
    };
    let work_detail = if f.tasks == 0 {
        "No tasks yet.".to_string()
    } else {
        format!("{} done, {} open, {} overdue.", f.done, f.open, f.overdue)
    };
    vec![
        ChecklistItem {
            key: "action_plan_made",
            label: "Action plan made",
            done: plan_done,
            detail: plan_detail,
            href: tasks.clone(),
        },
        ChecklistItem {
            key: "work_under_way",
            label: "Work under way, nothing overdue",
            done: f.done > 0 && f.overdue == 0,
            detail: work_detail,
            href: tasks,
        },
        crate::risks::checklist_item(f.collaboration_id, &f.risks),
        problems_item(f),
        ChecklistItem {
            key: "decisions_made_together",
            label: "Decisions made together",
            done: f.proposals > 0 && f.proposals_closed_without_outcome == 0,
            detail: if f.proposals == 0 {
                "No proposals put to a vote yet.".to_string()
            } else if f.proposals_closed_without_outcome > 0 {
                format!(
                    "{} closed without the outcome written. The proposer writes it on the proposal.",
                    plural(f.proposals_closed_without_outcome, "proposal", "proposals")
                )
            } else {
                format!(
                    "{} put to a vote; every closed one has its outcome written.",
                    plural(f.proposals, "proposal", "proposals")
                )
            },
            href: format!("/collaborations/{}/proposals", f.collaboration_id),
        },
        crate::comms::checklist_item(f.collaboration_id, &f.comms),
    ]
}

/// "Problems in hand": done when no problem has waited more than two weeks,
/// still open, without a person named to own it. A collaboration with no
/// problems raised has nothing waiting, so it counts as done.
fn problems_item(f: &ImplementFacts) -> ChecklistItem {
    let detail = if f.problems_waiting > 0 {
        format!(
            "{} waited more than {} days with nobody named to own {}. Name an owner and start work, or escalate {}.",
            plural(f.problems_waiting, "problem has", "problems have"),
            crate::problems::WAITING_DAYS,
            if f.problems_waiting == 1 {
                "it"
            } else {
                "them"
            },
            if f.problems_waiting == 1 {
                "it"
            } else {
                "them"
            },
        )
    } else if f.problems_unresolved > 0 {
        format!(
            "{} not yet resolved, each with someone on it or raised in the last {} days.",
            plural(f.problems_unresolved, "problem", "problems"),
            crate::problems::WAITING_DAYS,
        )
    } else {
        "No unresolved problems.".to_string()
    };
    ChecklistItem {
        key: "problems_in_hand",
        label: "Problems in hand",
        done: f.problems_waiting == 0,
        detail,
        href: format!("/collaborations/{}/problems", f.collaboration_id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(title: &'a str, start: &'a str, due: &'a str) -> TaskInput<'a> {
        TaskInput {
            title,
            owner_organisation_id: "3",
            start_on: start,
            due_on: due,
            ..Default::default()
        }
    }

    #[test]
    fn a_task_needs_a_title_and_an_owner_and_dates_in_order() {
        let e = TaskFields::parse(&TaskInput::default()).unwrap_err();
        assert_eq!(e.get("title"), Some("Enter a title."));
        assert_eq!(
            e.get("owner_organisation_id"),
            Some("Choose the organisation that owns the task.")
        );
        let e = TaskFields::parse(&input("Hire", "2027-03-02", "2027-03-01")).unwrap_err();
        assert_eq!(
            e.get("due_on"),
            Some("The due date must be on or after the start date.")
        );
        let e = TaskFields::parse(&input("Hire", "2027-02-30", "")).unwrap_err();
        assert_eq!(
            e.get("start_on"),
            Some("Enter the start date as a date like 2027-03-31 (year, month, day).")
        );
        let t = TaskFields::parse(&input(" Hire ", "2028-02-29", "2028-02-29")).unwrap();
        assert_eq!(t.title, "Hire");
        assert_eq!(t.status, TaskStatus::NotStarted);
        assert_eq!(t.owner_organisation_id, 3);
    }

    #[test]
    fn a_milestone_is_one_day() {
        let mut i = input("Launch", "", "");
        i.milestone = true;
        assert_eq!(
            TaskFields::parse(&i).unwrap_err().get("due_on"),
            Some("Enter the date of the milestone.")
        );
        i.due_on = "2027-05-01";
        let t = TaskFields::parse(&i).unwrap();
        assert_eq!(t.start_on.as_deref(), Some("2027-05-01"));
        i.start_on = "2027-04-01";
        assert!(TaskFields::parse(&i).unwrap_err().get("start_on").is_some());
    }

    #[test]
    fn a_loop_is_named_in_dependency_order() {
        // 1 depends on 2, 2 on 3: making 3 depend on 1 closes 3 → 1 → 2 → 3.
        let edges = [(1, 2), (2, 3)];
        assert_eq!(find_cycle(&edges, 3, 1), Some(vec![3, 1, 2, 3]));
        assert_eq!(find_cycle(&edges, 1, 3), None);
        assert_eq!(find_cycle(&edges, 4, 4), Some(vec![4, 4]));
        let names = |id: i64| ["", "A", "B", "C"][id as usize].to_string();
        assert_eq!(cycle_sentence(&[3, 1, 2, 3], names), "C → A → B → C");
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_disarmed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@x"), "'@x");
        assert_eq!(csv_cell("=a,b"), "\"'=a,b\"");
        assert_eq!(csv_line(&["a", "b\nc"]), "a,\"b\nc\"\r\n");
    }

    #[test]
    fn overdue_is_open_and_past_its_date() {
        assert!(is_overdue(
            TaskStatus::InProgress,
            Some("2027-01-01"),
            "2027-01-02"
        ));
        assert!(!is_overdue(
            TaskStatus::InProgress,
            Some("2027-01-02"),
            "2027-01-02"
        ));
        assert!(!is_overdue(
            TaskStatus::Done,
            Some("2027-01-01"),
            "2027-01-02"
        ));
        assert!(!is_overdue(TaskStatus::Blocked, None, "2027-01-02"));
    }

    #[test]
    fn the_checklist_counts_only_what_is_there() {
        let mut f = ImplementFacts {
            collaboration_id: 5,
            ..Default::default()
        };
        let items = checklist(&f);
        assert!(items[..2].iter().all(|i| !i.done));
        assert_eq!(
            items[0].detail,
            "No workstreams or tasks yet. Add a workstream, then its tasks."
        );
        f.workstreams = 2;
        f.tasks = 3;
        f.without_due_date = 1;
        f.open = 3;
        assert_eq!(
            checklist(&f)[0].detail,
            "3 tasks in 2 workstreams; 1 task still without a due date."
        );
        f.without_due_date = 0;
        f.done = 1;
        f.open = 2;
        let items = checklist(&f);
        assert!(items[0].done && items[1].done);
        assert_eq!(items[1].detail, "1 done, 2 open, 0 overdue.");
        f.overdue = 1;
        assert!(!checklist(&f)[1].done);
    }

    #[test]
    fn problems_are_in_hand_unless_one_waits_without_an_owner() {
        let mut f = ImplementFacts {
            collaboration_id: 5,
            ..Default::default()
        };
        let item = |f: &ImplementFacts| {
            checklist(f)
                .into_iter()
                .find(|i| i.key == "problems_in_hand")
                .unwrap()
        };
        assert!(item(&f).done);
        assert_eq!(item(&f).detail, "No unresolved problems.");
        assert_eq!(item(&f).href, "/collaborations/5/problems");
        f.problems_unresolved = 2;
        assert!(item(&f).done);
        assert_eq!(
            item(&f).detail,
            "2 problems not yet resolved, each with someone on it or raised in the last 14 days."
        );
        f.problems_waiting = 1;
        assert!(!item(&f).done);
        assert_eq!(
            item(&f).detail,
            "1 problem has waited more than 14 days with nobody named to own it. Name an owner and start work, or escalate it."
        );
    }

    #[test]
    fn decisions_made_together_needs_every_closed_outcome_written() {
        let mut f = ImplementFacts {
            collaboration_id: 5,
            ..Default::default()
        };
        let item = |f: &ImplementFacts| {
            checklist(f)
                .into_iter()
                .find(|i| i.key == "decisions_made_together")
                .unwrap()
        };
        assert_eq!(item(&f).key, "decisions_made_together");
        assert!(!item(&f).done);
        assert_eq!(item(&f).detail, "No proposals put to a vote yet.");
        assert_eq!(item(&f).href, "/collaborations/5/proposals");
        f.proposals = 3;
        f.proposals_closed_without_outcome = 1;
        assert!(!item(&f).done);
        assert_eq!(
            item(&f).detail,
            "1 proposal closed without the outcome written. The proposer writes it on the proposal."
        );
        f.proposals_closed_without_outcome = 0;
        assert!(item(&f).done);
    }

    /// A small deterministic generator, so the property runs the same
    /// graphs every time.
    struct Gen(u64);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// An independent statement of "no loop": the graph can be emptied by
    /// repeatedly removing tasks nothing else waits on (Kahn).
    fn acyclic(nodes: i64, edges: &[(i64, i64)]) -> bool {
        let mut indegree = vec![0; nodes as usize];
        for &(_, b) in edges {
            indegree[b as usize] += 1;
        }
        let mut ready: Vec<i64> = (0..nodes).filter(|&n| indegree[n as usize] == 0).collect();
        let mut removed = 0;
        while let Some(n) = ready.pop() {
            removed += 1;
            for &(a, b) in edges {
                if a == n {
                    indegree[b as usize] -= 1;
                    if indegree[b as usize] == 0 {
                        ready.push(b);
                    }
                }
            }
        }
        removed == nodes
    }

    #[test]
    fn property_never_accepts_a_loop_and_always_accepts_the_rest() {
        let mut g = Gen(42);
        let (mut accepted, mut refused) = (0, 0);
        for _ in 0..300 {
            let nodes = 1 + g.below(12) as i64;
            let mut edges: Vec<(i64, i64)> = Vec::new();
            for _ in 0..g.below(40) {
                let (a, b) = (g.below(nodes as u64) as i64, g.below(nodes as u64) as i64);
                let mut with = edges.clone();
                with.push((a, b));
                let fine = acyclic(nodes, &with);
                match find_cycle(&edges, a, b) {
                    None => {
                        assert!(fine, "accepted {a}->{b} making a loop in {edges:?}");
                        if !edges.contains(&(a, b)) {
                            edges.push((a, b));
                        }
                        accepted += 1;
                    }
                    Some(cycle) => {
                        assert!(!fine, "refused {a}->{b} though {edges:?} stays loop free");
                        // The loop named is real: it starts and ends at the
                        // task, its first step is the new dependency, and
                        // every other step is an existing one.
                        assert_eq!(cycle.first(), Some(&a));
                        assert_eq!(cycle.last(), Some(&a));
                        assert_eq!(cycle.get(1), Some(&b));
                        for w in cycle[1..].windows(2) {
                            assert!(edges.contains(&(w[0], w[1])), "{cycle:?} not in {edges:?}");
                        }
                        refused += 1;
                    }
                }
                assert!(acyclic(nodes, &edges));
            }
        }
        assert!(accepted > 500 && refused > 500, "{accepted} {refused}");
    }
}
