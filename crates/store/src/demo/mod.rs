//! Realistic fictional data for trying Common Ground and for benchmarks.
//! Deterministic: the same size gives the same data.

use crate::db::{Tx, Val, placeholders, q};
use crate::{Store, StoreError};

mod comms;
mod forward;
mod identify;
mod implement;
mod outcomes;
mod plan;
mod proposals;
mod recurring;
mod relationships;
mod review;

use comms::fill_comms;
use forward::fill_forward;
use identify::fill_readiness;
use implement::{fill_problems_decisions, fill_risks, fill_tasks};
use outcomes::fill_outcomes;
use plan::fill_plan;
use proposals::fill_proposals;
use recurring::fill_recurring;
use relationships::fill_relationships;
use review::{fill_health_checks, fill_large_round};

const PLACES: &[&str] = &[
    "Riverside",
    "Northgate",
    "Eastfield",
    "Westbrook",
    "Hillcrest",
    "Millbank",
    "Oakwood",
    "Ashford",
    "Brookside",
    "Castleton",
    "Deanfield",
    "Elmstead",
    "Fairview",
    "Greenhill",
    "Harbourside",
    "Ivybridge",
    "Kingsmead",
    "Lakeside",
    "Marshfield",
    "Newlands",
    "Orchard Park",
    "Parkside",
    "Queensway",
    "Redcliffe",
    "Southmoor",
    "Thornbury",
    "Underhill",
    "Valley",
    "Whitecross",
    "Yarrow",
    "Abbeydale",
    "Beechwood",
];
const FOCUS: &[(&str, &str, &str)] = &[
    (
        "Food Bank",
        "Emergency food parcels and advice for families in crisis.",
        "Food poverty",
    ),
    (
        "Youth Project",
        "Youth clubs, mentoring and holiday activities for young people.",
        "Young people",
    ),
    (
        "Carers Centre",
        "Support, breaks and advice for unpaid carers.",
        "Carers",
    ),
    (
        "Community Transport",
        "Door-to-door minibus journeys for people who cannot use buses.",
        "Transport",
    ),
    (
        "Advice Centre",
        "Free advice on benefits, debt, housing and employment.",
        "Advice",
    ),
    (
        "Arts Collective",
        "Community arts workshops, festivals and exhibitions.",
        "Arts and culture",
    ),
    (
        "Mental Health Network",
        "Peer support groups and wellbeing courses.",
        "Mental health",
    ),
    (
        "Older People's Forum",
        "Lunch clubs, befriending and a voice for older residents.",
        "Older people",
    ),
    (
        "Refugee Welcome",
        "English classes, drop-ins and help settling in.",
        "Refugees and migrants",
    ),
    (
        "Environmental Trust",
        "Tree planting, litter picks and green spaces.",
        "Environment",
    ),
    (
        "Sports Association",
        "Affordable sport for all ages and abilities.",
        "Sport",
    ),
    (
        "Housing Support",
        "Tenancy support and help for people at risk of homelessness.",
        "Housing",
    ),
    (
        "Disability Alliance",
        "Advocacy and accessible activities for disabled people.",
        "Disability",
    ),
    (
        "Family Hub",
        "Parenting support, play sessions and family learning.",
        "Families",
    ),
    (
        "Heritage Society",
        "Local history, archives and guided walks.",
        "Heritage",
    ),
    (
        "Credit Union",
        "Savings and fair loans for local people.",
        "Financial inclusion",
    ),
];
const SUFFIXES: &[&str] = &[
    "",
    " Trust",
    " Association",
    " CIO",
    " Partnership",
    " Network",
    " Foundation",
    " Group",
];
const AREAS: &[&str] = &[
    "Leeds",
    "Bradford",
    "Kirklees",
    "Calderdale",
    "Wakefield",
    "Sheffield",
    "Manchester",
    "Salford",
    "Bristol",
    "Birmingham",
    "Newcastle upon Tyne",
    "Liverpool",
    "Norfolk",
    "Cornwall",
    "Cumbria",
    "Kent",
];
const KINDS: &[&str] = &[
    "registered_charity",
    "registered_charity",
    "cio",
    "cio",
    "charitable_company",
    "cic",
    "community_group",
    "community_group",
    "social_enterprise",
    "other",
];
const FIRST: &[&str] = &[
    "Amira", "Ben", "Chloe", "Dev", "Ellen", "Femi", "Grace", "Hamza", "Isla", "Jack", "Kiran",
    "Leah", "Marek", "Nia", "Owen", "Priya", "Rhys", "Sara", "Tom", "Uzma", "Vikram", "Wendy",
    "Yusuf", "Zoe",
];
const LAST: &[&str] = &[
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn", "Roberts", "Singh", "Taylor",
    "Walsh", "Young",
];
/// Goals an organisation might set: (benefit, title).
const GOALS: &[(&str, &str)] = &[
    ("efficiency", "Share a finance officer with a partner"),
    (
        "efficiency",
        "Stop paying for two offices in the same street",
    ),
    ("better_services", "Offer advice and food in one visit"),
    (
        "better_services",
        "Reach families on the estates we do not see now",
    ),
    (
        "voice_and_influence",
        "Speak to the council with one voice on cuts",
    ),
    (
        "voice_and_influence",
        "Get a seat on the health and wellbeing board",
    ),
    ("sustainability", "Bid for contracts too big for us alone"),
    (
        "sustainability",
        "Keep our youth work going after the grant ends",
    ),
];

