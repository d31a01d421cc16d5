//! The collaboration model: how closely the partners tie themselves
//! together, from an informal network to a merger.
//!
//! The models and the scale of working together are data here, with plain
//! words on what each means. A short set of questions suggests one model,
//! with the reasons that led to it ([`suggest`]); the partners then record
//! the model they choose and why ([`ModelChoice::parse`]).
//!
//! Rules decided here:
//! - Every complete set of answers suggests exactly one model, with at
//!   least one reason. Each answer gives points to the models it fits, with
//!   the reason; the model with most points wins, and a tie goes to the
//!   lighter model (less to undo if it does not work out).
//! - The deeper models (a consortium with its own legal vehicle, a group
//!   structure, a merger) need a due diligence exercise.
//! - A choice needs a reason, and says which earlier choice it replaces
//!   (its version, 0 for none), so a choice made meanwhile by someone else
//!   is never overwritten silently.

use crate::errors::FieldErrors;
use crate::values::required_line;
use serde::{Deserialize, Serialize};

/// How far organisations go in working together: the usual scale, from
/// sharing information to sharing risks and resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    Networking,
    Coordinating,
    Cooperating,
    Collaborating,
}

impl Degree {
    pub const ALL: [Degree; 4] = [
        Degree::Networking,
        Degree::Coordinating,
        Degree::Cooperating,
        Degree::Collaborating,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Degree::Networking => "networking",
            Degree::Coordinating => "coordinating",
            Degree::Cooperating => "cooperating",
            Degree::Collaborating => "collaborating",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Degree::Networking => "Networking",
            Degree::Coordinating => "Coordinating",
            Degree::Cooperating => "Cooperating",
            Degree::Collaborating => "Collaborating",
        }
    }

    /// What working together at this degree looks like.
    pub fn meaning(self) -> &'static str {
        match self {
            Degree::Networking => {
                "Swapping information and news so each of you knows what the others do. Nobody changes how they work."
            }
            Degree::Coordinating => {
                "Swapping information and also adjusting what you each do, so services fit together and do not overlap."
            }
            Degree::Cooperating => {
                "Coordinating and also sharing resources: staff time, space, money or equipment, for a shared purpose."
            }
            Degree::Collaborating => {
                "Cooperating and also sharing risks, responsibilities and rewards, and helping each other get stronger. The deepest forms combine the organisations themselves."
            }
        }
    }
}

/// The ways of working together used in UK voluntary sector practice,
/// from the loosest to the most binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    InformalNetwork,
    JointProject,
    LeadPartner,
    SharedServices,
    Consortium,
    GroupStructure,
    Merger,
}

/// Plain words on one model, for the page that explains them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub what_it_is: &'static str,
    pub suits: &'static str,
    pub costs: &'static str,
    pub governance: &'static str,
    pub trustees: &'static str,
    pub staff: &'static str,
    pub money: &'static str,
    pub independence: &'static str,
    /// Whether and how the Charity Commission is involved.
    pub charity_commission: &'static str,
    /// What checking each other out involves.
    pub due_diligence: &'static str,
}

