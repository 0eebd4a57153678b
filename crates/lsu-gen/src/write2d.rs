//! LSU 2nd-degree writer (schemaVersion 10.0, 7.0 or 3.0), streaming.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::bilans::{Eval, AP_6, EPIS};
use super::names;
use super::xml::attr;
use super::{School, Version};
use lsu_lint::util::escape_text;

pub const EDITEUR: &str = "lsu-lint";
pub const APPLICATION: &str = "lsu-gen (données synthétiques)";

pub fn write<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    let v = s.version;
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<!-- Données entièrement fictives générées par lsu-gen (graine {}). -->",
        s.seed
    )?;
    writeln!(
        w,
        "<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:fr:edu:scolarite:lsun:bilans:import import-bilan-complet.xsd\" schemaVersion=\"{}\">",
        v.as_str()
    )?;
    writeln!(w, "  <entete>")?;
    writeln!(w, "    <editeur>{EDITEUR}</editeur>")?;
    writeln!(
        w,
        "    <application>{}</application>",
        escape_text(APPLICATION)
    )?;
    writeln!(
        w,
        "    <appliVersion>{}</appliVersion>",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        w,
        "    <etablissement>{}</etablissement>",
        escape_text(&s.uai)
    )?;
    writeln!(w, "  </entete>")?;
    writeln!(w, "  <donnees>")?;

    writeln!(w, "    <responsables-etab>")?;
    write!(w, "      <responsable-etab id=\"RESP_1\"")?;
    attr(w, "libelle", &responsable_libelle(s))?;
    writeln!(w, "/>")?;
    writeln!(w, "    </responsables-etab>")?;

    writeln!(w, "    <eleves>")?;
    for &p in s.pupil_order() {
        let x = &s.pupils[p];
        write!(w, "      <eleve id=\"{}\" id-be=\"{}\"", x.id, x.lsu_id_be)?;
        attr(w, "nom", &x.nom_upper())?;
        attr(w, "prenom", &x.prenom)?;
        attr(w, "code-division", &x.lsu_division)?;
        writeln!(w, "/>")?;
    }
    writeln!(w, "    </eleves>")?;

    writeln!(w, "    <periodes>")?;
    for per in &s.periods {
        writeln!(
            w,
            "      <periode id=\"{}\" millesime=\"{}\" indice=\"{}\" nb-periodes=\"{}\"/>",
            per.id, s.millesime, per.indice, per.nb
        )?;
    }
    writeln!(w, "    </periodes>")?;

    // Only what is taught somewhere is declared.
    let used_disc: BTreeSet<usize> = s
        .divisions
        .iter()
        .flat_map(|d| d.teachers.iter().map(|(di, _)| *di))
        .collect();
    writeln!(w, "    <disciplines>")?;
    for &di in &used_disc {
        let d = &s.disciplines[di];
        write!(
            w,
            "      <discipline id=\"{}\" code=\"{}\" modalite-election=\"{}\"",
            d.id(),
            d.code,
            d.modalite
        )?;
        attr(w, "libelle", d.libelle)?;
        writeln!(w, "/>")?;
    }
    writeln!(w, "    </disciplines>")?;

    let used_teachers: BTreeSet<usize> = s
        .divisions
        .iter()
        .flat_map(|d| d.teachers.iter().map(|(_, t)| *t))
        .collect();
    writeln!(w, "    <enseignants>")?;
    for &ti in &used_teachers {
        let t = &s.teachers[ti];
        write!(
            w,
            "      <enseignant id=\"{}\" type=\"{}\" id-sts=\"{}\" civilite=\"{}\"",
            t.id,
            t.kind,
            t.sts_id,
            t.civilite.lsu()
        )?;
        attr(w, "nom", &names::upper(&t.lsu_nom))?;
        attr(w, "prenom", &t.prenom)?;
        writeln!(w, "/>")?;
    }
    writeln!(w, "    </enseignants>")?;

    writeln!(w, "    <elements-programme>")?;
    for &di in &used_disc {
        for (j, lib) in s.disciplines[di].elements.iter().enumerate() {
            write!(w, "      <element-programme id=\"EP_{}_{}\"", di + 1, j + 1)?;
            attr(w, "libelle", lib)?;
            writeln!(w, "/>")?;
        }
    }
    writeln!(w, "    </elements-programme>")?;

    // (code-division, period) pairs that have bilans: common blocks only for those (R006).
    let pkeys = s.periodic_keys();
    let present: BTreeSet<(String, usize)> = pkeys
        .iter()
        .map(|&(p, k)| (s.pupils[p].lsu_division.clone(), k))
        .collect();
    let has = |code: &str, k: usize| present.contains(&(code.to_string(), k));
    let last = s.periods.len() - 1;

    let sixiemes: Vec<usize> = (0..s.divisions.len())
        .filter(|&i| s.divisions[i].niveau_num() == 6 && has(&s.divisions[i].lsu_code, last))
        .collect();
    if !sixiemes.is_empty() {
        writeln!(w, "    <competences-numeriques-communs>")?;
        for &i in &sixiemes {
            // Ids from the Siècle code (an id cannot hold a space), structures as exported.
            let d = &s.divisions[i];
            write!(
                w,
                "      <competences-numeriques-commun id=\"CNC_{}\"",
                d.code
            )?;
            attr(w, "code-structure", &d.lsu_code)?;
            writeln!(
                w,
                " type-structure=\"D\">Classe entraînée sur la plateforme Pix tout au long de l'année.</competences-numeriques-commun>"
            )?;
        }
        writeln!(w, "    </competences-numeriques-communs>")?;
    }

    writeln!(w, "    <parcours-communs>")?;
    for k in 0..s.periods.len() {
        for d in &s.divisions {
            if !has(&d.lsu_code, k) {
                continue;
            }
            write!(
                w,
                "      <parcours-commun periode-ref=\"{}\"",
                s.periods[k].id
            )?;
            attr(w, "code-division", &d.lsu_code)?;
            writeln!(w, ">")?;
            for (code, text) in s.parcours_communs(d.niveau_num(), k) {
                writeln!(
                    w,
                    "        <parcours code=\"{code}\">{}</parcours>",
                    escape_text(text)
                )?;
            }
            writeln!(w, "      </parcours-commun>")?;
        }
    }
    writeln!(w, "    </parcours-communs>")?;

    writeln!(w, "    <vies-scolaires-communs>")?;
    for k in 0..s.periods.len() {
        for (i, d) in s.divisions.iter().enumerate() {
            if !has(&d.lsu_code, k) {
                continue;
            }
            write!(
                w,
                "      <vie-scolaire-commun periode-ref=\"{}\"",
                s.periods[k].id
            )?;
            attr(w, "code-division", &d.lsu_code)?;
            writeln!(
                w,
                "><commentaire>{}</commentaire></vie-scolaire-commun>",
                escape_text(names::VIE_COMMUNE[(i + k) % names::VIE_COMMUNE.len()])
            )?;
        }
    }
    writeln!(w, "    </vies-scolaires-communs>")?;

    let ek = s.epi_period();
    let epi_divs: Vec<usize> = (0..s.divisions.len())
        .filter(|&i| s.divisions[i].niveau_num() != 6 && has(&s.divisions[i].lsu_code, ek))
        .collect();
    let disc_id = |code: &str| -> Option<(usize, String)> {
        s.disciplines
            .iter()
            .position(|d| d.code == code)
            .map(|i| (i, s.disciplines[i].id()))
    };
    let epis: Vec<_> = EPIS
        .iter()
        .filter(|e| epi_divs.iter().any(|&i| s.divisions[i].niveau_num() == e.0))
        .collect();
    if !epis.is_empty() {
        writeln!(w, "    <epis>")?;
        for (_, id, them, intitule, codes) in &epis {
            let refs: Vec<String> = codes
                .iter()
                .filter_map(|c| disc_id(c).map(|x| x.1))
                .collect();
            write!(w, "      <epi id=\"{id}\"")?;
            attr(w, "intitule", intitule)?;
            writeln!(
                w,
                " thematique=\"{them}\" discipline-refs=\"{}\"/>",
                refs.join(" ")
            )?;
        }
        writeln!(w, "    </epis>")?;
        writeln!(w, "    <epis-groupes>")?;
        for &i in &epi_divs {
            let d = &s.divisions[i];
            let Some(e) = EPIS.iter().find(|e| e.0 == d.niveau_num()) else {
                continue;
            };
            write!(
                w,
                "      <epi-groupe id=\"EPIG_{}\" epi-ref=\"{}\"",
                d.code, e.1
            )?;
            attr(w, "intitule", &format!("{} ({})", e.3, d.lsu_code))?;
            writeln!(w, ">")?;
            writeln!(w, "        <enseignants-disciplines>")?;
            for c in e.4 {
                if let Some((di, id)) = disc_id(c) {
                    if let Some(t) = d.teacher_of(di) {
                        writeln!(
                            w,
                            "          <enseignant-discipline enseignant-ref=\"{}\" discipline-ref=\"{id}\"/>",
                            s.teachers[t].id
                        )?;
                    }
                }
            }
            writeln!(w, "        </enseignants-disciplines>")?;
            writeln!(w, "      </epi-groupe>")?;
        }
        writeln!(w, "    </epis-groupes>")?;
    }

    let ap_divs: Vec<usize> = (0..s.divisions.len())
        .filter(|&i| {
            s.divisions[i].niveau_num() == 6
                && (0..s.periods.len()).any(|k| has(&s.divisions[i].lsu_code, k))
        })
        .collect();
    if !ap_divs.is_empty() {
        let refs: Vec<String> = AP_6
            .2
            .iter()
            .filter_map(|c| disc_id(c).map(|x| x.1))
            .collect();
        writeln!(w, "    <acc-persos>")?;
        write!(w, "      <acc-perso id=\"{}\"", AP_6.0)?;
        attr(w, "intitule", AP_6.1)?;
        writeln!(w, " discipline-refs=\"{}\"/>", refs.join(" "))?;
        writeln!(w, "    </acc-persos>")?;
        writeln!(w, "    <acc-persos-groupes>")?;
        for &i in &ap_divs {
            let d = &s.divisions[i];
            write!(
                w,
                "      <acc-perso-groupe id=\"APG_{}\" acc-perso-ref=\"{}\"",
                d.code, AP_6.0
            )?;
            attr(w, "intitule", &format!("AP méthodologie {}", d.lsu_code))?;
            writeln!(w, ">")?;
            writeln!(w, "        <enseignants-disciplines>")?;
            for c in AP_6.2 {
                if let Some((di, id)) = disc_id(c) {
                    if let Some(t) = d.teacher_of(di) {
                        writeln!(
                            w,
                            "          <enseignant-discipline enseignant-ref=\"{}\" discipline-ref=\"{id}\"/>",
                            s.teachers[t].id
                        )?;
                    }
                }
            }
            writeln!(w, "        </enseignants-disciplines>")?;
            writeln!(w, "      </acc-perso-groupe>")?;
        }
        writeln!(w, "    </acc-persos-groupes>")?;
    }

    writeln!(w, "    <bilans-periodiques>")?;
    for &(p, k) in &pkeys {
        write_bilan(s, w, p, k, v)?;
    }
    writeln!(w, "    </bilans-periodiques>")?;

    let ckeys = s.cycle_keys();
    if !ckeys.is_empty() {
        writeln!(w, "    <bilans-cycle>")?;
        for &(p, _) in &ckeys {
            let Some(b) = s.bilan_cycle(p) else { continue };
            write!(
                w,
                "      <bilan-cycle eleve-ref=\"{}\" cycle=\"{}\" millesime=\"{}\" date-creation=\"{}\"",
                b.eleve_ref, b.cycle, s.millesime, b.date_creation
            )?;
            if v != Version::V10_0 {
                write!(w, " date-verrou=\"{}\"", b.date_verrou)?;
            }
            writeln!(
                w,
                " responsable-etab-ref=\"RESP_1\" prof-princ-refs=\"{}\">",
                b.enseignants.join(" ")
            )?;
            writeln!(w, "        <socle>")?;
            for (c, pos) in &b.socle {
                writeln!(
                    w,
                    "          <domaine code=\"{c}\" positionnement=\"{pos}\"/>"
                )?;
            }
            writeln!(w, "        </socle>")?;
            writeln!(
                w,
                "        <synthese>{}</synthese>",
                escape_text(&b.synthese)
            )?;
            if let Some((code, pos)) = b.complement {
                match pos {
                    Some(x) => writeln!(
                        w,
                        "        <enseignement-complement code=\"{code}\" positionnement=\"{x}\"/>"
                    )?,
                    None => writeln!(w, "        <enseignement-complement code=\"{code}\"/>")?,
                }
            }
            writeln!(w, "      </bilan-cycle>")?;
        }
        writeln!(w, "    </bilans-cycle>")?;
    }
    writeln!(w, "  </donnees>")?;
    writeln!(w, "</lsun-bilans>")?;
    Ok(())
}

