//! The typed code table: one line per code of `spec/rules.md`, in the spec's order. Columns:
//! code, ★ (named in the product brief), name, default severity, impact, confidence of LSU's
//! reaction (`lsu-error-catalogue.md`), required inputs (each `[..]` a set of alternatives),
//! the spec's `needs` text, fix class, the spec's fix text, and the rule module that declares the
//! code's kinds. `Code`, `CATALOGUE` and `Code::ALL` are generated from it, in this order, so a
//! code's metadata is `CATALOGUE[code as usize]` with no lookup and no fallback.

use super::{Confidence, FixClass, Impact, Input, RuleMeta, Severity};

catalogue! {
    S001 false "unknown-root-or-version" Error FichierRejete C [] "F" None "none" => schema::s001;
    S002 false "schema-violation" Error FichierRejete C [] "F" None "none (finer rules below)" => schema::s002;
    S003 false "required-block-missing" Error FichierRejete C [] "F" Suggest "suggest" => schema::s003;
    S004 false "code-not-in-enumeration" Error FichierRejete C [] "F" Safe "safe (case/space only)" => schema::s004;
    S005 false "malformed-value" Error FichierRejete C [] "F" Safe "safe (unambiguous date formats)" => schema::s005;
    S006 false "empty-optional-block" Warning BilanRejete I [] "F" Safe "safe (remove)" => schema::s006;
    S007 false "schema-version-newer-than-known" Warning Prealable I [] "F" None "none" => schema::s007;
    R001 false "dangling-reference" Error BilanRejete I [] "F" Safe "safe when the ref is optional, else suggest" => refs::r001;
    R002 false "reference-to-wrong-kind" Error BilanRejete I [] "F" None "none" => refs::r002;
    R003 false "empty-reference-list" Error BilanRejete I [] "F" Safe "safe (drop optional attribute)" => refs::r003;
    R004 false "unused-declaration" Info Qualite I [] "F" Safe "safe (prune)" => refs::r004;
    R005 false "incoherent-epi-or-ap" Warning PerteSilencieuse C [] "F" Suggest "suggest" => refs::r005;
    R006 false "orphan-common-block" Warning PerteSilencieuse I [] "F" Safe "safe (drop)" => refs::r006;
    I001 false "uai-mismatch" Error FichierRejete C [] "F (+SIE/STS/ONDE)" Suggest "suggest" => identity::i001;
    I002 false "eleve-unknown-in-siecle" Error BilanRejete R [[Siecle]] "SIE" Unsafe "unsafe (unambiguous name+birth match)" => identity::i002;
    I003 true "division-unknown-in-siecle" Error BilanRejete C [[Siecle, Sts]] "SIE or STS" Unsafe "unsafe (pupil has exactly one division)" => identity::i003;
    I004 true "classe-unknown-in-onde" Error BilanRejete C [[Onde]] "ONDE" Unsafe "unsafe (exactly one ONDE class with same label)" => identity::i004;
    I005 false "ine-invalid-or-unknown" Error BilanRejete C [] "F (+ONDE)" Unsafe "unsafe" => identity::i005;
    I006 false "eleve-name-mismatch" Warning Qualite I [[Siecle, Onde]] "SIE or ONDE" Suggest "suggest" => identity::i006;
    I007 false "stale-reference-data" Warning Prealable C [[Siecle, Nomenclature, Sts, Onde, Communs]] "SIE/NOM/STS/ONDE" Suggest "suggest" => identity::i007;
    D001 true "date-scolarite-outside-enrolment" Error BilanRejete R [] "F + CAL (+SIE/ONDE)" Unsafe "unsafe (clamp into the enrolment window)" => dates::d001;
    D002 false "conseil-date-inconsistent" Warning BilanRejete I [] "F" Suggest "suggest" => dates::d002;
    D003 false "period-dates-differ-from-lsu" Error BilanRejete C [[Settings]] "SET (1D)" Unsafe "unsafe" => dates::d003;
    D004 false "periodicity-mismatch" Error BilanRejete C [[Settings]] "SET" Suggest "suggest" => dates::d004;
    D005 false "millesime-inconsistent" Error BilanRejete R [] "F + CAL" Unsafe "unsafe" => dates::d005;
    D006 false "campaign-closed" Error BilanRejete R [] "F + today" None "none" => dates::d006;
    D007 false "implausible-lock-or-creation-date" Warning Qualite I [] "F" Safe "safe (format only)" => dates::d007;
    D008 false "period-calendar-anomaly" Warning BilanRejete C [] "F + CAL" Suggest "suggest" => dates::d008;
    T001 false "id-sts-malformed" Error FichierRejete C [] "F" Safe "safe (strip one leading P)" => teachers::t001;
    T002 false "enseignant-unknown-in-sts" Warning Alerte C [[Sts]] "STS" Unsafe "unsafe (exactly one STS person matches)" => teachers::t002;
    T003 false "no-sts-service" Warning Alerte I [[Sts]] "STS (+SIE)" Suggest "suggest" => teachers::t003;
    T004 true "enseignant-name-mismatch-onde" Warning Alerte C [[Settings]] "SET `[[enseignants]]`" Unsafe "unsafe (exactly one folded match); safe NFC" => teachers::t004;
    T005 false "placeholder-identity" Warning Alerte C [] "F" Suggest "suggest" => teachers::t005;
    T006 false "discipline-without-enseignant" Error BilanRejete I [] "F" Suggest "suggest" => teachers::t006;
    T007 false "responsable-missing-or-duplicated" Error FichierRejete C [] "F" Suggest "suggest" => teachers::t007;
    T008 false "enseignant-duplicate" Error FichierRejete C [] "F" Safe "safe (merge identical)" => teachers::t008;
    M001 false "matiere-hors-siecle" Warning Alerte C [[Nomenclature]] "NOM" Suggest "suggest" => matieres::m001;
    M002 false "modalite-election-inconsistent" Warning Alerte I [[Nomenclature]] "NOM (+SIE)" Unsafe "unsafe" => matieres::m002;
    M003 false "discipline-duplicate" Error FichierRejete C [] "F" Suggest "suggest" => matieres::m003;
    M004 false "option-zero-hours" Warning Alerte I [[Sts, Nomenclature]] "STS or NOM" Suggest "suggest" => matieres::m004;
    M005 false "eleve-not-in-option-group" Warning Alerte I [[Siecle]] "SIE (+STS)" Suggest "suggest" => matieres::m005;
    M006 false "langue-vivante-mismatch" Warning Alerte I [[Siecle]] "SIE" Suggest "suggest" => matieres::m006;
    M007 false "academic-code-without-national" Warning Alerte I [] "F (+NOM)" Unsafe "unsafe" => matieres::m007;
    P001 true "scale-mismatch-with-lsu-settings" Error BilanRejete C [[Settings]] "SET" Suggest "suggest" => positionnement::p001;
    P002 false "mixed-scales-in-class" Error BilanRejete C [] "F" Suggest "suggest" => positionnement::p002;
    P003 false "malformed-average" Error FichierRejete C [] "F" Safe "safe (comma → dot, rounding)" => positionnement::p003;
    P004 false "contradictory-evaluation" Error BilanRejete I [] "F" Safe "safe (drop redundant flag)" => positionnement::p004;
    P005 false "class-average-flag-missing" Warning Qualite I [] "F" Safe "safe" => positionnement::p005;
    P006 false "bilan-1d-incomplete" Error BilanRejete C [] "F" Suggest "suggest" => positionnement::p006;
    P007 false "element-programme-required" Error FichierRejete C [] "F (old schemas)" Unsafe "unsafe" => positionnement::p007;
    P008 false "vie-scolaire-counters" Error FichierRejete C [] "F" Unsafe "unsafe (clamp negatives)" => positionnement::p008;
    C001 true "socle-incomplete" Error FichierRejete C [] "F" None "none (never invent a level)" => cycle::c001;
    C002 false "synthese-missing" Error FichierRejete C [] "F" Suggest "suggest" => cycle::c002;
    C003 false "cycle-inconsistent" Error BilanRejete I [] "F (+SIE)" Suggest "suggest" => cycle::c003;
    C004 false "enseignement-complement-invalid" Error FichierRejete C [] "F" Safe "safe (AUC cases)" => cycle::c004;
    C005 false "periodic-socle-invalid" Error FichierRejete C [] "F" Safe "safe (drop incomplete optional block, old schemas)" => cycle::c005;
    C006 false "langue-regionale-invalid" Error FichierRejete C [] "F" None "none" => cycle::c006;
    C007 false "competences-numeriques-empty" Warning BilanRejete I [] "F" Safe "safe (drop)" => cycle::c007;
    X001 false "text-too-long" Error FichierRejete C [] "F" Safe "safe for labels, unsafe for appreciations (cut at a word boundary)" => text::x001;
    X002 false "blank-text" Error FichierRejete C [] "F" Safe "safe when optional (remove), else suggest" => text::x002;
    X003 false "carriage-return-in-text" Error FichierRejete C [] "F" Safe "safe (CR → LF)" => text::x003;
    X004 false "placeholder-text" Info Qualite C [] "F" Suggest "suggest" => text::x004;
    X005 false "extra-whitespace" Info Qualite I [] "F" Safe "safe (labels and names only)" => text::x005;
    B001 false "mixed-degree-or-school" Error FichierRejete C [] "F (+SIE/ONDE)" Suggest "suggest" => batch::b001;
    B002 true "oversized-batch" Warning BilanRejete R [] "F" Safe "safe (split per division or niveau)" => batch::b002;
    B003 false "eleve-changed-division" Error BilanRejete C [] "F (+SIE)" Safe "safe (split)" => batch::b003;
    B004 false "several-periods-1d" Warning BilanRejete C [] "F" Safe "safe (split per period)" => batch::b004;
    U001 false "eleve-duplicate" Error FichierRejete C [] "F" Safe "safe (merge identical)" => unique::u001;
    U002 false "bilan-duplicate" Error FichierRejete C [] "F" Suggest "suggest" => unique::u002;
    U003 false "element-programme-duplicate-label" Error FichierRejete C [] "F" Safe "safe (merge exact duplicates)" => unique::u003;
    U004 false "duplicate-id" Error FichierRejete C [] "F" Safe "safe (renumber identical objects)" => unique::u004;
    U005 false "unique-key-violation" Error FichierRejete C [] "F" Safe "safe (merge identical)" => unique::u005;
    E001 false "not-well-formed" Error FichierRejete C [] "F" Safe "safe (HTML named entities, bare &)" => encoding::e001;
    E002 false "invalid-utf8" Error FichierRejete C [] "F" Unsafe "unsafe (transcode from Windows-1252)" => encoding::e002;
    E003 false "forbidden-xml-character" Error FichierRejete C [] "F" Safe "safe (remove)" => encoding::e003;
    E004 false "bom-or-declaration" Info Qualite I [] "F" Safe "safe" => encoding::e004;
    E005 false "unicode-not-nfc" Warning Alerte I [] "F" Safe "safe (NFC)" => encoding::e005;
    E006 false "non-bmp-character" Warning Qualite I [] "F" Unsafe "unsafe" => encoding::e006;
    L001 false "class-not-in-import-editeur" Error Prealable C [[Settings]] "SET" Suggest "suggest" => lsu::l001;
    L004 false "modalites-accompagnement-ignored-1d" Warning PerteSilencieuse C [] "F" Safe "safe (drop, report pupils)" => lsu::l004;
}