impl Model {
    /// Loosest first.
    pub const ALL: [Model; 7] = [
        Model::InformalNetwork,
        Model::JointProject,
        Model::LeadPartner,
        Model::SharedServices,
        Model::Consortium,
        Model::GroupStructure,
        Model::Merger,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Model::InformalNetwork => "informal_network",
            Model::JointProject => "joint_project",
            Model::LeadPartner => "lead_partner",
            Model::SharedServices => "shared_services",
            Model::Consortium => "consortium",
            Model::GroupStructure => "group_structure",
            Model::Merger => "merger",
        }
    }

    pub fn parse_code(code: &str) -> Option<Model> {
        Self::ALL.into_iter().find(|m| m.code() == code.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Model::InformalNetwork => "Informal network",
            Model::JointProject => "Joint project or joint delivery",
            Model::LeadPartner => "Lead partner with sub-contracts",
            Model::SharedServices => "Shared back-office services",
            Model::Consortium => "Consortium with its own legal vehicle",
            Model::GroupStructure => "Group structure",
            Model::Merger => "Merger",
        }
    }

    /// Where the model sits on the scale of working together.
    pub fn degree(self) -> Degree {
        match self {
            Model::InformalNetwork => Degree::Networking,
            Model::JointProject => Degree::Coordinating,
            Model::LeadPartner | Model::SharedServices => Degree::Cooperating,
            Model::Consortium | Model::GroupStructure | Model::Merger => Degree::Collaborating,
        }
    }

    /// The deeper models, which need a due diligence exercise.
    pub fn needs_due_diligence(self) -> bool {
        matches!(
            self,
            Model::Consortium | Model::GroupStructure | Model::Merger
        )
    }

    /// One line, shown beside the model where people choose it.
    pub fn hint(self) -> &'static str {
        self.profile().what_it_is
    }

    pub fn profile(self) -> Profile {
        match self {
            Model::InformalNetwork => Profile {
                what_it_is: "Organisations that meet, share news and ideas, and sometimes speak together, without any contract between them.",
                suits: "Getting to know each other, spotting gaps and overlaps, and building trust before anything bigger.",
                costs: "Little more than people's time for meetings and keeping in touch.",
                governance: "No formal governance. Someone agrees to convene and keep notes; the network may have simple terms of reference.",
                trustees: "Each board stays responsible for its own organisation only. Trustees should know what staff say on the network's behalf.",
                staff: "Nobody changes employer. Staff give some time to the network.",
                money: "No money changes hands, or only small shared costs such as room hire.",
                independence: "Fully kept. Any organisation can leave at any time.",
                charity_commission: "Not involved.",
                due_diligence: "Not needed. A simple check of each other's values and reputation is enough.",
            },
            Model::JointProject => Profile {
                what_it_is: "Two or more organisations run one project or service together, each doing its part, usually for a set time.",
                suits: "A piece of work with a clear end, such as a pilot, a campaign or a joint event, where each partner brings something different.",
                costs: "Time to plan and run the project together, and to write a partnership agreement or memorandum of understanding.",
                governance: "A project steering group with a member from each partner, working to an agreement that says who decides what.",
                trustees: "Each board approves taking part and keeps an eye on the risk to its own charity, including whether the project fits its objects.",
                staff: "Staff stay with their own employer and work on the project as agreed. Managing people across organisations needs care.",
                money: "Each partner usually pays its own costs, or a joint grant is split as the agreement says.",
                independence: "Kept, apart from what the project agreement binds each partner to.",
                charity_commission: "Not involved, as long as the work is within each charity's objects.",
                due_diligence: "Light: check each partner's track record, policies (safeguarding, data protection) and finances in proportion to the risk.",
            },
            Model::LeadPartner => Profile {
                what_it_is: "One organisation holds the contract or grant and passes parts of the work, and the money for it, to the others under sub-contracts.",
                suits: "Bidding for a contract or large grant when the funder wants one organisation to deal with.",
                costs: "Bid writing, contract management and monitoring by the lead, usually paid for by a management fee; legal advice on the sub-contracts.",
                governance: "The lead is accountable to the funder and manages the partners through the sub-contracts, often with a partnership board to share decisions.",
                trustees: "The lead's trustees carry the contract risk, including the partners' performance. Partners' trustees must be content with the terms and the lead's fee.",
                staff: "Each partner employs its own staff. If a contract moves between organisations, TUPE may apply.",
                money: "The funder pays the lead; the lead pays the partners for what they deliver, under the sub-contracts.",
                independence: "Partners stay independent but depend on the lead for that income and must meet its terms.",
                charity_commission: "Not involved, unless a charity would act outside its objects or powers.",
                due_diligence: "The lead checks each partner's finances, insurance, policies and capacity to deliver; partners check the lead's stability and terms.",
            },
            Model::SharedServices => Profile {
                what_it_is: "Organisations share back-office functions such as finance, HR, IT, premises or payroll, while each keeps its own front-line work.",
                suits: "Small organisations that want to save money or get better support services without changing what they do.",
                costs: "Setting up the shared service and agreements, and moving systems; savings come later.",
                governance: "A service agreement says what is provided, at what cost and standard; a small group of the partners oversees it.",
                trustees: "Each board must be sure the arrangement is good value and keeps its charity's records, money and data safe.",
                staff: "Back-office staff may move to the host organisation or a shared employer, where TUPE may apply.",
                money: "Partners pay the host or the shared body for services. Watch VAT on services one charity provides to another.",
                independence: "Kept for the mission and services; each depends on the others for its back office.",
                charity_commission: "Not usually involved.",
                due_diligence: "Check the host's systems, data protection, finances and ability to provide the service reliably.",
            },
            Model::Consortium => Profile {
                what_it_is: "The partners set up a new organisation, such as a company or CIO, that they control together, to bid for and run work on their behalf.",
                suits: "Partners who want to bid together again and again, share risk, and be seen as one body by commissioners.",
                costs: "Setting up and running a new legal body: legal advice, registration, accounts, insurance and management time.",
                governance: "The new body has its own board, usually with a director from each partner, and a members' or consortium agreement.",
                trustees: "Each partner's trustees decide to join and what to put in. The new body's directors owe their duties to it, which can conflict with their home organisation.",
                staff: "The consortium may employ staff or sub-contract the partners, whose staff stay where they are. TUPE may apply when contracts move.",
                money: "Contracts are paid to the consortium body, which pays the partners for their work and keeps a share to run itself.",
                independence: "Partners stay independent but commit to the body together; leaving needs the agreed exit terms.",
                charity_commission: "Involved if the new body is to be a charity: it must register, and the partners must act within their own objects and powers.",
                due_diligence: "Needed: each partner looks into the others' governing documents, finances, contracts, liabilities and reputation before committing.",
            },
            Model::GroupStructure => Profile {
                what_it_is: "One organisation becomes the parent, with the right to appoint the board of the others, which keep their own names and legal identity as subsidiaries.",
                suits: "Organisations that want shared strategy, control and back office while keeping their local identity, brand or registrations.",
                costs: "Legal work to change governing documents, due diligence, and running a group: consolidated accounts and group reporting.",
                governance: "The parent's board sets direction for the group; each subsidiary keeps a board, appointed by the parent.",
                trustees: "Subsidiary trustees still owe their duties to their own charity and its beneficiaries, even when the parent appoints them.",
                staff: "Staff usually keep their employer. Shared services inside the group may move some staff, with TUPE.",
                money: "Each charity keeps its own funds and restricted funds. Money moves only in ways each charity's objects allow.",
                independence: "Subsidiaries give up control to the parent, but not their legal identity.",
                charity_commission: "Involved: changes to governing documents often need its consent, and the group must report properly.",
                due_diligence: "Needed, in depth: every area on the checklist, by both sides.",
            },
            Model::Merger => Profile {
                what_it_is: "The organisations combine into one: one joins the other, or all join a new organisation, and the others close.",
                suits: "Partners with a shared mission who would be stronger as one, or where one cannot carry on alone.",
                costs: "The most of any model: legal and due diligence costs, bringing systems and cultures together, and management time.",
                governance: "One board for the combined organisation, often with trustees from each side at first.",
                trustees: "Each board must decide that merging is in its charity's best interests and that gifts and restricted funds can go on being used as intended.",
                staff: "Staff usually move to the combined organisation under TUPE, with consultation. Pensions need particular care.",
                money: "All funds, property and liabilities pass to the combined organisation; restricted funds keep their restrictions.",
                independence: "Given up by the organisations that close.",
                charity_commission: "Involved: it may need to consent to changes, and the merger should be registered with it so legacies still reach the combined charity.",
                due_diligence: "Needed, in full: every area on the checklist, by both sides, before the boards decide.",
            },
        }
    }
}

