//! P family. One file per rule; `rules()` lists this family's rules for the registry.

use super::Rule;

pub mod p001;
pub mod p002;
pub mod p003;
pub mod p004;
pub mod p005;
pub mod p006;
pub mod p007;
pub mod p008;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &p001::RULE,
        &p002::RULE,
        &p003::RULE,
        &p004::RULE,
        &p005::RULE,
        &p006::RULE,
        &p007::RULE,
        &p008::RULE,
    ]
}

pub use crate::util::xs_trim;

/// An average as written, split into its parts: `[+-]digits[.,digits][/20]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Average {
    pub negative: bool,
    pub int: String,
    pub frac: String,
    pub comma: bool,
    pub per20: bool,
}

impl Average {
    pub fn parse(v: &str) -> Option<Average> {
        let mut t = xs_trim(v);
        let mut per20 = false;
        if let Some(rest) = t.strip_suffix("/20") {
            t = rest.trim_end();
            per20 = true;
        }
        let (negative, t) = match t.as_bytes().first() {
            Some(b'-') => (true, &t[1..]),
            Some(b'+') => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac, comma) = match t.find(['.', ',']) {
            Some(i) => (&t[..i], &t[i + 1..], t.as_bytes()[i] == b','),
            None => (t, "", false),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) {
            return None;
        }
        Some(Average {
            negative,
            int: int.to_string(),
            frac: frac.to_string(),
            comma,
            per20,
        })
    }

    fn is_zero(&self) -> bool {
        self.int.bytes().chain(self.frac.bytes()).all(|b| b == b'0')
    }

    /// Strictly above 20 (20, 20.0 and 20.00 are the maximum).
    pub fn above_20(&self) -> bool {
        let int = self.int.trim_start_matches('0');
        if int.len() > 2 {
            return true;
        }
        let n: u32 = int.parse().unwrap_or(0);
        n > 20 || (n == 20 && self.frac.bytes().any(|b| b != b'0'))
    }

    pub fn negative_value(&self) -> bool {
        self.negative && !self.is_zero()
    }

    /// Significant fraction digits (trailing zeros do not count in `xs:decimal`).
    pub fn fraction_digits(&self) -> usize {
        self.frac.trim_end_matches('0').len()
    }

    /// The value with a dot, rounded half up to 2 decimals, trailing zeros removed; None when
    /// negative or above 20 (no meaning-preserving rewrite exists).
    pub fn normalized(&self) -> Option<String> {
        if self.negative_value() || self.above_20() {
            return None;
        }
        let int = self.int.trim_start_matches('0');
        let int: u64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let f = self.frac.as_bytes();
        let digit = |i: usize| f.get(i).map(|b| u64::from(b - b'0')).unwrap_or(0);
        let mut hundredths = int * 100 + digit(0) * 10 + digit(1);
        if digit(2) >= 5 {
            hundredths += 1;
        }
        if hundredths > 2000 {
            return None;
        }
        let (i, r) = (hundredths / 100, hundredths % 100);
        Some(if r == 0 {
            i.to_string()
        } else if r % 10 == 0 {
            format!("{i}.{}", r / 10)
        } else {
            format!("{i}.{r:02}")
        })
    }
}

#[cfg(test)]
mod tests;
