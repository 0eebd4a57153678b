//! LSU's own words (`interfaces.md` « LSU's own messages »): what LSU displays or what a school
//! repeats on the phone (« élève non inscrit »), matched against the « Messages LSU » section of
//! every rule page, so that `explain` can name the rules that produce it.

use super::{Code, Impact, CATALOGUE};
use crate::util::fold;

/// A rule that may produce the text, and how closely one of its messages matches.
#[derive(Debug, Clone)]
pub struct MessageMatch {
    pub code: Code,
    /// 0 (nothing in common) to 1 (the same words).
    pub score: f64,
    /// The rule's message that matched best, as its page quotes it.
    pub phrase: Option<&'static str>,
}

/// Below this score a rule is not said to produce the text; the closest ones are still offered.
pub const MATCH_THRESHOLD: f64 = 0.45;

/// The « Messages LSU » items of a rule page: `- « texte »`.
pub fn lsu_messages(code: Code) -> Vec<&'static str> {
    let Some(sec) = code.meta().page().and_then(|p| section(p, "Messages LSU")) else {
        return Vec::new();
    };
    sec.lines()
        .filter_map(|l| l.trim_start().strip_prefix("- «"))
        .filter_map(|l| l.split('»').next())
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect()
}

/// The text of the page's « Messages LSU » section after its items: how `check` tells the
/// rules that share a message apart.
pub fn how_to_tell_apart(code: Code) -> Option<&'static str> {
    let sec = code
        .meta()
        .page()
        .and_then(|p| section(p, "Messages LSU"))?;
    let rest: Vec<&str> = sec
        .lines()
        .skip(1)
        .filter(|l| !l.trim_start().starts_with("- «") && !l.trim().is_empty())
        .collect();
    let first = *rest.first()?;
    let start = sec.find(first)?;
    Some(sec[start..].trim())
}

/// The body of the `## {title}` section of a page (after its heading line).
fn section<'p>(page: &'p str, title: &str) -> Option<&'p str> {
    let head = format!("\n## {title}");
    let start = page.find(&head)? + 1;
    let body = &page[start..];
    let end = body[3..].find("\n## ").map_or(body.len(), |e| e + 3);
    Some(&body[..end])
}

/// Words of a folded text, punctuation removed.
fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// How closely `query` matches one message (both folded: accents and case).
fn score(query: &[String], phrase: &[String]) -> f64 {
    if query.is_empty() || phrase.is_empty() {
        return 0.0;
    }
    if query == phrase {
        return 1.0;
    }
    let contains =
        |hay: &[String], needle: &[String]| hay.windows(needle.len()).any(|w| w == needle);
    let (q, p) = (query.len() as f64, phrase.len() as f64);
    if phrase.len() > query.len() && contains(phrase, query) {
        // The query is part of a longer message: the shorter the rest, the closer.
        return 0.6 + 0.35 * q / p;
    }
    if query.len() > phrase.len() && contains(query, phrase) {
        return 0.5 + 0.35 * p / q;
    }
    // Words in common, weighted by the query's length (a few typed words of a long message).
    let common = query
        .iter()
        .filter(|w| phrase.iter().any(|x| x == *w || close(x, w)))
        .count() as f64;
    0.55 * common / q.max(p.min(q + 2.0))
}

/// Two words that differ by a typo (one edit on words of five letters or more).
fn close(a: &str, b: &str) -> bool {
    a.chars().count() >= 5 && crate::util::levenshtein(a, b) <= 1
}

/// Scores compared at a hundredth, so that equal matches fall back to impact and code.
fn rounded(s: f64) -> f64 {
    (s * 100.0).round() / 100.0
}

fn impact_rank(i: Impact) -> u8 {
    match i {
        Impact::FichierRejete => 0,
        Impact::BilanRejete => 1,
        // Beyond the spec's two: what loses data silently before an alert, a prerequisite or
        // mere quality (« enseignant inconnu » is T002's alert before R004's clean-up).
        Impact::PerteSilencieuse => 2,
        Impact::Alerte => 3,
        Impact::Prealable => 4,
        Impact::Qualite => 5,
    }
}

/// Every rule, ranked by how closely one of its messages matches `text`, then by impact
/// (`fichier-rejete`, then `bilan-rejete`, then the lesser impacts), then by code.
pub fn search(text: &str) -> Vec<MessageMatch> {
    let query = words(text);
    let mut v: Vec<MessageMatch> = CATALOGUE
        .iter()
        .map(|m| {
            let mut best = MessageMatch {
                code: m.code,
                score: 0.0,
                phrase: None,
            };
            // A page lists its messages most typical first: a later one weighs a little less,
            // so that a message shared by several rules ranks first the rule it defines.
            for (i, phrase) in lsu_messages(m.code).into_iter().enumerate() {
                let s = rounded(score(&query, &words(phrase)) - 0.01 * i as f64);
                if s > best.score {
                    best.score = s;
                    best.phrase = Some(phrase);
                }
            }
            // The rule's own title counts a little: « socle incomplet » finds C001.
            let t = rounded(0.8 * score(&query, &words(m.title())));
            if t > best.score {
                best.score = t;
                best.phrase = None;
            }
            best
        })
        .collect();
    v.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| impact_rank(a.code.meta().impact).cmp(&impact_rank(b.code.meta().impact)))
            .then_with(|| a.code.cmp(&b.code))
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a helpdesk reads on LSU's screen → the rule that most often produces it.
    #[test]
    fn lsu_texts_rank_their_usual_rule_first() {
        let cases = [
            ("élève non inscrit", "I002"),
            ("Élève NON inscrit", "I002"),
            ("la classe n'existe pas", "I003"),
            ("socle incomplet", "C001"),
            ("enseignant inconnu", "T002"),
            ("élève en double", "U001"),
            ("moyenne invalide", "P003"),
            ("appréciation trop longue", "X001"),
            (
                "Veuillez effectuer le paramétrage des périodes pour la classe",
                "D004",
            ),
            ("est inconnue dans la base de données ONDE", "I004"),
        ];
        for (text, code) in cases {
            let found = search(text);
            let first = &found[0];
            assert!(
                first.score >= MATCH_THRESHOLD,
                "« {text} » matched nothing well enough"
            );
            assert_eq!(first.code.to_string(), code, "« {text} »: {found:?}");
        }
    }

    /// The spec's own example, in its order.
    #[test]
    fn eleve_non_inscrit_answers_i002_i003_d001_in_that_order() {
        let codes: Vec<String> = search("élève non inscrit")
            .iter()
            .take(3)
            .map(|m| m.code.to_string())
            .collect();
        assert_eq!(codes, ["I002", "I003", "D001"]);
    }

    /// Ties on the text fall back to impact: an alert before a mere clean-up.
    #[test]
    fn equal_matches_rank_by_impact() {
        let found = search("enseignant inconnu");
        let pos = |c: &str| found.iter().position(|m| m.code == c);
        assert!(pos("T002") < pos("R004"), "{found:?}");
    }
}