// --- the questions ------------------------------------------------------

/// One question of the guided set, with its answers as (code, label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The field name in forms, the query and the API.
    pub key: &'static str,
    pub text: &'static str,
    pub options: &'static [(&'static str, &'static str)],
}

pub const QUESTIONS: [Question; 6] = [
    Question {
        key: "purpose",
        text: "What do you mainly want to do together?",
        options: &[
            ("share_information", "Share information, ideas and contacts"),
            ("deliver_project", "Run a project or service together"),
            ("bid_for_contract", "Bid for a contract or a large grant"),
            (
                "share_back_office",
                "Share back-office services, such as finance or HR",
            ),
            ("combine", "Bring our organisations together"),
        ],
    },
    Question {
        key: "duration",
        text: "How long do you expect to work together?",
        options: &[
            ("months", "A few months"),
            ("few_years", "A few years"),
            ("open_ended", "With no end in sight"),
        ],
    },
    Question {
        key: "money",
        text: "Will money pass between you?",
        options: &[
            ("none", "No, or only small shared costs"),
            (
                "one_funding",
                "Yes, from one grant or contract shared between us",
            ),
            ("pooled", "Yes, we will pool our money"),
        ],
    },
    Question {
        key: "contract",
        text: "Does a funder or commissioner want to deal with one body?",
        options: &[
            ("no", "No"),
            ("one_of_us", "Yes, and one of us could be that body"),
            (
                "new_body",
                "Yes, and we would rather set up a body of our own",
            ),
        ],
    },
    Question {
        key: "assets",
        text: "Will staff, buildings or other assets move between you?",
        options: &[
            ("no", "No, they stay where they are"),
            ("some", "Some, such as back-office staff"),
            ("most", "Most or all of them"),
        ],
    },
    Question {
        key: "independence",
        text: "How much independence does each organisation want to keep?",
        options: &[
            ("full", "All of it"),
            (
                "identity",
                "Our own name and identity, but we could share control",
            ),
            ("none", "We are willing to become one organisation"),
        ],
    },
];

