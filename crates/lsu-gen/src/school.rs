//! Building a school from the options: disciplines, periods, divisions or classes, teachers
//! and pupils (bilans are rebuilt on demand by `bilans`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// Collège MEF codes (Gepi `bulletin/bull_func_2016.lib.php`).
pub fn mef_of(niveau: u8) -> &'static str {
    match niveau {
        5 => "10110001110",
        4 => "10210001110",
        3 => "10310019110",
        _ => "10010012110",
    }
}

/// 2D disciplines. Codes as in the ministry's LSU sample (see `reference-data.md`); columns:
/// code, modalité, CODE_GESTION, LIBELLE_COURT, libellé, LV2, STS qualification (code, label),
/// weekly hours (6e, cycle 4), programme elements.
const DISCIPLINES_2D: [Discipline; 12] = [
    Discipline {
        code: "020700",
        modalite: "S",
        gestion: "FRANC",
        court: "FRANCAIS",
        libelle: "Français",
        lv2: false,
        qualif: ("L0202", "LETTRES MODERNES"),
        horaire: ("4.50", "4.50"),
        elements: &[
            "Lire et comprendre des textes variés",
            "Écrire un texte organisé et cohérent",
            "S'exprimer à l'oral avec clarté",
        ],
    },
    Discipline {
        code: "061300",
        modalite: "S",
        gestion: "MATHS",
        court: "MATHEMATIQUES",
        libelle: "Mathématiques",
        lv2: false,
        qualif: ("L1300", "MATHEMATIQUES"),
        horaire: ("4.50", "3.50"),
        elements: &[
            "Résoudre des problèmes numériques",
            "Raisonner et démontrer en géométrie",
            "Utiliser le calcul littéral",
        ],
    },
    Discipline {
        code: "030201",
        modalite: "O",
        gestion: "AGL1",
        court: "ANGLAIS LV1",
        libelle: "Anglais LV1",
        lv2: false,
        qualif: ("L0422", "ANGLAIS"),
        horaire: ("4.00", "3.00"),
        elements: &[
            "Comprendre un document oral en anglais",
            "Prendre la parole en continu en anglais",
        ],
    },
    Discipline {
        code: "030602",
        modalite: "O",
        gestion: "ESP2",
        court: "ESPAGNOL LV2",
        libelle: "Espagnol LV2",
        lv2: true,
        qualif: ("L0426", "ESPAGNOL"),
        horaire: ("0", "2.50"),
        elements: &[
            "Comprendre un texte écrit en espagnol",
            "Interagir à l'oral en espagnol",
        ],
    },
    Discipline {
        code: "030102",
        modalite: "O",
        gestion: "ALL2",
        court: "ALLEMAND LV2",
        libelle: "Allemand LV2",
        lv2: true,
        qualif: ("L0421", "ALLEMAND"),
        horaire: ("0", "2.50"),
        elements: &[
            "Comprendre un texte écrit en allemand",
            "Interagir à l'oral en allemand",
        ],
    },
    Discipline {
        code: "042100",
        modalite: "S",
        gestion: "HIGEO",
        court: "HISTOIRE-GEOGRAPHIE",
        libelle: "Histoire-géographie",
        lv2: false,
        qualif: ("L1000", "HISTOIRE GEOGRAPHIE"),
        horaire: ("3.00", "3.00"),
        elements: &[
            "Se repérer dans le temps et dans l'espace",
            "Analyser et comprendre un document",
        ],
    },
    Discipline {
        code: "062900",
        modalite: "S",
        gestion: "SVT",
        court: "SVT",
        libelle: "Sciences de la vie et de la Terre",
        lv2: false,
        qualif: ("L1500", "SC. VIE & TERRE"),
        horaire: ("1.50", "1.50"),
        elements: &[
            "Pratiquer des démarches scientifiques",
            "Expliquer le fonctionnement du corps humain",
        ],
    },
    Discipline {
        code: "062300",
        modalite: "S",
        gestion: "PH-CH",
        court: "PHYSIQUE-CHIMIE",
        libelle: "Physique-chimie",
        lv2: false,
        qualif: ("L1315", "PHYSIQUE CHIMIE"),
        horaire: ("1.50", "1.50"),
        elements: &[
            "Décrire la constitution de la matière",
            "Mesurer et interpréter des grandeurs physiques",
        ],
    },
    Discipline {
        code: "070800",
        modalite: "S",
        gestion: "TECHN",
        court: "TECHNOLOGIE",
        libelle: "Technologie",
        lv2: false,
        qualif: ("L1400", "TECHNOLOGIE"),
        horaire: ("1.50", "1.50"),
        elements: &[
            "Concevoir et réaliser un objet technique",
            "Écrire un programme simple",
        ],
    },
    Discipline {
        code: "090100",
        modalite: "S",
        gestion: "A-PLA",
        court: "ARTS PLASTIQUES",
        libelle: "Arts plastiques",
        lv2: false,
        qualif: ("L1800", "ARTS PLASTIQUES"),
        horaire: ("1.00", "1.00"),
        elements: &[
            "Expérimenter, produire, créer",
            "Situer une œuvre dans son contexte",
        ],
    },
    Discipline {
        code: "081300",
        modalite: "S",
        gestion: "EDMUS",
        court: "EDUCATION MUSICALE",
        libelle: "Éducation musicale",
        lv2: false,
        qualif: ("L1700", "EDUCATION MUSICALE"),
        horaire: ("1.00", "1.00"),
        elements: &[
            "Chanter et interpréter",
            "Écouter et décrire une œuvre musicale",
        ],
    },
    Discipline {
        code: "100100",
        modalite: "S",
        gestion: "EPS",
        court: "ED.PHYSIQUE & SPORT.",
        libelle: "Éducation physique et sportive",
        lv2: false,
        qualif: ("L1900", "EDUCATION PHYSIQUE ET SPORTIVE"),
        horaire: ("4.00", "3.00"),
        elements: &[
            "Produire une performance optimale",
            "Coopérer et s'opposer dans un sport collectif",
        ],
    },
];

