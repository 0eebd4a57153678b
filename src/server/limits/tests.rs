use super::*;

#[test]
fn the_budget_refuses_what_does_not_fit_and_gets_bytes_back() {
    let b = Budget::new(100);
    let r1 = b.try_reserve(60).unwrap();
    assert!(b.try_reserve(50).is_none());
    let r2 = b.try_reserve(40).unwrap();
    assert_eq!(b.used(), 100);
    drop(r1);
    assert_eq!(b.used(), 40);
    assert_eq!(r2.bytes(), 40);
    drop(r2);
    assert_eq!(b.used(), 0);
    assert!(b.try_reserve(101).is_none());
}

#[test]
fn the_budget_says_once_when_it_is_empty_again() {
    let b = Budget::new(100);
    assert!(!b.take_emptied(), "never used");
    let r1 = b.try_reserve(60).unwrap();
    let r2 = b.try_reserve(40).unwrap();
    drop(r1);
    assert!(!b.take_emptied(), "40 bytes still in flight");
    drop(r2);
    assert!(b.take_emptied());
    assert!(!b.take_emptied(), "said once");
    let r3 = b.try_reserve(10).unwrap();
    drop(r3);
    let r4 = b.try_reserve(10).unwrap();
    assert!(!b.take_emptied(), "busy again");
    drop(r4);
    assert!(b.take_emptied());
}

#[test]
fn gauges_count_their_guards() {
    let g = Arc::new(Gauge::default());
    let a = g.enter();
    let b = g.enter();
    assert_eq!(g.get(), 2);
    drop(a);
    drop(b);
    assert_eq!(g.get(), 0);
}