/// A complete set of answers, one option index per question, in the
/// order of [`QUESTIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers(pub [usize; 6]);

impl Answers {
    /// Reads the answers from (key, code) pairs; every question must be
    /// answered with one of its options.
    pub fn parse<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Answers, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut out = [0usize; 6];
        for (i, q) in QUESTIONS.iter().enumerate() {
            let raw = get(q.key).unwrap_or("").trim();
            match q.options.iter().position(|(code, _)| *code == raw) {
                Some(k) => out[i] = k,
                None => errors.add(
                    q.key,
                    format!("Choose an answer to \u{201c}{}\u{201d}.", q.text),
                ),
            }
        }
        errors.into_result()?;
        Ok(Answers(out))
    }

    /// The code of the answer to the question with this key.
    pub fn code(&self, key: &str) -> &'static str {
        let i = QUESTIONS.iter().position(|q| q.key == key).unwrap_or(0);
        QUESTIONS[i].options[self.0[i]].0
    }

    /// Every complete set of answers.
    pub fn all() -> impl Iterator<Item = Answers> {
        let sizes: Vec<usize> = QUESTIONS.iter().map(|q| q.options.len()).collect();
        let total: usize = sizes.iter().product();
        (0..total).map(move |mut n| {
            let mut a = [0usize; 6];
            for (i, size) in sizes.iter().enumerate() {
                a[i] = n % size;
                n /= size;
            }
            Answers(a)
        })
    }
}

/// The model the questions point to, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub model: Model,
    pub reasons: Vec<String>,
}