/// Index of the first discipline with that code.
fn disc_idx(ds: &[Discipline], code: &str) -> usize {
    ds.iter().position(|x| x.code == code).unwrap_or(0)
}

/// Period bounds for `nb` periods: the usual trimestres for 3, an even split otherwise.
fn make_periods(degree: Degree, nb: u32, rentree: NaiveDate) -> Vec<Period> {
    let fin_annee = d(2026, 7, 3);
    let mut out = Vec::new();
    if nb == 3 {
        let bounds = match degree {
            Degree::D2 => [
                (rentree, d(2025, 11, 30), d(2025, 12, 4)),
                (d(2025, 12, 1), d(2026, 2, 28), d(2026, 3, 12)),
                (d(2026, 3, 1), fin_annee, d(2026, 6, 11)),
            ],
            Degree::D1 => [
                (rentree, d(2025, 11, 28), d(2025, 12, 4)),
                (d(2025, 12, 1), d(2026, 3, 6), d(2026, 3, 12)),
                (d(2026, 3, 9), fin_annee, d(2026, 6, 11)),
            ],
        };
        for (i, (a, b, c)) in bounds.into_iter().enumerate() {
            out.push((a, b, c, i as u32 + 1));
        }
    } else {
        let total = (fin_annee - rentree).num_days();
        for i in 0..nb {
            let a = rentree + Duration::days(total * i as i64 / nb as i64);
            let b = if i + 1 == nb {
                fin_annee
            } else {
                rentree + Duration::days(total * (i as i64 + 1) / nb as i64 - 1)
            };
            let c = if i + 1 == nb {
                d(2026, 6, 11)
            } else {
                b + Duration::days(4)
            };
            out.push((a, b, c, i + 1));
        }
    }
    out.into_iter()
        .map(|(debut, fin, conseil, indice)| Period {
            id: match degree {
                Degree::D2 => format!("PER_2025_{indice}_{nb}"),
                Degree::D1 => format!("PER_{indice}"),
            },
            indice,
            nb,
            debut,
            fin,
            conseil,
        })
        .collect()
}

/// Next working day (Monday–Friday) on or after `x`.
pub(crate) fn weekday_on_or_after(x: NaiveDate) -> NaiveDate {
    let mut y = x;
    while y.weekday().number_from_monday() > 5 {
        y += Duration::days(1);
    }
    y
}

