//! The paragraph breaker on a corpus of generated bulletin paragraphs
//! (numbers with units, Latin words, punctuation pairs): loose lines
//! (stretched beyond 1/10 em per gap), the worst stretch, and time per
//! paragraph, for the breaker before issue 12 (`breaker/old.rs`), today's
//! greedy pass and the total-fit breaker.
//!
//! Run: `cargo bench --bench breaker` (release build). Prints a table.

use std::hint::black_box;
use std::ops::Range;
use std::time::Instant;

#[path = "breaker/old.rs"]
mod old;

use bulletin::fonts::Role;
use bulletin::text::is_wide;
use bulletin::typeset::line::{self, Cluster};
use bulletin::typeset::sample::{Rng, paragraph};

const SIZE: f32 = 16.0;
const CELL: f32 = 15.79;
const CHARS_PER_LINE: f32 = 28.0;

fn clusters(s: &str) -> Vec<Cluster> {
    s.char_indices()
        .map(|(i, ch)| {
            let wide = is_wide(ch);
            let width = if wide {
                CELL
            } else if ch == ' ' {
                4.0
            } else {
                8.5
            };
            Cluster {
                ch,
                range: i..i + ch.len_utf8(),
                glyph: None,
                role: Role::Body,
                size: SIZE,
                color: [0, 0, 0],
                width,
                offset: 0.0,
                wide,
                link: None,
                glue: false,
            }
        })
        .collect()
}

/// A paragraph breaker: clusters, first and other measures → lines.
type Breaker = dyn Fn(&[Cluster], f32, f32) -> Vec<Range<usize>>;

struct Stats {
    lines: usize,
    loose: usize,
    worst: f32,
    nanos: f64,
}

fn measure(corpus: &[Vec<Cluster>], name: &str, breaker: &Breaker) -> Stats {
    let rest = CELL * CHARS_PER_LINE;
    let first = rest - 2.0 * CELL;
    let mut st = Stats {
        lines: 0,
        loose: 0,
        worst: 0.0,
        nanos: 0.0,
    };
    for cl in corpus {
        let lines = breaker(cl, first, rest);
        for (k, r) in lines.iter().enumerate() {
            let last = k + 1 == lines.len();
            let m = if k == 0 { first } else { rest };
            let set = line::set_line(cl, r.clone(), m, !last);
            st.lines += 1;
            if !last {
                let em = set.stretch / SIZE;
                st.worst = st.worst.max(em);
                if em > 0.1 + 1e-4 {
                    st.loose += 1;
                }
            }
        }
    }
    // Time: best of five passes over the corpus.
    let mut best = f64::INFINITY;
    for _ in 0..5 {
        let t = Instant::now();
        for cl in corpus {
            black_box(breaker(black_box(cl), first, rest));
        }
        best = best.min(t.elapsed().as_nanos() as f64);
    }
    st.nanos = best / corpus.len() as f64;
    println!(
        "{name:<22} {:>6} lines {:>5} loose  worst {:.3} em/gap  {:>8.1} µs/paragraph",
        st.lines,
        st.loose,
        st.worst,
        st.nanos / 1000.0
    );
    st
}

fn main() {
    let mut rng = Rng::new(2025);
    let corpus: Vec<Vec<Cluster>> = (0..400)
        .map(|k| {
            let chars = rng.range(40, 400);
            let p = paragraph(&mut rng, chars, k % 5 == 0).replace("**", "");
            clusters(&p)
        })
        .collect();
    // Today's breakers see the clusters as `prepare` makes them, adjacent
    // marks compressed once for all.
    let compressed: Vec<Vec<Cluster>> = corpus
        .iter()
        .map(|cl| {
            let mut cl = cl.clone();
            line::compress_adjacent_marks(&mut cl);
            cl
        })
        .collect();
    println!("{} paragraphs, 28 characters a line", corpus.len());
    let before = measure(&corpus, "before (old greedy)", &|cl, f, r| {
        old::break_lines(cl, f, r)
    });
    let greedy = measure(&compressed, "greedy (break_lines)", &|cl, f, r| {
        line::break_lines(cl, f, r)
    });
    let total = measure(&compressed, "break_paragraph", &|cl, f, r| {
        bulletin::typeset::fit::break_paragraph(cl, f, r)
    });
    measure(&compressed, "total_fit (every para)", &|cl, f, r| {
        bulletin::typeset::fit::total_fit(cl, f, r)
    });
    println!(
        "break_paragraph / before: {:.2} (greedy / before: {:.2})",
        total.nanos / before.nanos.max(1.0),
        greedy.nanos / before.nanos.max(1.0)
    );
}
