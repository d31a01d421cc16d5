//! The resource library: guidance worth reading at each stage, from the
//! organisations that publish it. Links and publishers are facts; the
//! descriptions are ours.

use crate::stage::Stage;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resource {
    pub stage: Stage,
    pub title: &'static str,
    pub publisher: &'static str,
    pub url: &'static str,
    /// One sentence on why it helps.
    pub about: &'static str,
}

const fn r(
    stage: Stage,
    title: &'static str,
    publisher: &'static str,
    url: &'static str,
    about: &'static str,
) -> Resource {
    Resource {
        stage,
        title,
        publisher,
        url,
        about,
    }
}

pub const LIBRARY: &[Resource] = &[
    r(
        Stage::Identify,
        "Collaborative working and mergers: an introduction (CC34)",
        "Charity Commission",
        "https://www.gov.uk/government/publications/collaborative-working-and-mergers-an-introduction-cc34",
        "What trustees must think about before working closely with another charity or merging.",
    ),
    r(
        Stage::Identify,
        "Work with other charities",
        "GOV.UK",
        "https://www.gov.uk/work-with-other-charities",
        "The ways charities can work together, from sharing services to merging, in brief.",
    ),
    r(
        Stage::Identify,
        "Getting ready for collaboration",
        "Institute for Voluntary Action Research (IVAR)",
        "https://www.ivar.org.uk/",
        "Research and practical learning from organisations that have collaborated or merged.",
    ),
    r(
        Stage::Identify,
        "Collaboration for commissioning",
        "Locality",
        "https://locality.org.uk/",
        "Help for community organisations to bid for and deliver public services together.",
    ),
    r(
        Stage::Identify,
        "How to collaborate",
        "NCVO Knowhow",
        "https://www.ncvo.org.uk/help-and-guidance/",
        "Step-by-step guidance on partnership working for voluntary organisations.",
    ),
    r(
        Stage::Identify,
        "Cross-sector partnership working",
        "Local Government Association (formerly IDeA)",
        "https://www.local.gov.uk/",
        "How councils and the voluntary sector can work in partnership.",
    ),
    r(
        Stage::Identify,
        "Cutting edge partnerships",
        "Cutting Edge Partnerships blog",
        "http://cuttingedgepartnerships.blogspot.co.uk/",
        "Shared stories and good practice in collaborative working.",
    ),
    r(
        Stage::Identify,
        "Charity mergers and collaborations: best bits",
        "The Guardian Voluntary Sector Network",
        "https://www.theguardian.com/voluntary-sector-network",
        "Advice from practitioners on mergers and collaborations, from an online Q&A.",
    ),
];

/// The resources for one stage, in the library's order.
pub fn for_stage(stage: Stage) -> impl Iterator<Item = &'static Resource> {
    LIBRARY.iter().filter(move |r| r.stage == stage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identify_has_the_seed_links_and_every_link_is_a_web_address() {
        let identify: Vec<_> = for_stage(Stage::Identify).collect();
        assert!(identify.len() >= 6);
        for needle in ["Charity Commission", "IVAR", "Locality", "NCVO"] {
            assert!(
                identify.iter().any(|r| r.publisher.contains(needle)),
                "{needle} missing"
            );
        }
        for r in LIBRARY {
            assert!(r.url.starts_with("https://") || r.url.starts_with("http://"));
            assert!(r.about.ends_with('.'));
        }
    }
}