/// Division codes for `n` pupils: four niveaux, ~28 pupils per division.
fn auto_divisions(n: usize) -> Vec<String> {
    let count = n.div_ceil(28).max(1);
    let mut out = Vec::new();
    for i in 0..count {
        let niveau = [6, 5, 4, 3][i % 4];
        let k = i / 4;
        let letters = if k < 26 {
            ((b'A' + k as u8) as char).to_string()
        } else {
            format!(
                "{}{}",
                (b'A' + (k / 26 - 1) as u8 % 26) as char,
                (b'A' + (k % 26) as u8) as char
            )
        };
        out.push(format!("{niveau}{letters}"));
    }
    out
}

fn auto_classes_1d(n: usize) -> Vec<String> {
    let count = n.div_ceil(25).max(1);
    let levels = ["CP", "CE1", "CE2", "CM1", "CM2"];
    (0..count).map(|i| levels[i % 5].to_string()).collect()
}

/// Cycle of a 1D level.
pub fn cycle_1d(niveau: &str) -> u8 {
    if niveau.starts_with("CM") {
        3
    } else {
        2
    }
}

impl School {
    /// Builds a school, applying the defects asked for.
    pub fn generate(opts: &Options) -> Result<School, GenError> {
        if opts.version.degree() != opts.degree {
            return Err(GenError(format!(
                "la version de schéma {} n'existe pas pour le {} (2nd degré : 10.0, 7.0 ou 3.0 ; 1er degré : 1.0)",
                opts.version.as_str(),
                if opts.degree == Degree::D1 { "1er degré" } else { "2nd degré" }
            )));
        }
        // LSU periodicities: semestres, trimestres, bimestres or 5 periods.
        if !(2..=5).contains(&opts.periods) {
            return Err(GenError(format!(
                "nombre de périodes {} invalide : entre 2 et 5",
                opts.periods
            )));
        }
        for (def, _) in &opts.defects {
            if !def.applies_to(opts.degree) {
                return Err(GenError(format!(
                    "le défaut {def} ne concerne pas le {}",
                    if opts.degree == Degree::D1 {
                        "1er degré"
                    } else {
                        "2nd degré"
                    }
                )));
            }
        }
        let mut eleves = opts.eleves.max(1);
        for (def, n) in &opts.defects {
            if *def == Defect::Oversized {
                eleves = eleves.max((*n).max(251));
            }
        }
        let mut r = Rng::derive(opts.seed, &[1]);
        let uai = match &opts.uai {
            Some(u) => u.clone(),
            None => format!(
                "0999{:03}{}",
                r.below(1000),
                (b'A' + r.below(26) as u8) as char
            ),
        };
        let rentree = d(2025, 9, 1);
        let mut school = School {
            degree: opts.degree,
            version: opts.version,
            seed: opts.seed,
            uai,
            denomination: String::new(),
            commune: String::new(),
            millesime: 2025,
            rentree,
            fin_annee: d(2026, 7, 3),
            periods: make_periods(opts.degree, opts.periods, rentree),
            disciplines: Vec::new(),
            teachers: Vec::new(),
            head: 0,
            divisions: Vec::new(),
            lsu_classes: Vec::new(),
            pupils: Vec::new(),
            defects: Vec::new(),
            bilan_defects: BTreeMap::new(),
            forced_bilans: BTreeSet::new(),
            order: Vec::new(),
        };
        const LIEUX: &[&str] = &[
            "des Tilleuls",
            "Jean-de-La-Fontaine",
            "Marie-Curie",
            "des Hauts-de-Vèze",
            "Saint-Exupéry",
            "Hélène-Boucher",
            "du Val-d'Arré",
            "Émile-Zola",
        ];
        const COMMUNES: &[&str] = &[
            "VILLE-EXEMPLE",
            "BOURG-FICTIF",
            "SAINT-ESSAI",
            "LA-VALLÉE-TEST",
        ];
        let lieu = *r.pick(LIEUX);
        school.commune = (*r.pick(COMMUNES)).to_string();
        match opts.degree {
            Degree::D2 => {
                school.denomination = format!("COLLEGE {}", names::upper(lieu));
                school.build_2d(opts, eleves, &mut r)?;
            }
            Degree::D1 => {
                school.denomination = format!("ECOLE ELEMENTAIRE {}", names::upper(lieu));
                school.build_1d(opts, eleves, &mut r)?;
            }
        }
        let mut order: Vec<usize> = (0..school.pupils.len()).collect();
        order.sort_by(|&a, &b| {
            let (pa, pb) = (&school.pupils[a], &school.pupils[b]);
            (pa.division, pa.nom_upper(), &pa.prenom, a).cmp(&(
                pb.division,
                pb.nom_upper(),
                &pb.prenom,
                b,
            ))
        });
        school.order = order;
        school.inject(opts)?;
        Ok(school)
    }

