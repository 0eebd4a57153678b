#![no_main]
// The property lives in the library (lsu_lint::fuzzing) so that tests/it/fuzz_corpus.rs replays
// the corpora through the very same function.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    lsu_lint::fuzzing::check_and_fix(data);
});
