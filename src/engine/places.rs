//! Attaching findings to their bilan, pupil and division, and an XPath-like path.

use crate::xml::Node;

use crate::diagnostic::Diagnostic;
use crate::model::Lsu;

/// Bilans and pupils sorted by position, to attach findings to them quickly.
pub(super) struct Places<'a, 'i> {
    bilans: Vec<Node<'a, 'i>>,
}

impl<'a, 'i> Places<'a, 'i> {
    pub(super) fn new(lsu: &Lsu<'a, 'i>) -> Self {
        let mut bilans: Vec<Node> = lsu.all_bilans().collect();
        bilans.sort_by_key(|n| n.range().start);
        Places { bilans }
    }

    fn enclosing(list: &[Node<'a, 'i>], offset: usize) -> Option<(usize, Node<'a, 'i>)> {
        let idx = list.partition_point(|n| n.range().start <= offset);
        let i = idx.checked_sub(1)?;
        let n = list[i];
        (offset < n.range().end).then_some((i, n))
    }

    pub(super) fn complete(&self, lsu: &Lsu<'a, 'i>, d: &mut Diagnostic) {
        let bilan = Self::enclosing(&self.bilans, d.start);
        let eleve_node = match bilan {
            Some((_, b)) => {
                d.bilan.get_or_insert(b.range().start);
                if d.eleve.is_none() {
                    d.eleve = b.attribute("eleve-ref").map(str::to_string);
                }
                lsu.eleve_of(b)
            }
            None => Self::enclosing(&lsu.eleves, d.start)
                .map(|(_, e)| e)
                // A finding outside the pupil's element that names him (a declaration).
                .or_else(|| {
                    let n = lsu.target(d.eleve.as_deref()?)?;
                    (n.tag_name().name() == "eleve").then_some(n)
                }),
        };
        if let Some(e) = eleve_node {
            if d.eleve.is_none() {
                d.eleve = e.attribute("id").map(str::to_string);
            }
            if d.eleve_key.is_none() {
                // 2D pupils are keyed by their Siècle id, 1D pupils by their INE.
                d.eleve_key = e
                    .attribute("id-be")
                    .or_else(|| e.attribute("ine"))
                    .map(|k| k.trim().to_string())
                    .filter(|k| !k.is_empty());
            }
            if d.eleve_label.is_none() {
                let nom = e.attribute("nom").unwrap_or("").trim();
                let prenom = e.attribute("prenom").unwrap_or("").trim();
                let label = format!("{nom} {prenom}");
                let label = label.trim();
                if !label.is_empty() {
                    d.eleve_label = Some(label.to_string());
                }
            }
            if d.division.is_none() {
                d.division = lsu.division_of_eleve(e).map(str::to_string);
            }
        }
        if d.division.is_none() && d.bilan.is_none() && d.eleve.is_none() {
            d.division = common_block_division(lsu, d.start).map(str::to_string);
        }
        if d.path.is_none() || d.id_path.is_none() {
            let chain = self.chain(lsu, d.start);
            if d.path.is_none() {
                d.path = Some(crate::diagnostic::exact(path_of(&chain)));
            }
            if d.id_path.is_none() {
                d.id_path = Some(crate::diagnostic::exact(id_path_of(&chain, d.start)));
            }
        }
    }

    /// The elements from the root down to the deepest one containing `offset`, each with its
    /// 1-based rank among its same-name siblings when it has some.
    fn chain(&self, lsu: &Lsu<'a, 'i>, offset: usize) -> Vec<(Node<'a, 'i>, Option<usize>)> {
        let mut node = lsu.root;
        let mut chain = vec![(node, None)];
        loop {
            let name_of_list = node.tag_name().name();
            let next = if name_of_list == "bilans-periodiques"
                || name_of_list == "bilans-cycle"
                || name_of_list == "eleves"
            {
                let list: &[Node] = match name_of_list {
                    "bilans-periodiques" => &lsu.bilans_periodiques,
                    "bilans-cycle" => &lsu.bilans_cycle,
                    _ => &lsu.eleves,
                };
                Self::enclosing(list, offset).map(|(i, n)| (n, Some(i + 1)))
            } else {
                node.children()
                    .filter(Node::is_element)
                    .find(|c| c.range().start <= offset && offset < c.range().end)
                    .map(|c| {
                        let name = c.tag_name().name();
                        let same = |s: &Node| s.is_element() && s.tag_name().name() == name;
                        let idx = c.prev_siblings().skip(1).filter(same).count();
                        let several = idx > 0 || c.next_siblings().skip(1).any(|s| same(&s));
                        (c, several.then_some(idx + 1))
                    })
            };
            match next {
                Some(step) => {
                    node = step.0;
                    chain.push(step);
                }
                None => break,
            }
        }
        chain
    }
}