    fn new_teacher(
        &mut self,
        r: &mut Rng,
        kind: &'static str,
        discipline: Option<usize>,
        sts_base: u32,
    ) -> usize {
        // (civilité, nom, prénom) must be unique: it is the 1D teachers' key in the schema.
        let (mut civilite, mut nom, mut prenom);
        let mut tries = 0;
        loop {
            civilite = if r.chance(0.6) {
                Civilite::Mme
            } else {
                Civilite::M
            };
            nom = names::nom(r);
            prenom = names::prenom(r, civilite == Civilite::Mme);
            let taken = self
                .teachers
                .iter()
                .any(|t| t.civilite == civilite && t.nom == nom && t.prenom == prenom);
            tries += 1;
            if !taken {
                break;
            }
            if tries > 20 {
                nom = format!("{nom}-{}", names::nom(r));
                break;
            }
        }
        let sts_id = sts_base + self.teachers.len() as u32 * 3 + r.below(3) as u32;
        let naissance = d(
            1960 + r.below(35) as i32,
            1 + r.below(12) as u32,
            1 + r.below(28) as u32,
        );
        self.teachers.push(Teacher {
            id: format!("ENS_{sts_id}"),
            sts_id,
            kind,
            civilite,
            lsu_nom: nom.clone(),
            nom,
            prenom,
            discipline,
            naissance,
        });
        self.teachers.len() - 1
    }

    fn new_pupil(
        &mut self,
        r: &mut Rng,
        division: usize,
        niveau: String,
        birth_year: i32,
        ids: (u32, u32, u64),
    ) -> usize {
        let i = self.pupils.len();
        let fille = r.chance(0.5);
        let nom = names::nom(r);
        let prenom = names::prenom(r, fille);
        let naissance = d(birth_year, 1 + r.below(12) as u32, 1 + r.below(28) as u32);
        let letters = [
            (b'A' + r.below(26) as u8) as char,
            (b'A' + r.below(26) as u8) as char,
        ];
        let ine = format!("{:09}{}{}", ids.2 + i as u64 * 7, letters[0], letters[1]);
        let modalite = if r.chance(0.06) {
            Some(*r.pick(&["PAP", "PPRE", "PAI"]))
        } else {
            None
        };
        let eleve_id = ids.0 + i as u32 * 3 + r.below(3) as u32;
        self.pupils.push(Pupil {
            id: format!("EL_{}", i + 1),
            eleve_id,
            lsu_id_be: eleve_id,
            elenoet: ids.1 + i as u32,
            ine,
            nom,
            prenom,
            fille,
            naissance,
            entree: self.rentree,
            sortie: None,
            division,
            lsu_division: String::new(),
            lsu_class: 0,
            niveau,
            lv2: None,
            ability: r.normal(),
            modalite,
        });
        i
    }