/// SWOT and PESTLE items: (framework, category, text).
const ENVIRONMENT: &[(&str, &str, &str)] = &[
    ("swot", "strength", "Volunteers who know the area well"),
    ("swot", "weakness", "No shared booking system"),
    (
        "swot",
        "opportunity",
        "The council wants one provider per ward",
    ),
    (
        "swot",
        "threat",
        "A national charity is bidding for the same work",
    ),
    (
        "pestle",
        "political",
        "Local elections in May could change priorities",
    ),
    ("pestle", "economic", "Food and energy prices keep rising"),
    ("pestle", "social", "More older people living alone"),
    ("pestle", "technological", "Families expect to book online"),
    ("pestle", "legal", "New rules on sharing personal data"),
    (
        "pestle",
        "environmental",
        "The hall needs a new heating system",
    ),
];

/// Benefits and risks: (kind, catalogue code, title, likelihood, impact, note).
const BENEFITS_RISKS: &[(&str, &str, &str, i64, i64, &str)] = &[
    (
        "risk",
        "cost_and_time",
        "Cost and time",
        4,
        3,
        "Budget two days a month for meetings.",
    ),
    (
        "risk",
        "unequal_power",
        "Unequal power between partners",
        3,
        4,
        "Agree a decision rule early.",
    ),
    (
        "risk",
        "data_protection",
        "Data protection and sharing",
        3,
        5,
        "Write a data-sharing agreement.",
    ),
    ("risk", "mission_drift", "Mission drift", 2, 4, ""),
    (
        "risk",
        "funder_restrictions",
        "Funder restrictions",
        4,
        4,
        "Ask the funders before we start.",
    ),
    ("benefit", "reach", "Reaching more people", 4, 4, ""),
    (
        "benefit",
        "shared_back_office",
        "Lower back office costs",
        3,
        3,
        "Finance and HR first.",
    ),
    (
        "benefit",
        "new_funding",
        "Access to new funding or contracts",
        3,
        5,
        "",
    ),
];

const COLLAB_TITLES: &[(&str, &str)] = &[
    (
        "Shared food hub",
        "Run one food hub together so families get food, advice and a warm space in one visit.",
    ),
    (
        "Joint bid for youth services",
        "Bid together for the council's youth services contract instead of competing.",
    ),
    (
        "Shared back office",
        "Share finance, HR and IT support to cut costs and free up staff time.",
    ),
    (
        "Winter warmth network",
        "Coordinate warm spaces and energy advice across the area this winter.",
    ),
    (
        "Carers voice",
        "Speak with one voice to the health board about support for unpaid carers.",
    ),
    (
        "Community transport partnership",
        "Pool minibuses and drivers so more people can get to appointments.",
    ),
    (
        "Advice referral pathway",
        "Agree how we refer people between our services so nobody falls through the gaps.",
    ),
    (
        "Green spaces alliance",
        "Look after the area's parks together and share volunteers.",
    ),
];

/// A small deterministic random source (xorshift), so demo data is repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What the demo made.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub organisations: i64,
    pub people: i64,
    pub collaborations: i64,
    /// A person who belongs to several organisations and collaborations.
    pub example_email: String,
}

