//! LSU 1st-degree writer (schemaVersion 1.0, revision b), streaming.

use std::collections::BTreeSet;
use std::io::{self, Write};

use super::bilans::{element_1d_id, ELEMENTS_1D};
use super::xml::attr;
use super::{cycle_1d, School};
use lsu_lint::util::escape_text;

pub fn write<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(
        w,
        "<!-- Données entièrement fictives générées par lsu-gen (graine {}). -->",
        s.seed
    )?;
    writeln!(
        w,
        "<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"urn:fr:edu:scolarite:lsun:bilans:import import-bilan-1d.xsd\" schemaVersion=\"1.0\">"
    )?;
    writeln!(w, "  <entete>")?;
    writeln!(w, "    <editeur>{}</editeur>", super::write2d::EDITEUR)?;
    writeln!(
        w,
        "    <application>{}</application>",
        escape_text(super::write2d::APPLICATION)
    )?;
    writeln!(
        w,
        "    <etablissement>{}</etablissement>",
        escape_text(&s.uai)
    )?;
    writeln!(w, "  </entete>")?;
    writeln!(w, "  <donnees>")?;

    let dir = &s.teachers[s.head];
    writeln!(w, "    <directeurs>")?;
    write!(
        w,
        "      <directeur id=\"DIR_1\" civilite=\"{}\"",
        dir.civilite.lsu()
    )?;
    attr(w, "nom", &dir.lsu_nom)?;
    attr(w, "prenom", &dir.prenom)?;
    writeln!(w, "/>")?;
    writeln!(w, "    </directeurs>")?;

    // Classes that have pupils (a ghost class exists only through its pupils).
    let used: BTreeSet<usize> = s.pupils.iter().map(|p| p.lsu_class).collect();
    writeln!(w, "    <classes>")?;
    for &c in &used {
        let cl = &s.lsu_classes[c];
        write!(w, "      <classe id=\"{}\" id-be=\"{}\"", cl.id, cl.id_be)?;
        attr(w, "libelle", &cl.libelle)?;
        writeln!(w, "/>")?;
    }
    writeln!(w, "    </classes>")?;

    writeln!(w, "    <eleves>")?;
    for &p in s.pupil_order() {
        let x = &s.pupils[p];
        write!(
            w,
            "      <eleve id=\"{}\" ine=\"{}\" classe-ref=\"{}\"",
            x.id, x.ine, s.lsu_classes[x.lsu_class].id
        )?;
        attr(w, "nom", &x.nom_upper())?;
        attr(w, "prenom", &x.prenom)?;
        writeln!(w, "/>")?;
    }
    writeln!(w, "    </eleves>")?;

    writeln!(w, "    <periodes>")?;
    for per in &s.periods {
        writeln!(
            w,
            "      <periode id=\"{}\" millesime=\"{}\" indice=\"{}\" nb-periodes=\"{}\" date-debut=\"{}\" date-fin=\"{}\"/>",
            per.id, s.millesime, per.indice, per.nb, per.debut, per.fin
        )?;
    }
    writeln!(w, "    </periodes>")?;

    writeln!(w, "    <enseignants>")?;
    let teachers: BTreeSet<usize> = s.divisions.iter().map(|d| d.pp).collect();
    for &t in &teachers {
        let x = &s.teachers[t];
        write!(
            w,
            "      <enseignant id=\"{}\" civilite=\"{}\"",
            x.id,
            x.civilite.lsu()
        )?;
        attr(w, "nom", &x.lsu_nom)?;
        attr(w, "prenom", &x.prenom)?;
        writeln!(w, "/>")?;
    }
    writeln!(w, "    </enseignants>")?;

    let cycles: BTreeSet<u8> = s.pupils.iter().map(|p| cycle_1d(&p.niveau)).collect();
    writeln!(w, "    <elements-programme>")?;
    for (c, code, lib) in ELEMENTS_1D.iter() {
        if cycles.contains(c) {
            write!(
                w,
                "      <element-programme id=\"{}\"",
                element_1d_id(*c, code)
            )?;
            attr(w, "libelle", lib)?;
            writeln!(w, "/>")?;
        }
    }
    writeln!(w, "    </elements-programme>")?;

    let pkeys = s.periodic_keys();
    let present: BTreeSet<(usize, usize)> = pkeys
        .iter()
        .map(|&(p, k)| (s.pupils[p].lsu_class, k))
        .collect();
    writeln!(w, "    <parcours-communs>")?;
    for k in 0..s.periods.len() {
        for &c in &used {
            if !present.contains(&(c, k)) {
                continue;
            }
            let (code, text) = match k % 3 {
                0 => (
                    "PAR_CIT",
                    "Élection des délégués de classe et conseil d'enfants.",
                ),
                1 => ("PAR_ART", "Visite du musée et atelier de peinture."),
                _ => ("PAR_SAN", "Intervention sur l'hygiène bucco-dentaire."),
            };
            writeln!(
                w,
                "      <parcours-commun periode-ref=\"{}\" classe-ref=\"{}\"><parcours code=\"{code}\">{}</parcours></parcours-commun>",
                s.periods[k].id,
                s.lsu_classes[c].id,
                escape_text(text)
            )?;
        }
    }
    writeln!(w, "    </parcours-communs>")?;

    writeln!(w, "    <bilans-periodiques>")?;
    for &(p, k) in &pkeys {
        let b = s.bilan_periodique_1d(p, k);
        writeln!(
            w,
            "      <bilan-periodique eleve-ref=\"{}\" periode-ref=\"{}\" enseignant-refs=\"{}\" date-creation=\"{}\" date-scolarite=\"{}\" date-verrou=\"{}\" directeur-ref=\"DIR_1\">",
            b.eleve_ref,
            b.periode_ref,
            b.enseignants.join(" "),
            b.date_creation,
            b.date_scolarite,
            b.date_verrou
        )?;
        writeln!(w, "        <liste-acquis>")?;
        for a in &b.acquis {
            write!(w, "          <acquis code-domaine=\"{}\"", a.code)?;
            if !a.elements.is_empty() {
                write!(w, " element-programme-refs=\"{}\"", a.elements.join(" "))?;
            }
            if let Some(x) = a.positionnement {
                write!(w, " positionnement=\"{x}\"")?;
            }
            if a.appreciation.is_none() && a.sous_domaines.is_empty() {
                writeln!(w, "/>")?;
                continue;
            }
            write!(w, ">")?;
            if let Some(t) = &a.appreciation {
                write!(w, "<appreciation>{}</appreciation>", escape_text(t))?;
            }
            if !a.sous_domaines.is_empty() {
                writeln!(w)?;
                writeln!(w, "            <sous-domaines>")?;
                for (code, el, x) in &a.sous_domaines {
                    writeln!(
                        w,
                        "              <sous-domaine code-domaine=\"{code}\" element-programme-refs=\"{}\" positionnement=\"{x}\"/>",
                        el.join(" ")
                    )?;
                }
                writeln!(w, "            </sous-domaines>")?;
                write!(w, "          ")?;
            }
            writeln!(w, "</acquis>")?;
        }
        writeln!(w, "        </liste-acquis>")?;
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
        writeln!(
            w,
            "        <appreciation-generale>{}</appreciation-generale>",
            escape_text(&b.appreciation_generale)
        )?;
        writeln!(w, "      </bilan-periodique>")?;
    }
    writeln!(w, "    </bilans-periodiques>")?;

    let ckeys = s.cycle_keys();
    if !ckeys.is_empty() {
        writeln!(w, "    <bilans-cycle>")?;
        for &(p, _) in &ckeys {
            let Some(b) = s.bilan_cycle(p) else { continue };
            writeln!(
                w,
                "      <bilan-cycle eleve-ref=\"{}\" cycle=\"{}\" millesime=\"{}\" enseignant-refs=\"{}\" date-creation=\"{}\" date-verrou=\"{}\" directeur-ref=\"DIR_1\">",
                b.eleve_ref,
                b.cycle,
                s.millesime,
                b.enseignants.join(" "),
                b.date_creation,
                b.date_verrou
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
            writeln!(w, "      </bilan-cycle>")?;
        }
        writeln!(w, "    </bilans-cycle>")?;
    }
    writeln!(w, "  </donnees>")?;
    writeln!(w, "</lsun-bilans>")?;
    Ok(())
}
