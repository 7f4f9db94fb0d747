//! Fonts for the PDF: the roles of official-document typography
//! ([`role`]), where each role's font comes from (embedded Fandol, a file,
//! an installed family) with per-character fallback ([`set`]), glyph ids
//! and advances ([`face`], via skrifa), and glyph coverage of an issue
//! located at file:line:col ([`coverage`]).

pub mod coverage;
pub mod embedded;
pub mod face;
pub mod role;
pub mod set;

pub use coverage::{TextLoc, config_loc, missing_diagnostic, system_font_note};
pub use face::{Face, FontData, FontId, Glyph};
pub use role::Role;
pub use set::FontSet;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::source::SourceFile;
    use std::path::{Path, PathBuf};

    #[test]
    fn embedded_faces_cover_gb2312_but_not_rong() {
        let mut set = FontSet::defaults(false);
        for role in Role::ALL {
            let g = set.resolve(role, '民').expect("民 in every role");
            assert!(g.id > 0);
            assert!((g.advance - 1.0).abs() < 0.01, "{role:?} {}", g.advance);
        }
        assert!(set.resolve(Role::Body, '镕').is_none());
        let a = set.resolve(Role::Body, 'i').unwrap().advance;
        let m = set.resolve(Role::Body, 'm').unwrap().advance;
        assert!(a < m && m < 1.0, "proportional Latin: i {a}, m {m}");
    }

    #[test]
    fn face_styles_are_read_from_names() {
        use set::FaceStyle::*;
        let of = set::FaceStyle::of_name;
        assert_eq!(of("FandolFang-Regular"), Some(Fang));
        assert_eq!(of("FangSong"), Some(Fang));
        assert_eq!(of("仿宋_GB2312"), Some(Fang));
        assert_eq!(of("Noto Serif CJK SC"), Some(Song));
        assert_eq!(of("方正小标宋简体"), Some(Song));
        assert_eq!(of("Noto Sans CJK SC"), Some(Hei));
        assert_eq!(of("KaiTi"), Some(Kai));
        assert_eq!(of("DejaVu Mono"), None);
    }

    #[test]
    fn roles_use_their_default_faces() {
        let set = FontSet::defaults(false);
        let name = |r: Role| set.face(set.chain(r)[0]).name.clone();
        assert_eq!(name(Role::Title), "FandolSong-Bold");
        assert_eq!(name(Role::Body), "FandolFang-Regular");
        assert_eq!(name(Role::Bold), "FandolHei-Regular");
        assert_eq!(name(Role::Emphasis), "FandolKai-Regular");
        assert_eq!(name(Role::PageNumber), "FandolSong-Regular");
    }

    #[test]
    fn a_title_font_problem_points_at_fonts_title_not_the_publication_title() {
        let text = "title = \"刊\"\npublisher = \"单位\"\n[[sections]]\nname = \"a\"\n\
                    [fonts]\nsystem_fallback = false\ntitle = \"没有这个字体\"\n";
        let src = SourceFile::new(PathBuf::from("bulletin.toml"), text.to_string());
        let config = Config::parse(&src).expect("config");
        let d = FontSet::from_config(&config, Path::new(".")).unwrap_err();
        let e = d.items.iter().find(|d| d.code == "E080").expect("E080");
        let at = e.location.as_ref().expect("located");
        // Line 1 is the publication's `title =`; the role's key is line 7.
        assert_eq!((at.line, at.column), (7, 1), "{e:?}");
    }
}