    fn build_2d(&mut self, opts: &Options, eleves: usize, r: &mut Rng) -> Result<(), GenError> {
        self.disciplines = DISCIPLINES_2D.to_vec();
        let codes = if opts.classes.is_empty() {
            auto_divisions(eleves)
        } else {
            opts.classes.clone()
        };
        for c in &codes {
            let ok = c.chars().next().is_some_and(|x| matches!(x, '3'..='6'))
                && c.chars().count() <= 8
                && c.chars().all(|x| x.is_ascii_alphanumeric());
            if !ok {
                return Err(GenError(format!(
                    "code de division « {c} » invalide : il doit commencer par le niveau (6, 5, 4 ou 3) et ne contenir que des lettres et chiffres (8 au plus)"
                )));
            }
        }
        let sts_base = 100_000 + r.below(800_000) as u32;
        // The principal: a STS individual with FONCTION DIR, no service.
        self.head = self.new_teacher(r, "epp", None, sts_base);
        // Teachers: each one takes up to 5 divisions (LV2: groups) of his discipline.
        let mut load: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // disc -> (teacher, count)
        for code in &codes {
            let niveau = code.chars().next().unwrap_or('6').to_string();
            let mut div = Division {
                code: code.clone(),
                lsu_code: code.clone(),
                scale: if niveau == "6" {
                    Scale::Echelle
                } else {
                    Scale::Notes
                },
                onde_id: 0,
                libelle: format!("{}EME {}", niveau, &code[1..]),
                niveau,
                teachers: Vec::new(),
                pp: 0,
            };
            for (di, disc) in self.disciplines.clone().iter().enumerate() {
                if disc.lv2 && div.niveau == "6" {
                    continue;
                }
                let t = match load.get(&di) {
                    Some(&(t, n)) if n < 5 => {
                        load.insert(di, (t, n + 1));
                        t
                    }
                    _ => {
                        // About one teacher in fifteen is a contractual (« local ») person.
                        let kind = if r.chance(0.07) { "local" } else { "epp" };
                        let t = self.new_teacher(r, kind, Some(di), sts_base);
                        load.insert(di, (t, 1));
                        t
                    }
                };
                div.teachers.push((di, t));
            }
            let pp_disc = if r.chance(0.5) { 0 } else { 1 };
            div.pp = div.teacher_of(pp_disc).unwrap_or(0);
            self.divisions.push(div);
        }
        let eleve_base = 1_000_000 + r.below(7_000_000) as u32;
        let elenoet_base = 10_000 + r.below(50_000) as u32;
        let ine_base = 100_000_000 + r.below(700_000_000) as u64;
        let ndiv = self.divisions.len();
        let esp = disc_idx(&self.disciplines, "030602");
        let all = disc_idx(&self.disciplines, "030102");
        for i in 0..eleves {
            let div = i % ndiv;
            let niv = self.divisions[div].niveau_num();
            // 6e pupils are born in 2014 (11 at the rentrée), one year more per niveau.
            let birth = 2014 - (6 - niv as i32) - if r.chance(0.08) { 1 } else { 0 };
            let p = self.new_pupil(
                r,
                div,
                self.divisions[div].niveau.clone(),
                birth,
                (eleve_base, elenoet_base, ine_base),
            );
            let code = self.divisions[div].code.clone();
            let pupil = &mut self.pupils[p];
            pupil.lsu_division = code;
            if niv != 6 {
                pupil.lv2 = Some(if r.chance(0.7) { esp } else { all });
            }
        }
        // Natural late arrivals and leavers (not defects): ~4 % and ~3 %, at least one each.
        let n = self.pupils.len();
        if n >= 10 {
            let late = (n * 4 / 100).max(1);
            let gone = (n * 3 / 100).max(1);
            let mut idx: Vec<usize> = (0..n).collect();
            r.shuffle(&mut idx);
            for &p in idx.iter().take(late) {
                let off = r.range(14, 150);
                self.pupils[p].entree = weekday_on_or_after(self.rentree + Duration::days(off));
            }
            for &p in idx.iter().skip(late).take(gone) {
                let off = r.range(40, 240);
                self.pupils[p].sortie =
                    Some(weekday_on_or_after(self.rentree + Duration::days(off)));
            }
        }
        Ok(())
    }