/// How demo approaches have gone: each a list of (status, note), oldest first.
/// The models collaborations in Plan or later have chosen, and why.
const DEMO_MODELS: &[(&str, &str)] = &[
    (
        "joint_project",
        "We want to run one holiday scheme together for two summers, each doing our part.",
    ),
    (
        "lead_partner",
        "The council wants one organisation to contract with, and we are the largest.",
    ),
    (
        "consortium",
        "We bid together often, so a company we own jointly will hold the contracts.",
    ),
    (
        "informal_network",
        "For now we want to share what we know and meet each quarter.",
    ),
    (
        "shared_services",
        "Sharing a finance officer and payroll saves each of us money.",
    ),
    (
        "merger",
        "We serve the same families in the same town, and would be stronger as one.",
    ),
    (
        "group_structure",
        "We keep our local names but share a board and back office.",
    ),
];

/// Notes on due diligence areas, in the demo.
const DUE_DILIGENCE_NOTES: &[&str] = &[
    "Asked for the documents; waiting to hear back.",
    "Read through together at the last meeting.",
    "Solicitor looking at this for both boards.",
    "Nothing found that changes the plan.",
    "Raised at the steering group; see the minutes.",
];

const SHORTLIST_STORIES: &[&[(&str, &str)]] = &[
    &[("not_contacted", "Added to the shortlist.")],
    &[
        ("not_contacted", "Added to the shortlist."),
        (
            "contacted",
            "Emailed their chief officer to introduce the idea.",
        ),
    ],
    &[
        ("not_contacted", "Added to the shortlist."),
        (
            "contacted",
            "Met at the CVS network lunch; they asked for a short summary.",
        ),
        (
            "in_conversation",
            "Call booked with their chair and manager for next month.",
        ),
    ],
    &[
        ("not_contacted", "Added to the shortlist."),
        ("contacted", "Wrote to their trustees."),
        (
            "declined",
            "They are at capacity this year. Try again next spring.",
        ),
    ],
];

const GOAL_INSERT: &str = "INSERT INTO goals (organisation_id, collaboration_id, benefit, title, detail, \
    created_by, created_at, updated_at)";

/// Inserts rows of `cols` values each, many rows a statement.
async fn insert_rows(
    tx: &mut Tx,
    head: &str,
    cols: usize,
    rows: Vec<Vec<Val>>,
) -> Result<(), StoreError> {
    let per_statement = (6000 / cols).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Val>> = rows.by_ref().take(per_statement).collect();
        let one = format!("({})", placeholders(cols));
        let values = vec![one; chunk.len()].join(", ");
        let mut query = q(format!("{head} VALUES {values}"));
        for row in chunk {
            debug_assert_eq!(row.len(), cols);
            query = query.bind_all(row);
        }
        tx.exec(query).await?;
    }
    Ok(())
}