/// « Mme Hélène VASSEUR, principale ».
pub fn responsable_libelle(s: &School) -> String {
    let h = &s.teachers[s.head];
    let (civ, fonction) = match h.civilite {
        super::Civilite::Mme => ("Mme", "principale"),
        super::Civilite::M => ("M.", "principal"),
    };
    format!("{civ} {} {}, {fonction}", h.prenom, names::upper(&h.nom))
}

fn write_bilan<W: Write + ?Sized>(
    s: &School,
    w: &mut W,
    p: usize,
    k: usize,
    v: Version,
) -> io::Result<()> {
    let b = s.bilan_periodique(p, k);
    write!(
        w,
        "      <bilan-periodique eleve-ref=\"{}\" periode-ref=\"{}\" date-conseil-classe=\"{}\" date-scolarite=\"{}\"",
        b.eleve_ref, b.periode_ref, b.date_conseil, b.date_scolarite
    )?;
    if v != Version::V10_0 {
        write!(w, " date-verrou=\"{}\"", b.date_verrou)?;
    }
    writeln!(
        w,
        " responsable-etab-ref=\"RESP_1\" prof-princ-refs=\"{}\">",
        b.prof_princ.join(" ")
    )?;
    writeln!(w, "        <liste-acquis>")?;
    for a in &b.acquis {
        write!(
            w,
            "          <acquis discipline-ref=\"{}\" enseignant-refs=\"{}\"",
            s.disciplines[a.discipline].id(),
            a.enseignants.join(" ")
        )?;
        if !a.elements.is_empty() {
            write!(w, " element-programme-refs=\"{}\"", a.elements.join(" "))?;
        }
        match &a.eval {
            Eval::Notes { eleve, structure } => write!(
                w,
                " moyenne-eleve=\"{eleve}\" moyenne-structure=\"{structure}\""
            )?,
            Eval::Dispense { structure } => {
                if v == Version::V10_0 {
                    write!(w, " statut-evaluation-eleve=\"3\"")?;
                } else {
                    write!(w, " eleve-non-note=\"true\"")?;
                }
                if let Some(x) = structure {
                    write!(w, " moyenne-structure=\"{x}\"")?;
                }
            }
            Eval::Positionnement(x) => write!(w, " positionnement=\"{x}\"")?,
        }
        match &a.appreciation {
            Some(t) => writeln!(
                w,
                "><appreciation>{}</appreciation></acquis>",
                escape_text(t)
            )?,
            None => writeln!(w, "/>")?,
        }
    }
    writeln!(w, "        </liste-acquis>")?;
    if let Some(cn) = &b.competences_num {
        let (cref, appr, items) = (&cn.commun_ref, &cn.appreciation, &cn.items);
        writeln!(
            w,
            "        <competences-numeriques comp-num-commun-refs=\"{cref}\">"
        )?;
        writeln!(
            w,
            "          <appreciation-num>{}</appreciation-num>",
            escape_text(appr)
        )?;
        for (c, n) in items {
            writeln!(w, "          <competence-num code=\"{c}\" niveau=\"{n}\"/>")?;
        }
        writeln!(w, "        </competences-numeriques>")?;
    }
    if !b.epis.is_empty() {
        writeln!(w, "        <epis-eleve>")?;
        for (g, c) in &b.epis {
            writeln!(w, "          <epi-eleve epi-groupe-ref=\"{g}\"><commentaire>{}</commentaire></epi-eleve>", escape_text(c))?;
        }
        writeln!(w, "        </epis-eleve>")?;
    }
    if !b.acc_persos.is_empty() {
        writeln!(w, "        <acc-persos-eleve>")?;
        for (g, c) in &b.acc_persos {
            writeln!(
                w,
                "          <acc-perso-eleve acc-perso-groupe-ref=\"{g}\"><commentaire>{}</commentaire></acc-perso-eleve>",
                escape_text(c)
            )?;
        }
        writeln!(w, "        </acc-persos-eleve>")?;
    }
    if !b.parcours.is_empty() {
        writeln!(w, "        <liste-parcours>")?;
        for (c, t) in &b.parcours {
            writeln!(
                w,
                "          <parcours code=\"{c}\">{}</parcours>",
                escape_text(t)
            )?;
        }
        writeln!(w, "        </liste-parcours>")?;
    }
    if !b.modalites.is_empty() {
        writeln!(w, "        <modalites-accompagnement>")?;
        for (c, compl) in &b.modalites {
            match compl {
                Some(t) => writeln!(
                    w,
                    "          <modalite-accompagnement code=\"{c}\"><complement-ppre>{}</complement-ppre></modalite-accompagnement>",
                    escape_text(t)
                )?,
                None => writeln!(w, "          <modalite-accompagnement code=\"{c}\"/>")?,
            }
        }
        writeln!(w, "        </modalites-accompagnement>")?;
    }
    writeln!(
        w,
        "        <acquis-conseils>{}</acquis-conseils>",
        escape_text(&b.acquis_conseils)
    )?;
    if let Some(t) = &b.devoirs_faits {
        writeln!(
            w,
            "        <devoirs-faits>{}</devoirs-faits>",
            escape_text(t)
        )?;
    }
    let vs = &b.vie_scolaire;
    write!(
        w,
        "        <vie-scolaire nb-retards=\"{}\" nb-abs-justifiees=\"{}\" nb-abs-injustifiees=\"{}\"",
        vs.retards, vs.abs_justifiees, vs.abs_injustifiees
    )?;
    if let Some(h) = vs.heures_manquees {
        write!(w, " nb-heures-manquees=\"{h}\"")?;
    }
    match &vs.commentaire {
        Some(c) => writeln!(
            w,
            "><commentaire>{}</commentaire></vie-scolaire>",
            escape_text(c)
        )?,
        None => writeln!(w, "/>")?,
    }
    if !b.socle.is_empty() {
        writeln!(w, "        <socle>")?;
        for (c, pos) in &b.socle {
            writeln!(
                w,
                "          <domaine code=\"{c}\" positionnement=\"{pos}\"/>"
            )?;
        }
        writeln!(w, "        </socle>")?;
    }
    writeln!(w, "      </bilan-periodique>")?;
    Ok(())
}