    fn build_1d(&mut self, opts: &Options, eleves: usize, r: &mut Rng) -> Result<(), GenError> {
        let levels = if opts.classes.is_empty() {
            auto_classes_1d(eleves)
        } else {
            opts.classes.clone()
        };
        const KNOWN: [&str; 5] = ["CP", "CE1", "CE2", "CM1", "CM2"];
        for l in &levels {
            if l.split('-').any(|x| !KNOWN.contains(&x)) {
                return Err(GenError(format!(
                    "classe « {l} » invalide : niveaux CP, CE1, CE2, CM1, CM2, éventuellement joints par un tiret (CM1-CM2)"
                )));
            }
            if l.split('-').map(cycle_1d).collect::<BTreeSet<_>>().len() > 1 {
                return Err(GenError(format!(
                    "classe « {l} » invalide : elle mêle deux cycles"
                )));
            }
        }
        // 1D people have no STS id; the numbers only keep the internal ids unique.
        self.head = self.new_teacher(r, "epp", None, 1000);
        let mut onde_id = 10_000 + r.below(80_000) as u32;
        for (ci, l) in levels.iter().enumerate() {
            onde_id += 1 + r.below(40) as u32;
            let t = self.new_teacher(r, "epp", None, 1000);
            let teacher = &self.teachers[t];
            let label = format!(
                "{l} - {} {}",
                if teacher.civilite == Civilite::Mme {
                    "Mme"
                } else {
                    "M."
                },
                names::upper(&teacher.nom)
            );
            self.divisions.push(Division {
                code: onde_id.to_string(),
                lsu_code: onde_id.to_string(),
                niveau: l.clone(),
                scale: Scale::Echelle,
                onde_id,
                libelle: label.clone(),
                teachers: vec![(0, t)],
                pp: t,
            });
            self.lsu_classes.push(LsuClass {
                id: format!("CL_{}", ci + 1),
                id_be: onde_id,
                libelle: label,
                division: ci,
            });
        }
        let ine_base = 100_000_000 + r.below(700_000_000) as u64;
        let nd = self.divisions.len();
        for i in 0..eleves {
            let div = i % nd;
            let lv: Vec<String> = self.divisions[div]
                .niveau
                .split('-')
                .map(str::to_string)
                .collect();
            let niveau = lv[(i / nd) % lv.len()].clone();
            let rank = KNOWN.iter().position(|k| *k == niveau).unwrap_or(0) as i32;
            // CP pupils are born in 2019 (6 at the rentrée).
            let birth = 2019 - rank - if r.chance(0.05) { 1 } else { 0 };
            let p = self.new_pupil(r, div, niveau, birth, (0, 0, ine_base));
            self.pupils[p].lsu_class = div;
            self.pupils[p].lsu_division = self.divisions[div].code.clone();
            // ONDE sends the modalités itself; 1D files carry none (L004).
            self.pupils[p].modalite = None;
        }
        Ok(())
    }

    /// The periods a pupil gets a bilan for (present at some point of the period).
    pub fn periods_of(&self, p: usize) -> Vec<usize> {
        let pupil = &self.pupils[p];
        (0..self.periods.len())
            .filter(|&k| {
                let per = &self.periods[k];
                let present =
                    pupil.entree <= per.fin && pupil.sortie.is_none_or(|s| s >= per.debut);
                present || self.forced_bilans.contains(&(p, k))
            })
            .collect()
    }

    /// The end-of-cycle bilan of a pupil, if any: cycle 3 in 6e, 4 in 3e (2D), 2 in CE2 (1D);
    /// none for a pupil who has left.
    pub fn cycle_of(&self, p: usize) -> Option<u8> {
        let pupil = &self.pupils[p];
        if pupil.sortie.is_some() {
            return None;
        }
        match self.degree {
            Degree::D2 => match self.divisions[pupil.division].niveau_num() {
                6 => Some(3),
                3 => Some(4),
                _ => None,
            },
            Degree::D1 => (pupil.niveau == "CE2").then_some(2),
        }
    }

    /// Pupils in file order.
    pub fn pupil_order(&self) -> &[usize] {
        &self.order
    }

    /// Every periodic bilan in file order: (pupil, period index). Periods outermost, as most
    /// exporters write one period after the other.
    pub fn periodic_keys(&self) -> Vec<(usize, usize)> {
        let mut per_pupil: Vec<Vec<usize>> = vec![Vec::new(); self.pupils.len()];
        for &p in &self.order {
            per_pupil[p] = self.periods_of(p);
        }
        let mut out = Vec::new();
        for k in 0..self.periods.len() {
            for &p in &self.order {
                if per_pupil[p].contains(&k) {
                    out.push((p, k));
                }
            }
        }
        out
    }

    /// Every bilan-cycle in file order: (pupil, cycle).
    pub fn cycle_keys(&self) -> Vec<(usize, u8)> {
        self.order
            .iter()
            .filter_map(|&p| self.cycle_of(p).map(|c| (p, c)))
            .collect()
    }

    /// The `date-scolarite` of a periodic bilan: max(period start, entry date), as SACoche
    /// and Gepi compute it (before any defect).
    pub fn date_scolarite(&self, p: usize, k: usize) -> NaiveDate {
        let per = &self.periods[k];
        per.debut.max(self.pupils[p].entree)
    }

    pub(crate) fn defect_of(&self, p: usize, slot: Slot) -> Option<Defect> {
        self.bilan_defects.get(&(p, slot)).copied()
    }
}
