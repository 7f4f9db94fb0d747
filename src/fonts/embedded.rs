//! The Fandol fonts compiled into the binary (see `fonts/SOURCE.md`).
//!
//! `include_bytes!` data lives in the executable's read-only segment: the OS
//! maps it lazily, so only the pages of the glyphs actually used are read.

/// (name, file data) of every embedded face; names are the PostScript-style
/// file stems users may write in `[fonts]`.
pub const FACES: &[(&str, &[u8])] = &[
    (
        "FandolSong-Bold",
        include_bytes!("../../fonts/FandolSong-Bold.otf"),
    ),
    (
        "FandolSong-Regular",
        include_bytes!("../../fonts/FandolSong-Regular.otf"),
    ),
    (
        "FandolFang-Regular",
        include_bytes!("../../fonts/FandolFang-Regular.otf"),
    ),
    (
        "FandolHei-Regular",
        include_bytes!("../../fonts/FandolHei-Regular.otf"),
    ),
    (
        "FandolHei-Bold",
        include_bytes!("../../fonts/FandolHei-Bold.otf"),
    ),
    (
        "FandolKai-Regular",
        include_bytes!("../../fonts/FandolKai-Regular.otf"),
    ),
];

/// The embedded face called `name` (`FandolFang` and `FandolFang-Regular`
/// both work; case-insensitive).
pub fn find(name: &str) -> Option<(&'static str, &'static [u8])> {
    let n = name.trim();
    FACES
        .iter()
        .find(|(face, _)| {
            face.eq_ignore_ascii_case(n)
                || face
                    .strip_suffix("-Regular")
                    .is_some_and(|f| f.eq_ignore_ascii_case(n))
        })
        .map(|(f, d)| (*f, *d))
}
