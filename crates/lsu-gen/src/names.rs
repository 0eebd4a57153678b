//! Invented French-sounding names and the text fragments of appreciations. The surnames are
//! built from syllables so that large schools get variety; a few hand-written ones carry the
//! accents, hyphens and apostrophes that trip up name matching (T004, I006).

use super::rng::Rng;

pub const PRENOMS_F: &[&str] = &[
    "Léna",
    "Inès",
    "Zoé",
    "Anaïs",
    "Élise",
    "Chloé",
    "Maëlys",
    "Clémence",
    "Héloïse",
    "Océane",
    "Léonie",
    "Noémie",
    "Anne-Sophie",
    "Marie-Ève",
    "Cécile",
    "Bérénice",
    "Maïwenn",
    "Solène",
    "Ysaline",
    "Capucine",
    "Aurore",
    "Gwenaëlle",
    "Mélissandre",
    "Loane",
    "Éléonore",
    "Romane",
    "Lise-Marie",
    "Nolwenn",
    "Aïcha",
    "Thaïs",
    "Clotilde",
    "Perrine",
    "Séraphine",
    "Jade",
    "Lou",
];

pub const PRENOMS_M: &[&str] = &[
    "Noé",
    "Maël",
    "Jules",
    "Timothée",
    "Loïc",
    "Raphaël",
    "Gaëtan",
    "Aurélien",
    "Joël",
    "Théo",
    "Mathéo",
    "Jean-Baptiste",
    "Benoît",
    "François",
    "Yanis",
    "Erwan",
    "Anatole",
    "Côme",
    "Évariste",
    "Lazare",
    "Paul-Henri",
    "Quentin",
    "Sacha",
    "Tristan",
    "Ulysse",
    "Valentin",
    "Wandrille",
    "Hippolyte",
    "Noah",
    "Éloi",
    "Baptiste",
    "Léandre",
    "Marius",
    "Gaspard",
];

/// Hand-written surnames with the difficult characters.
pub const NOMS_SPECIAUX: &[&str] = &[
    "D'Arcy-Lefèvre",
    "Le Goasdoué",
    "Saint-Aubrac",
    "L'Hermitte",
    "Després-Rouvière",
    "Dufaÿ",
    "Boësnard",
    "Ménétrier",
    "D'Aubigny",
    "Lacombe-Rieu",
    "Noël-Quéré",
    "Védrine",
    "De La Varenne",
    "Hérault-Bézier",
    "Kerléguer",
    "Œillet",
    "Chassaing-Pradès",
    "N'Diaye-Morel",
];

const STEMS: &[&str] = &[
    "Bel", "Bour", "Chab", "Dal", "Fourn", "Gal", "Lam", "Marc", "Pell", "Roch", "Sauv", "Vern",
    "Berth", "Court", "Daub", "Esc", "Faur", "Guill", "Hériss", "Jourd", "Laur", "Mén", "Noir",
    "Pér", "Rouss", "Tess", "Val", "Cast", "Garn", "Mont", "Brun", "Lem", "Bast", "Quill", "Sév",
    "Trév", "Carr", "Fav", "Gren", "Ling",
];
const ENDINGS: &[&str] = &[
    "ard", "et", "eau", "ier", "elle", "and", "ot", "ès", "in", "ais", "on", "ac", "ière", "aud",
    "oux", "ieu", "at", "ignac", "ouin", "enne", "ault", "eix", "azet", "oire", "uchon", "eron",
];

/// A surname in its canonical (mixed-case) spelling.
pub fn nom(r: &mut Rng) -> String {
    if r.chance(0.12) {
        return (*r.pick(NOMS_SPECIAUX)).to_string();
    }
    let mut s = format!("{}{}", r.pick(STEMS), r.pick(ENDINGS));
    if r.chance(0.06) {
        let other = format!("{}{}", r.pick(STEMS), r.pick(ENDINGS));
        s = format!("{s}-{other}");
    }
    s
}

pub fn prenom(r: &mut Rng, fille: bool) -> String {
    let list = if fille { PRENOMS_F } else { PRENOMS_M };
    (*r.pick(list)).to_string()
}