/// Fills an empty database with `organisations` organisations, one person
/// for every 20 of them (at least 10), and one collaboration for every 40
/// (at least 4). Everyone gets the same password hash.
pub async fn fill(
    store: &Store,
    organisations: i64,
    password_hash: &str,
    now: i64,
    mut progress: impl FnMut(&str, i64, i64),
) -> Result<DemoSummary, StoreError> {
    let organisations = organisations.max(10);
    let people = (organisations / 20).max(10);
    let collaborations = (organisations / 40).max(4);
    let mut check = store.read().await?;
    if check.int(q("SELECT COUNT(*) FROM organisations")).await? > 0
        || check.int(q("SELECT COUNT(*) FROM users")).await? > 0
    {
        return Err(StoreError::Other(
            "This database already has data. Run demo on a new, empty database.".into(),
        ));
    }
    drop(check);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    // Organisations. Ids are given so the rest can refer to them.
    let batch = 5000i64;
    let mut done = 0i64;
    while done < organisations {
        let n = batch.min(organisations - done);
        let mut rows = Vec::with_capacity(n as usize);
        for i in 0..n {
            let id = done + i + 1;
            let place = rng.pick(PLACES);
            let (focus, activity, cause) = *rng.pick(FOCUS);
            let suffix = rng.pick(SUFFIXES);
            let kind = *rng.pick(KINDS);
            let name = if id as usize <= PLACES.len() * 4 {
                format!("{place} {focus}{suffix}")
            } else {
                format!("{place} {focus}{suffix} No. {id}")
            };
            let charity = matches!(kind, "registered_charity" | "cio" | "charitable_company")
                .then(|| format!("{}", 1_100_000 + id));
            let company = matches!(kind, "charitable_company" | "cic")
                .then(|| format!("{:08}", 9_000_000 + id));
            let org_identifier = charity
                .as_ref()
                .map(|c| format!("GB-CHC-{c}"))
                .or_else(|| company.as_ref().map(|c| format!("GB-COH-{c}")));
            let area1 = rng.pick(AREAS);
            let area2 = rng.pick(AREAS);
            let areas = if area1 == area2 {
                area1.to_string()
            } else {
                format!("{area1}\n{area2}")
            };
            let slug: String = name
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(40)
                .collect();
            rows.push(vec![
                Val::I64(id),
                Val::Text(name.to_lowercase()),
                Val::Text(name),
                Val::Text(kind.to_string()),
                Val::OptText(charity),
                Val::OptText(company),
                Val::OptText(org_identifier),
                Val::Text(format!("We work with people across {area1}. {activity}")),
                Val::Text(activity.to_string()),
                Val::Text(areas),
                Val::Text(cause.to_string()),
                Val::OptText(Some(format!("https://{slug}.example.org"))),
                Val::I64(now),
                Val::I64(now),
            ]);
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO organisations (id, name_lower, name, kind, charity_number, company_number, org_identifier, \
             mission, activities, areas_served, causes, website, created_at, updated_at)",
            14,
            rows,
        )
        .await?;
        tx.commit().await?;
        done += n;
        progress("organisations", done, organisations);
    }

    // People, each an admin of their own organisation and a member of another.
    let mut tx = store.write().await?;
    let mut user_rows = Vec::new();
    let mut member_rows = Vec::new();
    for id in 1..=people {
        let first = rng.pick(FIRST);
        let last = rng.pick(LAST);
        let email = if id == 1 {
            "demo@example.org".to_string()
        } else {
            format!(
                "{}.{}.{id}@example.org",
                first.to_lowercase(),
                last.to_lowercase()
            )
        };
        user_rows.push(vec![
            Val::I64(id),
            Val::Text(email),
            Val::Text(format!("{first} {last}")),
            Val::Text(password_hash.to_string()),
            Val::Bool(false),
            Val::I64(now),
        ]);
        member_rows.push(vec![
            Val::I64(id),
            Val::I64(id),
            Val::Text("admin".into()),
            Val::I64(now),
        ]);
        let other = (id * 7) % people + 1;
        if other != id {
            member_rows.push(vec![
                Val::I64(other),
                Val::I64(id),
                Val::Text("member".into()),
                Val::I64(now),
            ]);
        }
    }
    // The demo person belongs to the first five organisations.
    for org in 2..=5i64.min(people) {
        if 7 % people + 1 != org {
            member_rows.push(vec![
                Val::I64(org),
                Val::I64(1),
                Val::Text("member".into()),
                Val::I64(now),
            ]);
        }
    }
    insert_rows(
        &mut tx,
        "INSERT INTO users (id, email, name, password_hash, is_operator, created_at)",
        6,
        user_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO memberships (organisation_id, user_id, role, joined_at)",
        4,
        member_rows,
    )
    .await?;
    // Each organisation with members has one goal of its own in general.
    let org_goal_rows: Vec<Vec<Val>> = (1..=people)
        .map(|org| {
            let (benefit, title) = GOALS[(org as usize * 3) % GOALS.len()];
            vec![
                Val::I64(org),
                Val::OptI64(None),
                Val::Text(benefit.into()),
                Val::Text(title.into()),
                Val::Text(String::new()),
                Val::OptI64(Some(org)),
                Val::I64(now),
                Val::I64(now),
            ]
        })
        .collect();
    insert_rows(&mut tx, GOAL_INSERT, 8, org_goal_rows).await?;
    tx.commit().await?;
    progress("people", people, people);

    // Collaborations between organisations that have members.
    let stages = ["identify", "plan", "implement", "review"];
    let mut done = 0i64;
    let mut shortlist_id = 0i64;
    while done < collaborations {
        let n = 2000.min(collaborations - done);
        let mut collab_rows = Vec::new();
        let mut part_rows = Vec::new();
        let mut invite_rows = Vec::new();
        let mut audit_rows = Vec::new();
        let mut goal_rows = Vec::new();
        let mut environment_rows = Vec::new();
        let mut benefit_risk_rows = Vec::new();
        let mut shortlist_rows = Vec::new();
        let mut shortlist_note_rows = Vec::new();
        let mut model_rows = Vec::new();
        let mut due_diligence_rows = Vec::new();
        let mut body_rows = Vec::new();
        let mut body_member_rows = Vec::new();
        let mut matrix_rows = Vec::new();
        let mut cell_rows = Vec::new();
        for i in 0..n {
            let id = done + i + 1;
            let (title, purpose) = *rng.pick(COLLAB_TITLES);
            let lead = (id - 1) % people + 1;
            let at = now - (collaborations - id) * 60;
            let drawn = stages[rng.below(4)];
            // The demo person's first collaboration is under way, with the
            // 500-task plan (see `fill_tasks`).
            let stage = if id == 1 { "implement" } else { drawn };
            collab_rows.push(vec![
                Val::I64(id),
                Val::Text(format!("{title} {id}")),
                Val::Text(purpose.to_string()),
                Val::Text(stage.to_string()),
                Val::I64(lead),
                Val::I64(at),
                Val::I64(at),
            ]);
            let mut orgs = vec![lead];
            let partners = 1 + rng.below(4);
            for _ in 0..partners {
                let org = rng.below(people as usize) as i64 + 1;
                if !orgs.contains(&org) {
                    orgs.push(org);
                }
            }
            if id % 25 == 0 && !orgs.contains(&1) {
                orgs.push(1);
            }
            for (k, org) in orgs.iter().enumerate() {
                let role = if k == 0 {
                    "lead"
                } else if k % 4 == 3 {
                    "facilitator"
                } else {
                    "partner"
                };
                part_rows.push(vec![
                    Val::I64(id),
                    Val::I64(*org),
                    Val::Text(role.into()),
                    Val::I64(at),
                ]);
                let (action, summary) = if k == 0 {
                    (
                        "collaboration.opened",
                        format!("Opened the collaboration \u{201c}{title} {id}\u{201d}."),
                    )
                } else {
                    (
                        "invitation.accepted",
                        "Accepted the invitation to join as a partner.".to_string(),
                    )
                };
                audit_rows.push(vec![
                    Val::I64(at),
                    Val::OptI64(Some(*org)),
                    Val::Text("Demo person".into()),
                    Val::OptI64(Some(*org)),
                    Val::Text(String::new()),
                    Val::OptI64(Some(id)),
                    Val::Text(action.into()),
                    Val::Text(summary),
                ]);
            }
            // Collaborations in Plan or later have chosen a model; the
            // deeper ones are part way through due diligence. Names are
            // filled in below.
            if stage != "identify" {
                let (model, reason) = DEMO_MODELS[id as usize % DEMO_MODELS.len()];
                let chosen_at = at + 30 * 86_400;
                model_rows.push(vec![
                    Val::I64(id),
                    Val::Text(model.into()),
                    Val::Text(reason.into()),
                    Val::I64(1),
                    Val::OptI64(Some(lead)),
                    Val::Text(String::new()),
                    Val::OptI64(Some(lead)),
                    Val::Text(String::new()),
                    Val::I64(chosen_at),
                ]);
                let label = commonground_domain::model::Model::parse_code(model)
                    .map(|m| m.label())
                    .unwrap_or_default();
                audit_rows.push(vec![
                    Val::I64(chosen_at),
                    Val::OptI64(Some(lead)),
                    Val::Text("Demo person".into()),
                    Val::OptI64(Some(lead)),
                    Val::Text(String::new()),
                    Val::OptI64(Some(id)),
                    Val::Text("model.chosen".into()),
                    Val::Text(format!(
                        "Chose {label} as the collaboration model, because: {reason}"
                    )),
                ]);
                if ["consortium", "group_structure", "merger"].contains(&model) {
                    use commonground_domain::due_diligence::{Area, ItemStatus};
                    for (k, area) in Area::ALL.iter().enumerate() {
                        let status = ItemStatus::ALL[(id as usize + k) % 3 + (k % 5 == 4) as usize];
                        let (owner, note) = if status == ItemStatus::NotStarted {
                            (None, "")
                        } else {
                            (
                                Some(orgs[k % orgs.len()]),
                                DUE_DILIGENCE_NOTES[(id as usize + k) % DUE_DILIGENCE_NOTES.len()],
                            )
                        };
                        due_diligence_rows.push(vec![
                            Val::I64(id),
                            Val::Text(area.code().into()),
                            Val::Text(status.code().into()),
                            Val::OptI64(owner),
                            Val::Text(note.into()),
                            Val::I64(1),
                            Val::Text("Demo person".into()),
                            Val::I64(chosen_at + k as i64 * 86_400),
                        ]);
                    }
                }
            }
            // In Plan or later: a steering group with someone from every
            // organisation (organisation n's admin is person n), chaired by
            // the lead's; and a responsibilities matrix, agreed in four
            // collaborations of five.
            if stage != "identify" {
                body_rows.push(vec![
                    Val::I64(id),
                    Val::I64(id),
                    Val::Text("Steering group".into()),
                    Val::Text(
                        "Oversees the work, the money and the risks, and settles disagreements."
                            .into(),
                    ),
                    Val::Text("consent".into()),
                    Val::I64((orgs.len() as i64 + 1) / 2),
                    Val::Text("monthly".into()),
                    Val::OptI64(Some(lead)),
                    Val::I64(1),
                    Val::OptI64(Some(lead)),
                    Val::I64(at),
                    Val::I64(at),
                ]);
                for org in &orgs {
                    body_member_rows.push(vec![Val::I64(id), Val::I64(*org), Val::I64(*org)]);
                }
                matrix_rows.push(vec![
                    Val::I64(id),
                    Val::I64(1),
                    Val::OptI64(Some(lead)),
                    Val::I64(at),
                ]);
                let agreed = id % 5 != 0;
                for (k, (key, _)) in commonground_domain::responsibilities::STANDARD_FUNCTIONS
                    .iter()
                    .enumerate()
                {
                    let accountable = orgs[k % orgs.len()];
                    let responsible = orgs[(k + 1) % orgs.len()];
                    if agreed || k > 0 {
                        cell_rows.push(vec![
                            Val::I64(id),
                            Val::Text(key.to_string()),
                            Val::I64(accountable),
                            Val::Text("accountable".into()),
                        ]);
                    }
                    if responsible != accountable {
                        cell_rows.push(vec![
                            Val::I64(id),
                            Val::Text(key.to_string()),
                            Val::I64(responsible),
                            Val::Text("responsible".into()),
                        ]);
                    }
                }
            }
            // The Identify work: a goal for each organisation, a few SWOT
            // and PESTLE items and a few benefits and risks.
            for org in &orgs {
                let (benefit, title) = *rng.pick(GOALS);
                goal_rows.push(vec![
                    Val::I64(*org),
                    Val::OptI64(Some(id)),
                    Val::Text(benefit.into()),
                    Val::Text(title.into()),
                    Val::Text(String::new()),
                    Val::OptI64(Some(*org)),
                    Val::I64(at),
                    Val::I64(at),
                ]);
            }
            for k in 0..3 {
                let (framework, category, text) =
                    ENVIRONMENT[(id as usize * 3 + k) % ENVIRONMENT.len()];
                let org = orgs[k % orgs.len()];
                environment_rows.push(vec![
                    Val::I64(id),
                    Val::I64(org),
                    Val::Text(framework.into()),
                    Val::Text(category.into()),
                    Val::Text(text.into()),
                    Val::OptI64(Some(org)),
                    Val::I64(at),
                    Val::I64(at),
                ]);
            }
            for k in 0..3 {
                // Two risks and a benefit.
                let index = if k < 2 {
                    (id as usize + k * 2) % 5
                } else {
                    5 + id as usize % 3
                };
                let (kind, code, title, likelihood, impact, note) = BENEFITS_RISKS[index];
                benefit_risk_rows.push(vec![
                    Val::I64(id),
                    Val::Text(kind.into()),
                    Val::OptText(Some(code.into())),
                    Val::Text(title.into()),
                    Val::I64(likelihood),
                    Val::I64(impact),
                    Val::OptI64(Some(orgs[k % orgs.len()])),
                    Val::Text(note.into()),
                    Val::OptI64(Some(lead)),
                    Val::I64(at),
                    Val::I64(at),
                ]);
            }
            // A shortlist in two collaborations of three: organisations
            // without members (so never taking part), each approach at its
            // own point. Names and org-ids are filled in below.
            if id % 3 != 0 && organisations > people {
                let mut picked = Vec::new();
                for k in 0..(1 + id % 3) {
                    let org = people + 1 + (id * 37 + k * 101) % (organisations - people);
                    if picked.contains(&org) {
                        continue;
                    }
                    picked.push(org);
                    shortlist_id += 1;
                    let story = SHORTLIST_STORIES[(id + k) as usize % SHORTLIST_STORIES.len()];
                    let last = story.len() as i64 - 1;
                    shortlist_rows.push(vec![
                        Val::I64(shortlist_id),
                        Val::I64(id),
                        Val::Text(format!("ORG-{org}")),
                        Val::I64(org),
                        Val::Text(String::new()),
                        Val::Text(story[story.len() - 1].0.into()),
                        Val::OptI64(Some(lead)),
                        Val::I64(at),
                        Val::I64(at + last * 86_400),
                    ]);
                    for (step, (status, note)) in story.iter().enumerate() {
                        shortlist_note_rows.push(vec![
                            Val::I64(shortlist_id),
                            Val::Text((*status).into()),
                            Val::Text((*note).into()),
                            Val::OptI64(Some(lead)),
                            Val::Text(String::new()),
                            Val::I64(at + step as i64 * 86_400),
                        ]);
                    }
                }
            }
            if id % 10 == 0 {
                let org = (lead + people / 2) % people + 1;
                if !orgs.contains(&org) {
                    invite_rows.push(vec![
                        Val::I64(id),
                        Val::I64(org),
                        Val::Text("partner".into()),
                        Val::Text(
                            "We would value your experience in this. Would you join us?".into(),
                        ),
                        Val::Text("pending".into()),
                        Val::OptI64(Some(lead)),
                        Val::OptI64(Some(lead)),
                        Val::I64(at),
                    ]);
                }
            }
        }
        let mut tx = store.write().await?;
        insert_rows(&mut tx, "INSERT INTO collaborations (id, title, purpose, stage, created_by, created_at, updated_at)", 7, collab_rows).await?;
        insert_rows(
            &mut tx,
            "INSERT INTO participants (collaboration_id, organisation_id, role, joined_at)",
            4,
            part_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO collaboration_invitations (collaboration_id, organisation_id, role, message, status, invited_by, invited_by_organisation_id, created_at)",
            8,
            invite_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO audit_events (at, user_id, user_name, acting_organisation_id, acting_organisation_name, collaboration_id, action, summary)",
            8,
            audit_rows,
        )
        .await?;
        insert_rows(&mut tx, GOAL_INSERT, 8, goal_rows).await?;
        insert_rows(
            &mut tx,
            "INSERT INTO environment_items (collaboration_id, organisation_id, framework, category, text, \
             created_by, created_at, updated_at)",
            8,
            environment_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO benefits_risks (collaboration_id, kind, catalogue_code, title, likelihood, impact, \
             owner_organisation_id, note, created_by, created_at, updated_at)",
            11,
            benefit_risk_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO shortlist_entries (id, collaboration_id, entry_key, organisation_id, name, status, \
             added_by, added_at, updated_at)",
            9,
            shortlist_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO shortlist_notes (entry_id, status, note, written_by, written_by_name, written_at)",
            6,
            shortlist_note_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO collaboration_models (collaboration_id, model, reason, version, chosen_by, \
             chosen_by_name, organisation_id, organisation_name, chosen_at)",
            9,
            model_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO due_diligence_items (collaboration_id, area, status, owner_organisation_id, note, \
             version, updated_by_name, updated_at)",
            8,
            due_diligence_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO governance_bodies (id, collaboration_id, name, purpose, decision_rule, quorum, meets, \
             chair_user_id, version, created_by, created_at, updated_at)",
            12,
            body_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO governance_members (body_id, user_id, organisation_id)",
            3,
            body_member_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO responsibility_matrices (collaboration_id, version, updated_by, updated_at)",
            4,
            matrix_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO responsibility_cells (collaboration_id, function_key, organisation_id, role)",
            4,
            cell_rows,
        )
        .await?;
        tx.commit().await?;
        done += n;
        progress("collaborations", done, collaborations);
    }
    // Name the acting organisation in the demo trail, and the person.
    let mut tx = store.write().await?;
    tx.exec(q(
        "UPDATE audit_events SET acting_organisation_name = (SELECT name FROM organisations o WHERE o.id = audit_events.acting_organisation_id), \
         user_name = (SELECT name FROM users u WHERE u.id = audit_events.user_id) WHERE acting_organisation_name = ''",
    ))
    .await?;
    // Shortlist entries carry their organisation's name and org-id, notes
    // their writer's name.
    tx.exec(q(
        "UPDATE shortlist_entries SET name = (SELECT o.name FROM organisations o WHERE o.id = shortlist_entries.organisation_id), \
         org_identifier = (SELECT o.org_identifier FROM organisations o WHERE o.id = shortlist_entries.organisation_id) \
         WHERE name = ''",
    ))
    .await?;
    tx.exec(q(
        "UPDATE shortlist_entries SET entry_key = org_identifier WHERE org_identifier IS NOT NULL",
    ))
    .await?;
    tx.exec(q(
        "UPDATE collaboration_models SET chosen_by_name = (SELECT u.name FROM users u WHERE u.id = collaboration_models.chosen_by), \
         organisation_name = (SELECT o.name FROM organisations o WHERE o.id = collaboration_models.organisation_id) \
         WHERE chosen_by_name = ''",
    ))
    .await?;
    tx.exec(q(
        "UPDATE shortlist_notes SET written_by_name = (SELECT u.name FROM users u WHERE u.id = shortlist_notes.written_by) \
         WHERE written_by_name = ''",
    ))
    .await?;
    tx.commit().await?;
    fill_readiness(store, &mut rng, now).await?;
    fill_plan(store, now).await?;
    fill_tasks(store, now).await?;
    fill_recurring(store, now).await?;
    fill_relationships(store, now).await?;
    fill_risks(store, now).await?;
    fill_problems_decisions(store, now).await?;
    fill_comms(store, now).await?;
    fill_proposals(store, now).await?;
    fill_health_checks(store, now).await?;
    fill_large_round(store, now).await?;
    fill_outcomes(store, now).await?;
    fill_forward(store, now).await?;
    // The reminders the notification job would make today, in the app
    // only: a demo should not send a pile of emails when it first runs.
    let mut tx = store.write().await?;
    let day = 86_400;
    let today = implement::iso_day(now.div_euclid(day));
    let soon =
        implement::iso_day(now.div_euclid(day) + commonground_domain::notifications::DUE_SOON_DAYS);
    tx.create_task_reminders(&today, &soon, now).await?;
    tx.create_vote_reminders(&today, &soon, now).await?;
    tx.exec(q("UPDATE notifications SET email_state = 'none'"))
        .await?;
    tx.commit().await?;
    store.reset_sequences().await?;
    // A bulk load leaves the planner guessing: without fresh statistics
    // PostgreSQL scans whole tables where an index would do.
    store.analyze().await?;
    Ok(DemoSummary {
        organisations,
        people,
        collaborations,
        example_email: "demo@example.org".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use commonground_domain::benefits_risks::{BenefitRiskDetails, BenefitRiskInput};
    use commonground_domain::environment::EnvironmentDetails;
    use commonground_domain::goals::GoalDetails;

    /// The demo's Identify rows are what the forms would accept.
    #[test]
    fn demo_identify_rows_are_valid() {
        for (benefit, title) in GOALS {
            GoalDetails::parse(benefit, title, "").unwrap();
        }
        for (framework, category, text) in ENVIRONMENT {
            EnvironmentDetails::parse(Some(framework), category, text).unwrap();
        }
        for (kind, code, title, likelihood, impact, note) in BENEFITS_RISKS {
            let d = BenefitRiskDetails::parse(&BenefitRiskInput {
                kind,
                catalogue_code: code,
                title: "",
                likelihood: Some(*likelihood),
                impact: Some(*impact),
                note,
            })
            .unwrap();
            assert_eq!(d.title, *title, "{code} has the catalogue's title");
        }
        for (model, reason) in DEMO_MODELS {
            commonground_domain::model::ModelChoice::parse(model, reason, "0").unwrap();
        }
        assert_eq!(
            DEMO_MODELS.len(),
            commonground_domain::model::Model::ALL.len(),
            "every model appears in the demo"
        );
        for note in DUE_DILIGENCE_NOTES {
            commonground_domain::due_diligence::ItemChange::parse("done", "", note, "1").unwrap();
        }
        for (title, category, likelihood, impact, mitigation) in implement::DEMO_RISKS {
            commonground_domain::risks::RiskFields::parse(&commonground_domain::risks::RiskInput {
                title,
                category,
                likelihood: &likelihood.to_string(),
                impact: &impact.to_string(),
                mitigation,
                ..Default::default()
            })
            .unwrap();
        }
        for story in SHORTLIST_STORIES {
            assert_eq!(story[0], ("not_contacted", "Added to the shortlist."));
            for (status, note) in *story {
                commonground_domain::shortlist::StatusChange::parse(status, note).unwrap();
            }
        }
    }
}
