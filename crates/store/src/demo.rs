//! Realistic fictional data for trying Common Ground and for benchmarks.
//! Deterministic: the same size gives the same data.

use crate::db::{Tx, Val, placeholders, q};
use crate::{Store, StoreError};

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
    fill_risks(store, now).await?;
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

const WORKSTREAMS: &[(&str, &str)] = &[
    (
        "Outreach",
        "Reaching the families and groups the work is for.",
    ),
    ("Premises", "Rooms, kitchens and storage."),
    (
        "Volunteers",
        "Recruiting, training and thanking volunteers.",
    ),
    ("Funding", "Bids, reports to funders and the shared budget."),
    ("Delivery", "Running the sessions themselves."),
];

const TASKS: &[&str] = &[
    "Agree the referral route with the schools",
    "Book the hall for the summer",
    "Print leaflets in three languages",
    "Recruit session volunteers",
    "Run the volunteer induction",
    "Order food for the first month",
    "Write the safeguarding procedure",
    "Send the funder's quarterly report",
    "Set up the shared sign-up sheet",
    "Hold the partners' review meeting",
    "Check the kitchen hygiene rating",
    "Draft the joint press release",
    "Collect feedback from families",
    "Update the shared budget",
];

/// Days since 1970-01-01 as `YYYY-MM-DD`.
fn iso_day(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// An action plan for every collaboration in Implement or later: two or
/// three workstreams and 10 to 40 tasks with dependencies, some done, some
/// overdue. The demo person's first collaboration gets 500 tasks in five
/// workstreams, to see the lists at scale (and for the benchmark).
async fn fill_tasks(store: &Store, now: i64) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    let rows: Vec<(i64, i64)> = tx
        .all(q("SELECT c.id, p.organisation_id FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id \
             WHERE c.stage IN ('implement', 'review') ORDER BY c.id, p.organisation_id"))
        .await?;
    drop(tx);
    let mut plans: Vec<(i64, Vec<i64>)> = Vec::new();
    for (c, org) in rows {
        match plans.last_mut() {
            Some((last, orgs)) if *last == c => orgs.push(org),
            _ => plans.push((c, vec![org])),
        }
    }
    let today = now.div_euclid(86_400);
    let (mut ws_id, mut task_id) = (0i64, 0i64);
    for chunk in plans.chunks(200) {
        let (mut ws_rows, mut task_rows, mut dep_rows) = (Vec::new(), Vec::new(), Vec::new());
        for (c, orgs) in chunk {
            let (streams, n) = if *c == 1 {
                (5, 500)
            } else {
                (2 + (*c as usize % 2), 10 + (*c * 7) % 31)
            };
            let first_ws = ws_id + 1;
            for (name, description) in WORKSTREAMS.iter().take(streams) {
                ws_id += 1;
                ws_rows.push(vec![
                    Val::I64(ws_id),
                    Val::I64(*c),
                    Val::Text((*name).into()),
                    Val::Text((*description).into()),
                    Val::I64(now),
                ]);
            }
            let first_task = task_id + 1;
            // Whether each task is still open, to keep "done" honest.
            let mut open: Vec<bool> = Vec::new();
            for k in 0..n {
                task_id += 1;
                let stream = k % streams as i64;
                let start = today - 90 + k * 400 / n + (*c % 7);
                let milestone = k % 10 == 9;
                let due = if milestone {
                    start
                } else {
                    start + 3 + (k * 5 + *c) % 28
                };
                let status = if due < today {
                    match k % 6 {
                        0 => "in_progress",
                        5 => "cancelled",
                        _ => "done",
                    }
                } else if start <= today {
                    if k % 5 == 0 { "blocked" } else { "in_progress" }
                } else {
                    "not_started"
                };
                // Each task after the first few in its workstream depends on
                // the one before it there; every other one also on the task
                // just before it overall. Always on earlier tasks: no loops.
                let mut deps = Vec::new();
                if k >= streams as i64 {
                    deps.push(k - streams as i64);
                }
                if k % 2 == 1 && k >= 1 && !deps.contains(&(k - 1)) {
                    deps.push(k - 1);
                }
                let waits = deps.iter().any(|d| open[*d as usize]);
                let reason = if status == "done" && waits {
                    "Went ahead while the earlier task was being finished."
                } else {
                    ""
                };
                open.push(!matches!(status, "done" | "cancelled"));
                let owner = orgs[(k as usize) % orgs.len()];
                let title = format!(
                    "{} ({})",
                    TASKS[(k as usize + *c as usize) % TASKS.len()],
                    k + 1
                );
                task_rows.push(vec![
                    Val::I64(task_id),
                    Val::I64(*c),
                    Val::OptI64(Some(first_ws + stream)),
                    Val::Text(title),
                    Val::Text(String::new()),
                    Val::I64(owner),
                    // The owner organisation's admin (same id in the demo),
                    // for two tasks in three.
                    Val::OptI64((k % 3 != 0).then_some(owner)),
                    Val::OptText(Some(iso_day(start))),
                    Val::OptText(Some(iso_day(due))),
                    Val::Text(status.into()),
                    Val::Bool(milestone),
                    Val::Text(reason.into()),
                    Val::I64(1),
                    Val::Text("Demo person".into()),
                    Val::I64(now),
                    Val::I64(now),
                ]);
                for d in deps {
                    dep_rows.push(vec![
                        Val::I64(task_id),
                        Val::I64(first_task + d),
                        Val::I64(*c),
                    ]);
                }
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO workstreams (id, collaboration_id, name, description, created_at)",
            5,
            ws_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO tasks (id, collaboration_id, workstream_id, title, description, owner_organisation_id, \
             assignee_id, start_on, due_on, status, milestone, done_reason, version, updated_by_name, \
             created_at, updated_at)",
            16,
            task_rows,
        )
        .await?;
        insert_rows(
            &mut tx,
            "INSERT INTO task_dependencies (task_id, depends_on_id, collaboration_id)",
            3,
            dep_rows,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The readiness check taken in one collaboration in five, and in every
/// collaboration one of the demo person's organisations takes part in: up to two
/// people from each organisation answer, so the results show.
async fn fill_readiness(store: &Store, rng: &mut Rng, now: i64) -> Result<(), StoreError> {
    let mut tx = store.read().await?;
    let statements: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT s.id, f.group_id FROM readiness_statements s JOIN readiness_factors f ON f.id = s.factor_id \
             WHERE f.group_id IN (SELECT id FROM readiness_groups WHERE instrument_id = \
               (SELECT id FROM readiness_instruments ORDER BY version DESC LIMIT 1)) ORDER BY s.id",
        ))
        .await?;
    let instrument: i64 = tx
        .int(q(
            "SELECT id FROM readiness_instruments ORDER BY version DESC LIMIT 1",
        ))
        .await?;
    let taking_part: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT collaboration_id, organisation_id FROM participants \
             WHERE collaboration_id IN (SELECT collaboration_id FROM participants WHERE organisation_id IN \
               (SELECT organisation_id FROM memberships WHERE user_id = 1)) \
                OR collaboration_id - (collaboration_id / 5) * 5 = 0 \
             ORDER BY collaboration_id, organisation_id",
        ))
        .await?;
    let memberships: Vec<(i64, i64)> = tx
        .all(q(
            "SELECT organisation_id, user_id FROM memberships ORDER BY organisation_id, user_id",
        ))
        .await?;
    drop(tx);
    let mut members: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for (org, user) in memberships {
        let list = members.entry(org).or_default();
        if list.len() < 2 {
            list.push(user);
        }
    }

    let mut round_rows = Vec::new();
    let mut answer_rows = Vec::new();
    let mut last = None;
    for (collab, org) in taking_part {
        if last != Some(collab) {
            last = Some(collab);
            round_rows.push(vec![
                Val::I64(collab),
                Val::I64(collab),
                Val::I64(1),
                Val::I64(instrument),
                Val::I64(now),
            ]);
        }
        // Each collaboration leans one way per group; people vary around it.
        let mut lean = [0i64; 8];
        let mut c = Rng(collab as u64 * 2654435761 + 1);
        for l in lean.iter_mut() {
            *l = 2 + c.below(3) as i64;
        }
        for user in members.get(&org).into_iter().flatten() {
            for (statement, group) in &statements {
                let value = if rng.below(12) == 0 {
                    Val::OptI64(None)
                } else {
                    let v = lean[(*group as usize) % 8] + rng.below(3) as i64 - 1
                        + (rng.below(4) == 0) as i64;
                    Val::OptI64(Some(v.clamp(1, 5)))
                };
                answer_rows.push(vec![
                    Val::I64(collab),
                    Val::I64(*user),
                    Val::I64(*statement),
                    Val::I64(org),
                    value,
                    Val::I64(now),
                ]);
            }
        }
    }
    let mut tx = store.write().await?;
    insert_rows(
        &mut tx,
        "INSERT INTO readiness_rounds (id, collaboration_id, number, instrument_id, opened_at)",
        5,
        round_rows,
    )
    .await?;
    // A person in two of the collaboration's organisations answers once.
    let mut seen = std::collections::HashSet::new();
    answer_rows.retain(|r| match (&r[0], &r[1], &r[2]) {
        (Val::I64(c), Val::I64(u), Val::I64(s)) => seen.insert((*c, *u, *s)),
        _ => true,
    });
    insert_rows(
        &mut tx,
        "INSERT INTO readiness_answers (round_id, user_id, statement_id, organisation_id, value, answered_at)",
        6,
        answer_rows,
    )
    .await?;
    tx.commit().await
}