/// Upper-case as Siècle, STS and ONDE print surnames (accents kept).
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// Appreciation fragments by level (0 = weakest … 3 = best).
const APPR_DEBUT: [&[&str]; 4] = [
    &[
        "Des difficultés importantes ce trimestre.",
        "Les bases ne sont pas encore acquises.",
        "Un travail trop irrégulier.",
    ],
    &[
        "Des résultats encore fragiles.",
        "Un trimestre en demi-teinte.",
        "Des progrès, mais des acquis à consolider.",
    ],
    &[
        "Un bon trimestre.",
        "Des résultats satisfaisants.",
        "Un travail sérieux et régulier.",
    ],
    &[
        "Un excellent trimestre.",
        "De très bons résultats.",
        "Un travail remarquable, bravo.",
    ],
];

const APPR_SUITE: [&[&str]; 4] = [
    &[
        "Il faut reprendre les leçons chaque soir et demander de l'aide.",
        "La participation orale doit devenir plus active.",
        "Le travail personnel doit être plus approfondi.",
    ],
    &[
        "Il faut gagner en rigueur dans les exercices.",
        "La méthode doit être plus soignée.",
        "Persévérez : les efforts commencent à payer.",
    ],
    &[
        "Continuez ainsi en soignant l'expression écrite.",
        "La participation est appréciée.",
        "Il reste à gagner en autonomie.",
    ],
    &[
        "Une curiosité et une aisance appréciables.",
        "Des qualités d'analyse à faire fructifier.",
        "Une participation toujours pertinente.",
    ],
];

/// An appreciation for one subject, ≤ 200 characters (one sentence, sometimes two).
pub fn appreciation(r: &mut Rng, level: usize) -> String {
    let l = level.min(3);
    if r.chance(0.35) {
        format!("{} {}", r.pick(APPR_DEBUT[l]), r.pick(APPR_SUITE[l]))
    } else {
        (*r.pick(APPR_DEBUT[l])).to_string()
    }
}

const CONSEILS: [&[&str]; 4] = [
    &[
        "Le conseil de classe s'inquiète des résultats : un sursaut est attendu.",
        "Trimestre insuffisant. Il faut s'organiser et travailler régulièrement.",
    ],
    &[
        "Trimestre encourageant mais inégal selon les disciplines.",
        "Des efforts à poursuivre pour consolider les acquis.",
    ],
    &[
        "Bon trimestre dans l'ensemble. Poursuivez vos efforts.",
        "Élève sérieux et investi, le conseil l'encourage.",
    ],
    &[
        "Excellent trimestre, félicitations du conseil de classe.",
        "Très bon trimestre, un investissement exemplaire.",
    ],
];

pub fn conseils(r: &mut Rng, level: usize) -> String {
    (*r.pick(CONSEILS[level.min(3)])).to_string()
}

const SYNTHESES: [&[&str]; 4] = [
    &["Des acquis encore insuffisants en fin de cycle ; un accompagnement reste nécessaire pour consolider la maîtrise de la langue et des méthodes de travail."],
    &["Une maîtrise fragile de plusieurs composantes du socle ; les progrès de l'année sont réels et doivent être poursuivis."],
    &["Une maîtrise satisfaisante du socle commun, avec un travail régulier et une bonne implication dans la vie de la classe."],
    &["Une très bonne maîtrise de l'ensemble des composantes du socle ; un parcours remarquable tout au long du cycle."],
];

pub fn synthese(r: &mut Rng, level: usize) -> String {
    (*r.pick(SYNTHESES[level.min(3)])).to_string()
}

pub const VIE_SCOLAIRE: &[&str] = &[
    "Assiduité et ponctualité irréprochables.",
    "Quelques retards à éviter.",
    "Comportement agréable en classe.",
    "Bavardages fréquents, à corriger.",
];

pub const VIE_COMMUNE: &[&str] = &[
    "Classe dynamique et solidaire ce trimestre.",
    "Classe agréable mais parfois bavarde.",
    "Un groupe investi dans les projets de l'établissement.",
];

/// 1D general appreciations.
pub const APPR_1D: [&[&str]; 4] = [
    &["Une période difficile : il faut davantage de concentration en classe."],
    &["Des progrès cette période ; la lecture doit encore être travaillée à la maison."],
    &["Une bonne période, avec un travail soigné et une bonne participation."],
    &["Une très belle période, bravo pour ton investissement et ta curiosité."],
];
