//! Injection of recorded defects into a generated school (`--defect CODE:N`): each asked
//! defect is injected exactly as many times, or generation fails saying why.

use std::collections::BTreeSet;

use chrono::Duration;

use super::*;

impl School {
    pub(crate) fn inject(&mut self, opts: &Options) -> Result<(), GenError> {
        let mut r = Rng::derive(opts.seed, &[2]);
        // Candidates: ordinary pupils (present all year) not already carrying a defect.
        let mut used: BTreeSet<usize> = BTreeSet::new();
        // Divisions renamed as a whole: their scale must stay as set (P001 follows from it).
        let mut pinned: BTreeSet<usize> = BTreeSet::new();
        let mut pending: Vec<(Defect, usize, Option<usize>, Slot, String)> = Vec::new();
        let mut class_records: Vec<DefectRecord> = Vec::new();
        // Whole classes first, so that the defects of single pupils land elsewhere.
        let whole = |d: &Defect| *d == Defect::UnknownDivisionClass;
        let asked: Vec<(Defect, usize)> = (opts.defects.iter().filter(|(d, _)| whole(d)))
            .chain(opts.defects.iter().filter(|(d, _)| !whole(d)))
            .copied()
            .collect();
        for (def, n) in asked {
            let mut candidates: Vec<usize> = (0..self.pupils.len())
                .filter(|p| !used.contains(p))
                .filter(|&p| {
                    let x = &self.pupils[p];
                    x.entree == self.rentree && x.sortie.is_none()
                })
                .collect();
            r.shuffle(&mut candidates);
            let ordinary = count_fr(
                candidates.len(),
                "élève présent toute l'année et sans autre défaut",
                "élèves présents toute l'année et sans autre défaut",
            );
            // (how many were injected, what limits them)
            let (got, limit): (usize, String) = match def {
                Defect::Oversized => {
                    class_records.push(DefectRecord {
                        defect: def,
                        code: def.code(),
                        eleve: None,
                        division: None,
                        bilans: Vec::new(),
                        detail: format!(
                            "{} élèves et {} divisions/classes dans un seul fichier",
                            self.pupils.len(),
                            self.divisions.len()
                        ),
                    });
                    // N is a minimal number of pupils, reached in `generate`.
                    (n, String::new())
                }
                Defect::TeacherSpelling => {
                    let mut ts: Vec<usize> = self
                        .divisions
                        .iter()
                        .map(|x| x.pp)
                        .filter(|t| self.teachers[*t].lsu_nom == self.teachers[*t].nom)
                        .collect();
                    ts.dedup();
                    // Names with accents, hyphens or apostrophes first: the classic mismatches.
                    ts.sort_by_key(|&t| {
                        self.teachers[t]
                            .nom
                            .chars()
                            .all(|c| c.is_ascii_alphabetic())
                    });
                    let limit = count_fr(
                        ts.len(),
                        "enseignant de classe dont le nom n'est pas déjà altéré",
                        "enseignants de classe dont le nom n'est pas déjà altéré",
                    );
                    let mut got = 0;
                    for (j, t) in ts.into_iter().take(n).enumerate() {
                        let variant = spelling_variant(&self.teachers[t].nom, j);
                        let detail = format!(
                            "enseignant écrit « {} » dans LSU au lieu de « {} » (ONDE)",
                            variant, self.teachers[t].nom
                        );
                        self.teachers[t].lsu_nom = variant;
                        pending.push((def, t, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, limit)
                }
                Defect::UnknownOndeClass => {
                    let mut got = 0;
                    for p in candidates.into_iter().take(n) {
                        used.insert(p);
                        let origin = self.pupils[p].division;
                        let ghost = match self.lsu_classes.iter().position(|c| {
                            c.division == origin && c.id_be != self.divisions[origin].onde_id
                        }) {
                            Some(g) => g,
                            None => {
                                let known: BTreeSet<u32> =
                                    self.lsu_classes.iter().map(|x| x.id_be).collect();
                                // An id from last year's ONDE classes, no longer valid.
                                let real = self.divisions[origin].onde_id;
                                let id = (1..)
                                    .map(|k: u32| {
                                        real.checked_sub(37 * k)
                                            .filter(|x| *x > 1000)
                                            .unwrap_or(real + 100_000 + k)
                                    })
                                    .find(|x| !known.contains(x))
                                    .unwrap_or(real + 99_999);
                                self.lsu_classes.push(LsuClass {
                                    id: format!("CL_{}", self.lsu_classes.len() + 1),
                                    id_be: id,
                                    libelle: format!(
                                        "{} (année précédente)",
                                        self.divisions[origin].niveau
                                    ),
                                    division: origin,
                                });
                                self.lsu_classes.len() - 1
                            }
                        };
                        self.pupils[p].lsu_class = ghost;
                        self.pupils[p].lsu_division = self.lsu_classes[ghost].id_be.to_string();
                        let detail = format!(
                            "classe-ref vers une classe d'id-be {} inconnu d'ONDE (classe ONDE réelle : {})",
                            self.lsu_classes[ghost].id_be, self.divisions[origin].onde_id
                        );
                        pending.push((def, p, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::UnknownDivision => {
                    let mut got = 0;
                    for (j, p) in candidates.into_iter().take(n).enumerate() {
                        used.insert(p);
                        let code = self.divisions[self.pupils[p].division].code.clone();
                        let (niv, rest) = code.split_at(1);
                        let variant = match j % 3 {
                            0 => format!("{niv}e{rest}"),
                            1 => format!("{niv} {rest}"),
                            _ => format!("{niv}EME{rest}"),
                        };
                        let detail =
                            format!("code-division « {variant} » au lieu de « {code} » (Siècle)");
                        self.pupils[p].lsu_division = variant;
                        pending.push((def, p, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::UnknownDivisionClass => {
                    let free: Vec<usize> = (0..self.divisions.len())
                        .filter(|dv| !pinned.contains(dv))
                        .filter(|&dv| self.pupils.iter().any(|x| x.division == dv))
                        .filter(|&dv| {
                            (0..self.pupils.len())
                                .all(|p| self.pupils[p].division != dv || !used.contains(&p))
                        })
                        .collect();
                    let limit = count_fr(
                        free.len(),
                        "division avec des élèves sans autre défaut",
                        "divisions avec des élèves sans autre défaut",
                    );
                    let mut divs = free;
                    r.shuffle(&mut divs);
                    // Classes already in positionnement first: nothing else changes for them.
                    divs.sort_by_key(|&dv| self.divisions[dv].scale != Scale::Echelle);
                    let mut known: BTreeSet<String> = self
                        .divisions
                        .iter()
                        .flat_map(|x| [x.code.clone(), x.lsu_code.clone()])
                        .collect();
                    let mut got = 0;
                    for (j, dv) in divs.into_iter().take(n).enumerate() {
                        let code = self.divisions[dv].code.clone();
                        let (niv, rest) = code.split_at(1);
                        let variants = [
                            format!("{niv} {rest}"),
                            format!("{niv}EME{rest}"),
                            format!("{niv}e{rest}"),
                        ];
                        // A trailing space would vanish in LSU's whitespace handling.
                        let Some(variant) = (0..3)
                            .map(|i| variants[(j + i) % 3].clone())
                            .find(|v| !known.contains(v) && !v.ends_with(' '))
                        else {
                            continue;
                        };
                        known.insert(variant.clone());
                        // The school set the class to positionnement in LSU, under its Siècle
                        // code: the unknown code gets LSU's default, notes sur 20.
                        self.divisions[dv].scale = Scale::Echelle;
                        self.divisions[dv].lsu_code = variant.clone();
                        pinned.insert(dv);
                        let detail = format!(
                            "classe entière exportée sous le code-division « {variant} » au lieu de « {code} » (Siècle), réglée en positionnement dans LSU sous son code Siècle"
                        );
                        for p in 0..self.pupils.len() {
                            if self.pupils[p].division == dv {
                                used.insert(p);
                                self.pupils[p].lsu_division = variant.clone();
                                pending.push((def, p, None, Slot::Cycle, detail.clone()));
                            }
                        }
                        got += 1;
                    }
                    (got, limit)
                }
                Defect::UnknownPupil => {
                    let mut taken: BTreeSet<u32> = self
                        .pupils
                        .iter()
                        .flat_map(|x| [x.eleve_id, x.lsu_id_be])
                        .collect();
                    let mut got = 0;
                    for (j, p) in candidates.into_iter().take(n).enumerate() {
                        let (eleve_id, elenoet) = (self.pupils[p].eleve_id, self.pupils[p].elenoet);
                        // Half export the ELENOET (the other Siècle number), half mistype.
                        let (id, detail) = if j % 2 == 0 && !taken.contains(&elenoet) {
                            (
                                elenoet,
                                format!("id-be {elenoet} : l'ELENOET de l'élève au lieu de son ELEVE_ID {eleve_id} (Siècle)"),
                            )
                        } else if let Some(t) =
                            id_typos(eleve_id).into_iter().find(|t| !taken.contains(t))
                        {
                            (
                                t,
                                format!("id-be {t} : faute de frappe dans l'ELEVE_ID {eleve_id} (Siècle)"),
                            )
                        } else {
                            continue;
                        };
                        taken.insert(id);
                        used.insert(p);
                        self.pupils[p].lsu_id_be = id;
                        pending.push((def, p, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::DateBeforeEntry => {
                    let mut got = 0;
                    for p in candidates.into_iter().take(n) {
                        used.insert(p);
                        // Arrived during the first period (after its start).
                        let per = &self.periods[0];
                        let span = (per.fin - per.debut).num_days().max(2);
                        let entree =
                            weekday_on_or_after(per.debut + Duration::days(r.range(7, span - 1)));
                        let entree = entree.min(per.fin);
                        self.pupils[p].entree = entree;
                        let detail = format!(
                            "date-scolarite {} antérieure à l'entrée dans l'établissement le {}",
                            per.debut, entree
                        );
                        pending.push((def, p, Some(0), Slot::Periode(0), detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::DateAfterExit => {
                    let mut got = 0;
                    for p in candidates.into_iter().take(n) {
                        used.insert(p);
                        let (k, sortie) = if self.periods.len() >= 2 {
                            (1, self.periods[1].debut - Duration::days(r.range(3, 20)))
                        } else {
                            (0, self.periods[0].debut + Duration::days(30))
                        };
                        self.pupils[p].sortie = Some(sortie);
                        self.forced_bilans.insert((p, k));
                        let ds = self.date_scolarite(p, k).max(sortie + Duration::days(1));
                        let detail = format!(
                            "bilan de la période {} avec date-scolarite {} alors que l'élève est sorti le {}",
                            k + 1,
                            ds,
                            sortie
                        );
                        pending.push((def, p, Some(k), Slot::Periode(k), detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::DateScolariteBeforeRentree
                | Defect::DanglingRef
                | Defect::CommaAverage
                | Defect::ScaleMismatch => {
                    let needs_notes = matches!(def, Defect::CommaAverage | Defect::ScaleMismatch);
                    let in_notes = |s: &School, p: usize| {
                        !needs_notes || s.divisions[s.pupils[p].division].scale == Scale::Notes
                    };
                    let mut eligible = candidates.iter().filter(|&&p| in_notes(self, p)).count();
                    // A school whose classes are all in positionnement (a small collège of
                    // 6e only) has no average to spoil: switch classes to notes sur 20, the
                    // LSU settings with them, until the defect has room.
                    for dv in 0..self.divisions.len() {
                        if eligible >= n {
                            break;
                        }
                        if pinned.contains(&dv) || self.divisions[dv].scale == Scale::Notes {
                            continue;
                        }
                        self.divisions[dv].scale = Scale::Notes;
                        eligible = candidates.iter().filter(|&&p| in_notes(self, p)).count();
                    }
                    let eligible: Vec<usize> = candidates
                        .iter()
                        .copied()
                        .filter(|&p| in_notes(self, p))
                        .collect();
                    let limit = if needs_notes {
                        count_fr(
                            eligible.len(),
                            "élève présent toute l'année, sans autre défaut, dans une classe qui peut être notée sur 20",
                            "élèves présents toute l'année, sans autre défaut, dans une classe qui peut être notée sur 20",
                        )
                    } else {
                        ordinary
                    };
                    let mut got = 0;
                    for p in eligible.into_iter().take(n) {
                        used.insert(p);
                        let k = r.below(self.periods.len());
                        let detail = match def {
                            Defect::DateScolariteBeforeRentree => format!(
                                "date-scolarite antérieure à la rentrée du {} (période {})",
                                self.rentree,
                                k + 1
                            ),
                            Defect::DanglingRef => format!(
                                "enseignant-refs du premier acquis vers un enseignant non déclaré (période {})",
                                k + 1
                            ),
                            Defect::CommaAverage => {
                                format!("moyenne-eleve avec une virgule décimale (période {})", k + 1)
                            }
                            _ => format!(
                                "positionnement 1–4 dans une classe paramétrée en notes sur 20 (période {})",
                                k + 1
                            ),
                        };
                        pending.push((def, p, Some(k), Slot::Periode(k), detail));
                        got += 1;
                    }
                    (got, limit)
                }
                Defect::SocleIncomplete => {
                    let eligible: Vec<usize> = candidates
                        .into_iter()
                        .filter(|&p| self.cycle_of(p).is_some())
                        .collect();
                    let limit = count_fr(
                        eligible.len(),
                        "élève présent toute l'année, sans autre défaut, avec un bilan de fin de cycle (6e ou 3e ; CE2 au 1er degré)",
                        "élèves présents toute l'année, sans autre défaut, avec un bilan de fin de cycle (6e ou 3e ; CE2 au 1er degré)",
                    );
                    let mut got = 0;
                    for p in eligible.into_iter().take(n) {
                        used.insert(p);
                        pending.push((def, p, None, Slot::Cycle, "bilan de fin de cycle sans les composantes du socle MET_APP et SYS_NAT".into()));
                        got += 1;
                    }
                    (got, limit)
                }
            };
            if got < n {
                return Err(shortfall(def, n, got, &limit));
            }
        }
        for (def, p, _, slot, _) in &pending {
            if !matches!(
                def,
                Defect::UnknownDivision
                    | Defect::UnknownDivisionClass
                    | Defect::UnknownPupil
                    | Defect::UnknownOndeClass
                    | Defect::TeacherSpelling
            ) {
                self.bilan_defects.insert((*p, *slot), *def);
            }
        }
        let pkeys = self.periodic_keys();
        let ckeys = self.cycle_keys();
        let pref = |p: usize, k: usize| -> Option<BilanRef> {
            pkeys.iter().position(|&x| x == (p, k)).map(|i| BilanRef {
                kind: BilanKind::Periodique {
                    indice: k as u32 + 1,
                },
                eleve: self.pupils[p].id.clone(),
                index: i + 1,
            })
        };
        let cref = |p: usize| -> Option<BilanRef> {
            ckeys.iter().position(|&(x, _)| x == p).map(|i| BilanRef {
                kind: BilanKind::Cycle { cycle: ckeys[i].1 },
                eleve: self.pupils[p].id.clone(),
                index: i + 1,
            })
        };
        let all_of = |p: usize| -> Vec<BilanRef> {
            let mut v: Vec<BilanRef> = pkeys
                .iter()
                .enumerate()
                .filter(|(_, x)| x.0 == p)
                .map(|(i, x)| BilanRef {
                    kind: BilanKind::Periodique {
                        indice: x.1 as u32 + 1,
                    },
                    eleve: self.pupils[p].id.clone(),
                    index: i + 1,
                })
                .collect();
            v.extend(cref(p));
            v
        };
        let mut records = Vec::new();
        for (def, who, k, slot, detail) in pending {
            let rec = match def {
                Defect::TeacherSpelling => {
                    let t = &self.teachers[who];
                    let div = self.divisions.iter().position(|x| x.pp == who);
                    let mut bilans = Vec::new();
                    for (i, &(p, kk)) in pkeys.iter().enumerate() {
                        if Some(self.pupils[p].division) == div {
                            bilans.push(BilanRef {
                                kind: BilanKind::Periodique {
                                    indice: kk as u32 + 1,
                                },
                                eleve: self.pupils[p].id.clone(),
                                index: i + 1,
                            });
                        }
                    }
                    for (i, &(p, c)) in ckeys.iter().enumerate() {
                        if Some(self.pupils[p].division) == div {
                            bilans.push(BilanRef {
                                kind: BilanKind::Cycle { cycle: c },
                                eleve: self.pupils[p].id.clone(),
                                index: i + 1,
                            });
                        }
                    }
                    DefectRecord {
                        defect: def,
                        code: def.code(),
                        eleve: None,
                        division: div.map(|x| self.divisions[x].code.clone()),
                        bilans,
                        detail: format!("{} ({})", detail, t.id),
                    }
                }
                _ => {
                    let p = who;
                    let bilans = match (slot, k) {
                        (Slot::Periode(_), Some(k)) => pref(p, k).into_iter().collect(),
                        (Slot::Cycle, _) if def == Defect::SocleIncomplete => {
                            cref(p).into_iter().collect()
                        }
                        _ => all_of(p),
                    };
                    DefectRecord {
                        defect: def,
                        code: def.code(),
                        eleve: Some(self.pupils[p].id.clone()),
                        division: Some(self.pupils[p].lsu_division.clone()),
                        bilans,
                        detail,
                    }
                }
            };
            records.push(rec);
        }
        records.extend(class_records);
        self.defects = records;
        Ok(())
    }
}

/// « 1 élève », « 3 élèves » (French: 0 and 1 take the singular).
fn count_fr(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// The error for a defect that could not be injected as many times as asked.
fn shortfall(def: Defect, asked: usize, got: usize, limit: &str) -> GenError {
    let possible = match got {
        0 => "aucune fois".to_string(),
        1 => "une seule fois".to_string(),
        g => format!("{g} fois au plus"),
    };
    GenError(format!(
        "impossible d'injecter le défaut {def} {asked} fois : {possible} dans cet établissement, qui compte {limit} ; augmentez le nombre d'élèves ou demandez moins de défauts"
    ))
}

/// Mistypings of an ELEVE_ID: two adjacent digits swapped (from the right), then one digit
/// off by one; none starts with a zero.
fn id_typos(id: u32) -> Vec<u32> {
    let digits: Vec<u8> = id.to_string().into_bytes();
    let mut out = Vec::new();
    let mut push = |d: &[u8]| {
        if d.first() != Some(&b'0') {
            if let Some(x) = std::str::from_utf8(d).ok().and_then(|t| t.parse().ok()) {
                if x != id {
                    out.push(x);
                }
            }
        }
    };
    for i in (1..digits.len()).rev() {
        if digits[i] != digits[i - 1] {
            let mut d = digits.clone();
            d.swap(i, i - 1);
            push(&d);
        }
    }
    for i in (0..digits.len()).rev() {
        for delta in [1u8, 9] {
            let mut d = digits.clone();
            d[i] = b'0' + (d[i] - b'0' + delta) % 10;
            push(&d);
        }
    }
    out
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'à' | 'â' | 'ä' => 'a',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            c => c,
        })
        .collect()
}

/// A spelling of `nom` that LSU's exact comparison rejects: accents dropped, hyphen turned
/// into a space, typographic apostrophe, or upper-case — the first that changes something,
/// starting from variant `j`.
pub fn spelling_variant(nom: &str, j: usize) -> String {
    let variants: [fn(&str) -> String; 4] = [
        strip_accents,
        |s| s.replace('-', " "),
        |s| s.replace('\'', "\u{2019}"),
        |s| s.to_uppercase(),
    ];
    for i in 0..variants.len() {
        let v = variants[(j + i) % variants.len()](nom);
        if v != nom {
            return v;
        }
    }
    format!("{nom}e")
}