/// The shared aims the demo's collaborations in Plan or later agree.
const AIMS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "More people reached by what we do together",
        "People using the joint service each quarter",
        "0",
        "400",
        "2027-03-31",
    ),
    (
        "Lower running costs for every partner",
        "Shared costs as a share of each partner's budget",
        "12%",
        "8%",
        "2027-09-30",
    ),
];

/// The changes partners make to the demo agreement after it starts:
/// (section, text), one version each.
const AGREEMENT_EDITS: &[(&str, &str)] = &[
    (
        "principles",
        "We will be open with each other, share bad news early, and decide together.\n\nEach partner keeps its own identity and independence.",
    ),
    (
        "money_and_resources",
        "- The lead holds the joint grant and passes on each partner's share within 30 days.\n- Each partner gives one day a week of a manager's time.",
    ),
    (
        "term",
        "This agreement runs for two years from the date every partner approves it, then continues until a partner gives notice.",
    ),
];

/// Aims and an agreement for every collaboration in Plan or later: two
/// aims approved by every lead and partner organisation; a collaboration
/// agreement with four versions, approved by all of them in most
/// collaborations and by all but one in every third, so both states show.
async fn fill_plan(store: &Store, now: i64) -> Result<(), StoreError> {
    use commonground_domain::agreements::{
        AgreementKind, AimFact, Facts, PartyFact, starting_sections,
    };
    let mut tx = store.read().await?;
    let collabs: Vec<(i64, String, String)> = tx
        .all(q(
            "SELECT id, title, purpose FROM collaborations WHERE stage IN ('plan', 'implement', 'review') ORDER BY id",
        ))
        .await?;
    let parties: Vec<(i64, i64, String, Option<String>, String)> = tx
        .all(q(
            "SELECT p.collaboration_id, o.id, o.name, o.org_identifier, p.role FROM participants p \
             JOIN organisations o ON o.id = p.organisation_id \
             JOIN collaborations c ON c.id = p.collaboration_id \
             WHERE p.role IN ('lead', 'partner') AND c.stage IN ('plan', 'implement', 'review') \
             ORDER BY p.collaboration_id, p.role, o.id",
        ))
        .await?;
    let admins: Vec<(i64, i64, String)> = tx
        .all(q(
            "SELECT m.organisation_id, MIN(u.id), MIN(u.name) FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.role = 'admin' GROUP BY m.organisation_id ORDER BY m.organisation_id",
        ))
        .await?;
    drop(tx);
    let admins: std::collections::HashMap<i64, (i64, String)> =
        admins.into_iter().map(|(o, u, n)| (o, (u, n))).collect();
    // Per collaboration: (organisation, name, org-id, is lead).
    type Party = (i64, String, Option<String>, bool);
    let mut by_collab: std::collections::HashMap<i64, Vec<Party>> =
        std::collections::HashMap::new();
    for (c, org, name, ident, role) in parties {
        by_collab
            .entry(c)
            .or_default()
            .push((org, name, ident, role == "lead"));
    }
    let (mut aim_rows, mut set_rows, mut aim_approval_rows) = (Vec::new(), Vec::new(), Vec::new());
    let (mut agreement_rows, mut section_rows, mut revision_rows) =
        (Vec::new(), Vec::new(), Vec::new());
    let (mut version_rows, mut approval_rows) = (Vec::new(), Vec::new());
    for (c, title, purpose) in collabs {
        let ps = by_collab.remove(&c).unwrap_or_default();
        let at = now - 30 * 86_400;
        for (t, indicator, baseline, target, date) in AIMS {
            aim_rows.push(vec![
                Val::I64(c),
                Val::Text((*t).into()),
                Val::Text((*indicator).into()),
                Val::Text((*baseline).into()),
                Val::Text((*target).into()),
                Val::OptText(Some((*date).into())),
                Val::I64(at),
                Val::I64(at),
                Val::I64(1),
            ]);
        }
        set_rows.push(vec![Val::I64(c), Val::I64(AIMS.len() as i64), Val::I64(at)]);
        let facts = Facts {
            title,
            purpose,
            parties: ps
                .iter()
                .map(|(_, name, ident, lead)| PartyFact {
                    name: name.clone(),
                    org_identifier: ident.clone(),
                    lead: *lead,
                })
                .collect(),
            aims: AIMS
                .iter()
                .map(|(t, i, b, tg, d)| AimFact {
                    title: (*t).into(),
                    indicator: (*i).into(),
                    baseline: (*b).into(),
                    target: (*tg).into(),
                    target_date: Some((*d).into()),
                })
                .collect(),
            ..Default::default()
        };
        let mut sections = starting_sections(AgreementKind::CollaborationAgreement, &facts);
        let first_by = ps
            .first()
            .and_then(|p| admins.get(&p.0))
            .cloned()
            .unwrap_or((0, String::new()));
        let hash_of = |s: &[(&str, &str, String)]| {
            crate::agreements::content_hash(s.iter().map(|(k, _, t)| (*k, t.as_str())))
        };
        let mut hash = hash_of(&sections);
        for (position, (key, t, text)) in sections.iter().enumerate() {
            section_rows.push((c, *key, position as i64, *t, text.clone()));
            revision_rows.push(vec![
                Val::I64(c),
                Val::Text((*key).into()),
                Val::I64(1),
                Val::Text(text.clone()),
            ]);
        }
        let by = |u: i64| {
            if u > 0 {
                Val::OptI64(Some(u))
            } else {
                Val::OptI64(None)
            }
        };
        version_rows.push(vec![
            Val::I64(c),
            Val::I64(1),
            Val::OptText(None),
            Val::Text(hash.clone()),
            by(first_by.0),
            Val::Text(first_by.1.clone()),
            Val::I64(at),
        ]);
        let mut version = 1i64;
        for (step, (key, text)) in AGREEMENT_EDITS.iter().enumerate() {
            version += 1;
            let editor = ps
                .get((step + 1) % ps.len().max(1))
                .and_then(|p| admins.get(&p.0))
                .cloned()
                .unwrap_or_else(|| first_by.clone());
            if let Some(s) = sections.iter_mut().find(|s| s.0 == *key) {
                s.2 = (*text).to_string();
            }
            hash = hash_of(&sections);
            revision_rows.push(vec![
                Val::I64(c),
                Val::Text((*key).into()),
                Val::I64(version),
                Val::Text((*text).into()),
            ]);
            version_rows.push(vec![
                Val::I64(c),
                Val::I64(version),
                Val::OptText(Some((*key).into())),
                Val::Text(hash.clone()),
                by(editor.0),
                Val::Text(editor.1),
                Val::I64(at + (step as i64 + 1) * 86_400),
            ]);
            if let Some(row) = section_rows
                .iter_mut()
                .rev()
                .find(|r| r.0 == c && r.1 == *key)
            {
                row.4 = (*text).to_string();
            }
        }
        // Section rows carry the version each last changed in.
        agreement_rows.push(vec![
            Val::I64(c),
            Val::I64(c),
            Val::Text(AgreementKind::CollaborationAgreement.code().into()),
            Val::I64(version),
            Val::Text(hash.clone()),
            by(first_by.0),
            Val::I64(at),
            Val::I64(at + version * 86_400),
        ]);
        let holdout = if c % 3 == 0 {
            ps.last().map(|p| p.0)
        } else {
            None
        };
        for (org, name, _, _) in &ps {
            let Some((user, user_name)) = admins.get(org) else {
                continue;
            };
            aim_approval_rows.push(vec![
                Val::I64(c),
                Val::I64(*org),
                Val::Text(name.clone()),
                Val::I64(AIMS.len() as i64),
                Val::I64(0),
                Val::OptI64(Some(*user)),
                Val::Text(user_name.clone()),
                Val::I64(at + 86_400),
            ]);
            // Everyone approved the second version; then the text changed.
            let approved: &[i64] = if Some(*org) == holdout {
                &[2]
            } else {
                &[2, version]
            };
            for v in approved {
                approval_rows.push(vec![
                    Val::I64(c),
                    Val::I64(*org),
                    Val::Text(name.clone()),
                    Val::I64(*v),
                    Val::Text(String::new()),
                    Val::I64(0),
                    Val::OptI64(Some(*user)),
                    Val::Text(user_name.clone()),
                    Val::I64(at + (v + 1) * 86_400),
                ]);
            }
        }
    }
    let section_rows: Vec<Vec<Val>> = section_rows
        .into_iter()
        .map(|(c, key, position, title, text)| {
            let changed_in = AGREEMENT_EDITS
                .iter()
                .position(|(k, _)| *k == key)
                .map(|i| i as i64 + 2)
                .unwrap_or(1);
            vec![
                Val::I64(c),
                Val::Text(key.into()),
                Val::I64(position),
                Val::Text(title.into()),
                Val::Text(text),
                Val::I64(changed_in),
            ]
        })
        .collect();
    let mut tx = store.write().await?;
    insert_rows(
        &mut tx,
        "INSERT INTO aims (collaboration_id, title, indicator, baseline, target, target_date, created_at, updated_at, version)",
        9,
        aim_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO aim_sets (collaboration_id, version, updated_at)",
        3,
        set_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO aim_approvals (collaboration_id, organisation_id, organisation_name, version, parties_epoch, \
         approved_by, approved_by_name, approved_at)",
        8,
        aim_approval_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreements (id, collaboration_id, kind, version, content_hash, created_by, created_at, updated_at)",
        8,
        agreement_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_sections (agreement_id, section_key, position, title, text, version)",
        6,
        section_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_revisions (agreement_id, section_key, version, text)",
        4,
        revision_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_versions (agreement_id, version, section_key, content_hash, saved_by, saved_by_name, saved_at)",
        7,
        version_rows,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO agreement_approvals (agreement_id, organisation_id, organisation_name, version, content_hash, \
         parties_epoch, approved_by, approved_by_name, approved_at)",
        9,
        approval_rows,
    )
    .await?;
    // Each approval records the content hash of the version it approved.
    tx.exec(q(
        "UPDATE agreement_approvals SET content_hash = (SELECT v.content_hash FROM agreement_versions v \
         WHERE v.agreement_id = agreement_approvals.agreement_id AND v.version = agreement_approvals.version) \
         WHERE content_hash = ''",
    ))
    .await?;
    tx.commit().await
}