/// Suggests one model for a complete set of answers.
pub fn suggest(answers: &Answers) -> Suggestion {
    use Model::*;
    // (model, points, reason) for each answer.
    let mut votes: Vec<(Model, u32, &'static str)> = Vec::new();
    let mut vote = |models: &[Model], points: u32, reason: &'static str| {
        for m in models {
            votes.push((*m, points, reason));
        }
    };
    match answers.code("purpose") {
        "share_information" => vote(
            &[InformalNetwork],
            3,
            "You mainly want to share information and ideas, which needs no formal structure.",
        ),
        "deliver_project" => vote(
            &[JointProject],
            3,
            "You want to run a project or service together, each doing your part.",
        ),
        "bid_for_contract" => vote(
            &[LeadPartner, Consortium],
            3,
            "You want to bid together, and funders usually want one body to contract with.",
        ),
        "share_back_office" => vote(
            &[SharedServices],
            4,
            "You want to share back-office services while each keeps its own work.",
        ),
        _ => vote(
            &[GroupStructure, Merger],
            3,
            "You want to bring your organisations together, not only work side by side.",
        ),
    }
    match answers.code("duration") {
        "months" => vote(
            &[InformalNetwork, JointProject],
            1,
            "A few months is too short to justify setting up a new structure.",
        ),
        "few_years" => vote(
            &[JointProject, LeadPartner, SharedServices],
            1,
            "A few years suits an agreement between you that ends or is renewed.",
        ),
        _ => vote(
            &[SharedServices, Consortium, GroupStructure, Merger],
            1,
            "Working together with no end in sight can justify a lasting structure.",
        ),
    }
    match answers.code("money") {
        "none" => vote(
            &[InformalNetwork],
            1,
            "No money passes between you, so there is little to contract for.",
        ),
        "one_funding" => vote(
            &[JointProject, LeadPartner, Consortium],
            1,
            "One grant or contract shared between you needs clear terms for who gets what.",
        ),
        _ => vote(
            &[Consortium, GroupStructure, Merger],
            1,
            "Pooling your money needs shared control of it.",
        ),
    }
    match answers.code("contract") {
        "no" => vote(
            &[InformalNetwork, JointProject],
            1,
            "Nobody needs you to be one body, so you can each keep your own contracts.",
        ),
        "one_of_us" => vote(
            &[LeadPartner],
            2,
            "One of you can hold the contract and sub-contract the others.",
        ),
        _ => vote(
            &[Consortium],
            2,
            "You would rather hold contracts through a body of your own that you all control.",
        ),
    }
    match answers.code("assets") {
        "no" => vote(
            &[InformalNetwork, JointProject, LeadPartner],
            1,
            "Staff and assets stay where they are.",
        ),
        "some" => vote(
            &[SharedServices, GroupStructure],
            1,
            "Some staff or assets would move, as they do when back offices are shared.",
        ),
        _ => vote(
            &[Merger],
            2,
            "Most staff and assets would move, which is what a merger does.",
        ),
    }
    match answers.code("independence") {
        "full" => vote(
            &[InformalNetwork, JointProject, LeadPartner, SharedServices],
            1,
            "Each organisation wants to keep all its independence.",
        ),
        "identity" => vote(
            &[GroupStructure, Consortium],
            2,
            "You would share control but keep your own names and identity, as a group or consortium allows.",
        ),
        _ => vote(&[Merger], 2, "You are willing to become one organisation."),
    }
    let score = |m: Model| -> u32 {
        votes
            .iter()
            .filter(|(v, _, _)| *v == m)
            .map(|(_, p, _)| p)
            .sum()
    };
    // Most points wins; on a tie, the lighter model (listed first).
    let mut best = Model::ALL[0];
    for m in Model::ALL {
        if score(m) > score(best) {
            best = m;
        }
    }
    let reasons = votes
        .iter()
        .filter(|(m, _, _)| *m == best)
        .map(|(_, _, r)| r.to_string())
        .collect();
    Suggestion {
        model: best,
        reasons,
    }
}

// --- the choice ---------------------------------------------------------

/// The most a reason may say.
pub const REASON_MAX: usize = 2000;

/// A model the partners choose, why, and the version of the earlier
/// choice it replaces (0 when there was none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelChoice {
    pub model: Model,
    pub reason: String,
    pub based_on: i64,
}