/// `/lsun-bilans/donnees/bilans-periodiques/bilan-periodique[17]/…`: positions, for reading.
fn path_of(chain: &[(Node, Option<usize>)]) -> String {
    let mut path = String::new();
    for (n, idx) in chain {
        push_step(&mut path, *n, *idx);
    }
    path
}

/// Attributes that identify an element among its siblings when it has no `id`: the pupil and
/// period of a bilan, the discipline of an acquis, the code of a domaine or parcours… Values
/// that a correction of another field never changes.
const KEY_ATTRIBUTES: &[&str] = &[
    "eleve-ref",
    "periode-ref",
    "cycle",
    "discipline-ref",
    "code-domaine",
    "code",
    "code-division",
    "classe-ref",
    "enseignant-ref",
    "epi-groupe-ref",
    "acc-perso-groupe-ref",
];

/// The same elements named by their ids and key attributes instead of their positions
/// (`/lsun-bilans/donnees/bilans-periodiques/bilan-periodique[@eleve-ref='E17'][@periode-ref='P1']`),
/// with `/@name` when `offset` is the start of an attribute; a rank only for siblings that
/// nothing else tells apart. Adding lines or pupils above leaves it unchanged.
fn id_path_of(chain: &[(Node, Option<usize>)], offset: usize) -> String {
    let mut path = String::new();
    for (n, idx) in chain {
        path.push('/');
        path.push_str(n.tag_name().name());
        // One reading of the start tag (the tree does not store attributes).
        let attrs: Vec<(&str, &str)> = n.plain_attributes().collect();
        let get = |k: &str| attrs.iter().find(|(name, _)| *name == k).map(|(_, v)| *v);
        let keys: Vec<(&str, &str)> = match get("id") {
            Some(id) => vec![("id", id)],
            None => KEY_ATTRIBUTES
                .iter()
                .filter_map(|k| Some((*k, get(k)?)))
                .collect(),
        };
        if keys.is_empty() {
            if let Some(i) = idx {
                path.push_str(&format!("[{i}]"));
            }
        }
        for (k, v) in keys {
            let q = if v.contains('\'') { '"' } else { '\'' };
            path.push_str(&format!("[@{k}={q}{v}{q}]"));
        }
    }
    if let Some((last, _)) = chain.last() {
        if let Some(a) = last.attributes().find(|a| a.range().start == offset) {
            path.push_str("/@");
            path.push_str(a.name());
        }
    }
    path
}

/// The division of the common block (`parcours-commun`, `vie-scolaire-commun`, a type D
/// `competences-numeriques-commun`) that contains `offset`: its `code-division` (2D) or its
/// class's `id-be` (1D `classe-ref`), as for a pupil.
fn common_block_division<'a>(lsu: &Lsu<'a, '_>, offset: usize) -> Option<&'a str> {
    let inside = |n: &Node| n.range().start <= offset && offset < n.range().end;
    let container = lsu
        .donnees?
        .children()
        .find(|c| c.is_element() && inside(c))?;
    if !matches!(
        container.tag_name().name(),
        "parcours-communs" | "vies-scolaires-communs" | "competences-numeriques-communs"
    ) {
        return None;
    }
    let block = container.children().find(|c| c.is_element() && inside(c))?;
    if let Some(d) = block.attribute("code-division") {
        return Some(d);
    }
    if block.attribute("type-structure").map(str::trim) == Some("D") {
        return block.attribute("code-structure");
    }
    block
        .attribute("classe-ref")
        .and_then(|r| lsu.target(r))
        .filter(|c| c.tag_name().name() == "classe")
        .and_then(|c| c.attribute("id-be"))
}

fn push_step(path: &mut String, node: Node, idx: Option<usize>) {
    path.push('/');
    path.push_str(node.tag_name().name());
    if let Some(i) = idx {
        path.push_str(&format!("[{i}]"));
    }
}