/// Risks of the demo's own, beyond the common challenges: (title,
/// category, likelihood, impact, mitigation).
const DEMO_RISKS: &[(&str, &str, u8, u8, &str)] = &[
    (
        "The venue lease is not renewed",
        "delivery",
        2,
        4,
        "Ask the landlord about renewal six months early. Keep a list of other halls.",
    ),
    (
        "Volunteers drop away over the summer",
        "people",
        4,
        2,
        "Plan a lighter summer rota. Thank volunteers in person each month.",
    ),
    (
        "Referral partners send more families than we can help",
        "delivery",
        3,
        3,
        "Agree a weekly limit with referrers. Keep a waiting list with dates.",
    ),
    (
        "Local press reports a complaint unfairly",
        "reputation",
        2,
        3,
        "Name one spokesperson. Agree a short statement the partners can all use.",
    ),
    (
        "Shared spreadsheet holds more personal data than needed",
        "legal",
        3,
        4,
        "",
    ),
    (
        "Match funding is not confirmed in time",
        "money",
        3,
        4,
        "Apply to two funders. Tell the main funder early if it is late.",
    ),
];

/// A risk register for every collaboration in Implement or later: the six
/// common challenges (with their source, so "Add suggested risks" does
/// not offer them again) and two to six risks of its own, 8 to 12 in all.
/// Some reviews are overdue, one risk is closed, one has no mitigation yet.
async fn fill_risks(store: &Store, now: i64) -> Result<(), StoreError> {
    use commonground_domain::risks::{CHALLENGES, score};
    let mut tx = store.read().await?;
    let rows: Vec<(i64, i64)> = tx
        .all(q("SELECT c.id, p.organisation_id FROM collaborations c \
             JOIN participants p ON p.collaboration_id = c.id \
             WHERE c.stage IN ('implement', 'review') AND p.role IN ('lead', 'partner') \
             ORDER BY c.id, p.organisation_id"))
        .await?;
    drop(tx);
    let mut registers: Vec<(i64, Vec<i64>)> = Vec::new();
    for (c, org) in rows {
        match registers.last_mut() {
            Some((last, orgs)) if *last == c => orgs.push(org),
            _ => registers.push((c, vec![org])),
        }
    }
    let today = now.div_euclid(86_400);
    for chunk in registers.chunks(200) {
        let mut risk_rows = Vec::new();
        for (c, orgs) in chunk {
            let own = 2 + (*c as usize % 5);
            let mut k = 0usize;
            let mut push = |title: &str,
                            description: &str,
                            category: &str,
                            likelihood: u8,
                            impact: u8,
                            mitigation: &str,
                            source: Option<String>| {
                // Reviews every few weeks; the second and fifth are late.
                let review = if k == 1 || k == 4 {
                    today - 10 - (*c % 20)
                } else {
                    today + 14 + (k as i64 * 9)
                };
                let status = match k {
                    0 | 2 => "being_managed",
                    7 => "closed",
                    _ => "open",
                };
                let owner = orgs[k % orgs.len()];
                risk_rows.push(vec![
                    Val::I64(*c),
                    Val::Text(title.into()),
                    Val::Text(description.into()),
                    Val::Text(category.into()),
                    Val::I64(i64::from(likelihood)),
                    Val::I64(i64::from(impact)),
                    Val::I64(i64::from(score(likelihood, impact))),
                    Val::OptI64(Some(owner)),
                    // The owner organisation's admin (same id in the demo),
                    // for risks with an even number.
                    Val::OptI64(k.is_multiple_of(2).then_some(owner)),
                    Val::Text(mitigation.into()),
                    Val::OptText(Some(iso_day(review))),
                    Val::Text(status.into()),
                    Val::OptText(source),
                    Val::I64(1),
                    Val::Text("Demo person".into()),
                    Val::I64(now),
                    Val::I64(now),
                ]);
                k += 1;
            };
            for ch in CHALLENGES {
                push(
                    ch.title,
                    ch.description,
                    ch.category,
                    ch.likelihood,
                    ch.impact,
                    ch.mitigation,
                    Some(format!("common:{}", ch.code)),
                );
            }
            for (title, category, likelihood, impact, mitigation) in DEMO_RISKS.iter().take(own) {
                push(title, "", category, *likelihood, *impact, mitigation, None);
            }
        }
        let mut tx = store.write().await?;
        insert_rows(
            &mut tx,
            "INSERT INTO risks (collaboration_id, title, description, category, likelihood, impact, score, \
             owner_organisation_id, owner_person_id, mitigation, review_on, status, source, version, \
             updated_by_name, created_at, updated_at)",
            17,
            risk_rows,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(())
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
        for (title, category, likelihood, impact, mitigation) in DEMO_RISKS {
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
