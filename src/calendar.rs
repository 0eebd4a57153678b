//! The school calendar: official pupils' rentrée of each school year (metropolitan France and
//! the académies whose calendar differs), from `reference-data.md` §3. Overridable: `rentree`
//! in the LSU settings, else Siècle Communs, else this table (precedence of `rules.md`).

use chrono::NaiveDate;

/// Académies whose rentrée differs from metropolitan France (names as users write them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    Metropole,
    Reunion,
    Mayotte,
    NouvelleCaledonie,
    Polynesie,
    WallisEtFutuna,
    SaintPierreEtMiquelon,
    Antilles,
    Corse,
}

impl Zone {
    /// Maps a settings `academie` to its calendar zone; unknown names are metropolitan.
    pub fn from_academie(name: &str) -> Zone {
        let n = crate::util::fold(name);
        match n.as_str() {
            "la reunion" | "reunion" => Zone::Reunion,
            "mayotte" => Zone::Mayotte,
            "nouvelle-caledonie" | "nouvelle caledonie" => Zone::NouvelleCaledonie,
            "polynesie francaise" | "polynesie" => Zone::Polynesie,
            "wallis-et-futuna" | "wallis et futuna" => Zone::WallisEtFutuna,
            "saint-pierre-et-miquelon" | "saint pierre et miquelon" => Zone::SaintPierreEtMiquelon,
            "guadeloupe" | "martinique" | "guyane" => Zone::Antilles,
            "corse" => Zone::Corse,
            _ => Zone::Metropole,
        }
    }
}

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

/// Metropolitan rentrée by millesime (first year of the school year).
fn metropole(millesime: i32) -> Option<NaiveDate> {
    match millesime {
        2016 => d(2016, 9, 1),
        2017 => d(2017, 9, 4),
        2018 => d(2018, 9, 3),
        2019 => d(2019, 9, 2),
        2020 => d(2020, 9, 1),
        2021 => d(2021, 9, 2),
        2022 => d(2022, 9, 1),
        2023 => d(2023, 9, 4),
        2024 => d(2024, 9, 2),
        2025 => d(2025, 9, 1),
        // Draft arrêté (final publication not found): see reference-data.md §3.1.
        2026 => d(2026, 9, 1),
        _ => None,
    }
}

/// Where a rentrée date came from (named in D001 messages).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RentreeSource {
    Settings,
    Communs,
    Calendar(&'static str),
}

impl RentreeSource {
    pub fn label_fr(&self) -> String {
        match self {
            RentreeSource::Settings => "paramètres LSU (rentree)".into(),
            RentreeSource::Communs => "Siècle Communs".into(),
            RentreeSource::Calendar(z) => format!("calendrier officiel, {z}"),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Calendar {
    pub zone: Zone,
    /// `rentree` from the LSU settings, with its millesime.
    pub settings_rentree: Option<(i32, NaiveDate)>,
    /// School-year start from Siècle Communs, with its millesime.
    pub communs_rentree: Option<(i32, NaiveDate)>,
}

impl Default for Calendar {
    fn default() -> Self {
        Calendar {
            zone: Zone::Metropole,
            settings_rentree: None,
            communs_rentree: None,
        }
    }
}

impl Calendar {
    /// The rentrée of the school year starting in `millesime`, and its source.
    pub fn rentree(&self, millesime: i32) -> Option<(NaiveDate, RentreeSource)> {
        if let Some((y, date)) = self.settings_rentree {
            if y == millesime {
                return Some((date, RentreeSource::Settings));
            }
        }
        if let Some((y, date)) = self.communs_rentree {
            if y == millesime {
                return Some((date, RentreeSource::Communs));
            }
        }
        self.builtin(millesime)
            .map(|date| (date, RentreeSource::Calendar(self.zone_label())))
    }

    fn zone_label(&self) -> &'static str {
        match self.zone {
            Zone::Metropole => "métropole",
            Zone::Reunion => "La Réunion",
            Zone::Mayotte => "Mayotte",
            Zone::NouvelleCaledonie => "Nouvelle-Calédonie",
            Zone::Polynesie => "Polynésie française",
            Zone::WallisEtFutuna => "Wallis-et-Futuna",
            Zone::SaintPierreEtMiquelon => "Saint-Pierre-et-Miquelon",
            Zone::Antilles => "Antilles-Guyane",
            Zone::Corse => "Corse",
        }
    }

    /// The built-in table; None when the date is not known for that zone and year.
    pub fn builtin(&self, millesime: i32) -> Option<NaiveDate> {
        match self.zone {
            // Same day as metropolitan France in every year seen.
            Zone::Metropole | Zone::Antilles | Zone::Corse | Zone::SaintPierreEtMiquelon => {
                metropole(millesime)
            }
            Zone::Reunion => match millesime {
                2016 => d(2016, 8, 17),
                2018 => d(2018, 8, 17),
                2019 => d(2019, 8, 16),
                2021 => d(2021, 8, 16),
                2022 => d(2022, 8, 16),
                2023 => d(2023, 8, 17),
                2024 => d(2024, 8, 19),
                2025 => d(2025, 8, 19),
                _ => None,
            },
            Zone::Mayotte => match millesime {
                2019 => d(2019, 8, 23),
                2023 => d(2023, 8, 23),
                2024 => d(2024, 8, 26),
                _ => None,
            },
            Zone::Polynesie => match millesime {
                2024 => d(2024, 8, 13),
                2025 => d(2025, 8, 11),
                _ => None,
            },
            // Calendar-year school years (rentrée in February of the millesime).
            Zone::NouvelleCaledonie => match millesime {
                2020 => d(2020, 2, 17),
                2021 => d(2021, 2, 15),
                2023 => d(2023, 2, 13),
                2025 => d(2025, 2, 17),
                2026 => d(2026, 2, 16),
                _ => None,
            },
            Zone::WallisEtFutuna => None,
        }
    }
}
