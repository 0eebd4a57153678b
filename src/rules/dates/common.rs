//! Helpers shared by the date rules (and a few others): lenient date parsing that never panics,
//! millesimes, periods of bilans and school-year bounds from the calendar.

use crate::xml::Node;
use chrono::{Datelike, NaiveDate};

use crate::calendar::Calendar;
use crate::model::Lsu;

/// Parses an `xs:date`, `xs:dateTime` or 2D `StringDateTime` value down to its date:
/// `YYYY-MM-DD`, optionally followed by a time (`T…`) or a time zone (`Z`, `+hh:mm`, `-hh:mm`),
/// surrounding white space allowed. Anything else (French dates, impossible dates) is None: the
/// schema layer reports those (S005).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    let b = s.as_bytes();
    if b.len() < 10 {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10)) {
        return None;
    }
    if let Some(&next) = b.get(10) {
        if !matches!(next, b'T' | b'Z' | b'+' | b'-') {
            return None;
        }
    }
    // All ten bytes are ASCII, so these slices are on character boundaries.
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A `millesime`: exactly four ASCII digits (surrounding spaces tolerated).
pub fn parse_millesime(raw: &str) -> Option<i32> {
    let s = raw.trim();
    if s.len() == 4 && s.bytes().all(|c| c.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `2025-09-01`.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// « 2025-2026 » for millesime 2025.
pub fn school_year_label(millesime: i32) -> String {
    format!("{}-{}", millesime, millesime + 1)
}

/// The `periode` a bilan-periodique refers to, if `periode-ref` resolves to one.
pub fn periode_of<'a, 'i>(lsu: &Lsu<'a, 'i>, bilan: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    bilan
        .attribute("periode-ref")
        .and_then(|r| lsu.target(r))
        .filter(|n| n.tag_name().name() == "periode")
}

/// The millesime of a bilan: its period's for a bilan-periodique, its own for a bilan-cycle.
pub fn millesime_of_bilan(lsu: &Lsu, bilan: Node) -> Option<i32> {
    let holder = if bilan.tag_name().name() == "bilan-cycle" {
        bilan
    } else {
        periode_of(lsu, bilan)?
    };
    holder.attribute("millesime").and_then(parse_millesime)
}

/// First day of the school year starting in `millesime`, for telling school years apart (D005,
/// D001's fix): the first day of the month before the rentrée (1 August for a 1–4 September
/// rentrée, 1 January for a February rentrée in Nouvelle-Calédonie). When the calendar does not
/// know that year, the nearest known year of the same zone gives the month; else 1 August.
pub fn school_year_start(cal: &Calendar, millesime: i32) -> NaiveDate {
    let fallback = NaiveDate::from_ymd_opt(millesime, 8, 1).unwrap_or_default();
    for k in [0, -1, 1, -2, 2, -3, 3] {
        if let Some((r, _)) = cal.rentree(millesime + k) {
            // Same month in the wanted year, then one month back, first day.
            let (y, m) = if r.month() == 1 {
                (millesime - 1 + (r.year() - (millesime + k)), 12)
            } else {
                (millesime + (r.year() - (millesime + k)), r.month() - 1)
            };
            return NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(fallback);
        }
    }
    fallback
}

/// The school year (its millesime) a date belongs to, by `school_year_start`.
pub fn school_year_of(cal: &Calendar, date: NaiveDate) -> i32 {
    let y = date.year();
    if date >= school_year_start(cal, y + 1) {
        y + 1
    } else if date >= school_year_start(cal, y) {
        y
    } else {
        y - 1
    }
}

#[cfg(test)]
pub mod test_support {
    //! Runs the whole engine on an in-memory file (rules read nothing else).
    use crate::calendar::Calendar;
    pub use crate::catalogue::Code;
    use crate::config::Config;
    use crate::diagnostic::Diagnostic;
    use crate::engine::Engine;
    use crate::refdata::RefData;
    use crate::source::SourceFile;
    use chrono::NaiveDate;

    pub fn run_with(xml: &str, today: &str, config: Config, calendar: Calendar) -> Vec<Diagnostic> {
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d")
            .unwrap_or_else(|e| panic!("test date {today}: {e}"));
        let engine = Engine::new(config, RefData::default(), calendar, today);
        engine
            .check_source(&SourceFile::new(
                "test.xml".to_string(),
                xml.as_bytes().to_vec(),
            ))
            .diagnostics
    }

    pub fn run(xml: &str, today: &str) -> Vec<Diagnostic> {
        run_with(xml, today, Config::default(), Calendar::default())
    }

    pub fn of(diags: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
        diags.iter().filter(|d| d.code == code).collect()
    }

    /// Applies the edits of every fix of `code` to `xml` (edits sorted, non-overlapping).
    pub fn apply(xml: &str, diags: &[Diagnostic], code: Code) -> String {
        let mut edits: Vec<_> = diags
            .iter()
            .filter(|d| d.code == code)
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        edits.sort();
        edits.dedup();
        let mut out = xml.to_string();
        for e in edits.iter().rev() {
            out.replace_range(e.start..e.end, &e.replacement);
        }
        out
    }

    /// The 2D 10.0 example with one bilan, `{scol}` / `{conseil}` / `{mil}` substituted.
    pub fn file_2d(mil: &str, scol: &str, conseil: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="10.0">
  <entete><editeur>E</editeur><application>A</application><etablissement>0999999X</etablissement></entete>
  <donnees>
    <responsables-etab><responsable-etab id="RESP_1" libelle="Principal Test"/></responsables-etab>
    <eleves><eleve id="EL_1" id-be="9990001" nom="Test" prenom="Un" code-division="3A"/></eleves>
    <periodes><periode id="PER_1" millesime="{mil}" indice="1" nb-periodes="3"/></periodes>
    <disciplines><discipline id="DI_FRA" code="020700" modalite-election="S" libelle="Français"/></disciplines>
    <enseignants><enseignant id="ENS_1" type="epp" id-sts="1001" civilite="MME" nom="Prof" prenom="Une"/></enseignants>
    <bilans-periodiques>
      <bilan-periodique eleve-ref="EL_1" periode-ref="PER_1" date-conseil-classe="{conseil}" date-scolarite="{scol}" responsable-etab-ref="RESP_1">
        <liste-acquis><acquis discipline-ref="DI_FRA" enseignant-refs="ENS_1" moyenne-eleve="12"><appreciation>Bien.</appreciation></acquis></liste-acquis>
        <acquis-conseils>Bien.</acquis-conseils>
        <vie-scolaire nb-retards="0" nb-abs-justifiees="0" nb-abs-injustifiees="0"/>
      </bilan-periodique>
    </bilans-periodiques>
  </donnees>
</lsun-bilans>
"#
        )
    }
}

#[cfg(test)]
mod tests;