impl ModelChoice {
    pub fn parse(model: &str, reason: &str, based_on: &str) -> Result<ModelChoice, FieldErrors> {
        let mut errors = FieldErrors::new();
        let m = Model::parse_code(model);
        if m.is_none() {
            errors.add("model", "Choose a collaboration model.");
        }
        let reason = errors.take(required_line(
            "reason",
            "why you chose this model",
            &reason.replace(['\r', '\n'], " "),
            1,
            REASON_MAX,
        ));
        let based_on = match based_on.trim().parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            _ => {
                errors.add(
                    "based_on",
                    "Reload the page and choose again: the form did not say which choice it replaces.",
                );
                None
            }
        };
        errors.into_result()?;
        match (m, reason, based_on) {
            (Some(model), Some(reason), Some(based_on)) => Ok(ModelChoice {
                model,
                reason,
                based_on,
            }),
            _ => Err(FieldErrors::single(
                "model",
                "Choose a collaboration model.",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(codes: [&str; 6]) -> Answers {
        let pairs: Vec<(&str, &str)> = QUESTIONS.iter().map(|q| q.key).zip(codes).collect();
        Answers::parse(|k| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v)).unwrap()
    }

    /// Property: over every complete set of answers, exactly one model is
    /// suggested with at least one reason, every reason is a sentence, and
    /// the reasons come from the answers given (no duplicates).
    #[test]
    fn every_answer_set_suggests_one_model_with_reasons() {
        let mut count = 0;
        let mut seen = std::collections::BTreeSet::new();
        for a in Answers::all() {
            let s = suggest(&a);
            assert!(!s.reasons.is_empty(), "{a:?} gave no reason");
            for r in &s.reasons {
                assert!(r.ends_with('.') && r.len() > 10, "{r:?}");
            }
            let mut unique = s.reasons.clone();
            unique.dedup();
            assert_eq!(unique.len(), s.reasons.len(), "{a:?}");
            // Suggesting is a function of the answers alone.
            assert_eq!(suggest(&a), s);
            seen.insert(s.model);
            count += 1;
        }
        assert_eq!(count, 5 * 3 * 3 * 3 * 3 * 3);
        // Every model can be reached.
        assert_eq!(seen.len(), Model::ALL.len(), "{seen:?}");
    }

    #[test]
    fn obvious_cases() {
        let cases = [
            (
                ["share_information", "months", "none", "no", "no", "full"],
                Model::InformalNetwork,
            ),
            (
                [
                    "deliver_project",
                    "months",
                    "one_funding",
                    "no",
                    "no",
                    "full",
                ],
                Model::JointProject,
            ),
            (
                [
                    "bid_for_contract",
                    "few_years",
                    "one_funding",
                    "one_of_us",
                    "no",
                    "full",
                ],
                Model::LeadPartner,
            ),
            (
                [
                    "share_back_office",
                    "open_ended",
                    "none",
                    "no",
                    "some",
                    "full",
                ],
                Model::SharedServices,
            ),
            (
                [
                    "bid_for_contract",
                    "open_ended",
                    "pooled",
                    "new_body",
                    "no",
                    "identity",
                ],
                Model::Consortium,
            ),
            (
                ["combine", "open_ended", "pooled", "no", "some", "identity"],
                Model::GroupStructure,
            ),
            (
                ["combine", "open_ended", "pooled", "no", "most", "none"],
                Model::Merger,
            ),
        ];
        for (codes, want) in cases {
            let s = suggest(&answers(codes));
            assert_eq!(s.model, want, "{codes:?}: {:?}", s.reasons);
        }
        let s = suggest(&answers([
            "share_information",
            "months",
            "none",
            "no",
            "no",
            "full",
        ]));
        assert_eq!(
            s.reasons[0],
            "You mainly want to share information and ideas, which needs no formal structure."
        );
    }

    #[test]
    fn missing_answers_are_named() {
        let e = Answers::parse(|k| (k == "purpose").then_some("combine")).unwrap_err();
        assert!(e.get("purpose").is_none());
        assert_eq!(
            e.get("duration"),
            Some("Choose an answer to \u{201c}How long do you expect to work together?\u{201d}.")
        );
        assert!(e.get("independence").is_some());
        let e = Answers::parse(|_| Some("nonsense")).unwrap_err();
        assert_eq!(e.0.len(), QUESTIONS.len());
    }

    #[test]
    fn models_and_their_words() {
        for m in Model::ALL {
            assert_eq!(Model::parse_code(m.code()), Some(m));
            let p = m.profile();
            for words in [
                p.what_it_is,
                p.suits,
                p.costs,
                p.governance,
                p.trustees,
                p.staff,
                p.money,
                p.independence,
                p.charity_commission,
                p.due_diligence,
            ] {
                assert!(words.ends_with('.'), "{m:?}: {words}");
            }
        }
        let deep: Vec<Model> = Model::ALL
            .into_iter()
            .filter(|m| m.needs_due_diligence())
            .collect();
        assert_eq!(
            deep,
            [Model::Consortium, Model::GroupStructure, Model::Merger]
        );
        assert_eq!(Model::InformalNetwork.degree(), Degree::Networking);
        assert_eq!(Model::Merger.degree(), Degree::Collaborating);
    }

    #[test]
    fn a_choice_needs_a_model_a_reason_and_what_it_replaces() {
        let c = ModelChoice::parse("merger", "  We share a mission.\n", "3").unwrap();
        assert_eq!(c.model, Model::Merger);
        assert_eq!(c.reason, "We share a mission.");
        assert_eq!(c.based_on, 3);
        let e = ModelChoice::parse("", "", "x").unwrap_err();
        assert_eq!(e.get("model"), Some("Choose a collaboration model."));
        assert_eq!(e.get("reason"), Some("Enter why you chose this model."));
        assert!(e.get("based_on").is_some());
        let e = ModelChoice::parse("merger", &"x".repeat(REASON_MAX + 1), "0").unwrap_err();
        assert!(e.get("reason").is_some());
    }
}
