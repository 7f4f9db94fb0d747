//! The layout report: per page, the lines off the grid, the worst
//! stretch, groups split across lines and keep violations. Computed from
//! the line list alone, so the tests assert on the same numbers that
//! `bulletin build N --report` prints.

use std::fmt::Write as _;

use super::LayoutConfig;
use super::finalize::ASCENT;
use super::output::{Document, LineInfo, LineKind};

/// Most space a justified line may add to each gap between characters,
/// in em, before it counts as loose.
pub const STRETCH_LIMIT: f32 = 0.1;

/// How far a baseline may lie from its grid line and still be on it (pt).
pub const GRID_TOLERANCE: f32 = 0.01;

/// One page's findings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageReport {
    /// Page index (0-based).
    pub page: usize,
    /// Body and heading lines whose baseline is off the grid.
    pub off_grid: Vec<String>,
    /// The largest stretch per gap of a justified body line (em).
    pub worst_stretch: f32,
    /// Justified body lines stretched beyond [`STRETCH_LIMIT`].
    pub loose: Vec<String>,
    /// Lines whose break splits a word, a number with its unit, the
    /// attribution or a bracketed group.
    pub split: Vec<String>,
    /// Keep rules broken at this page's foot or top.
    pub keeps: Vec<String>,
}

/// The whole document's findings, page by page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LayoutReport {
    pub pages: Vec<PageReport>,
}

impl LayoutReport {
    pub fn off_grid(&self) -> usize {
        self.pages.iter().map(|p| p.off_grid.len()).sum()
    }
    pub fn loose(&self) -> usize {
        self.pages.iter().map(|p| p.loose.len()).sum()
    }
    pub fn split(&self) -> usize {
        self.pages.iter().map(|p| p.split.len()).sum()
    }
    pub fn keeps(&self) -> usize {
        self.pages.iter().map(|p| p.keeps.len()).sum()
    }
    pub fn worst_stretch(&self) -> f32 {
        self.pages
            .iter()
            .map(|p| p.worst_stretch)
            .fold(0.0, f32::max)
    }

    /// The report as printed by `bulletin build --report` (Chinese).
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "版面报告：共 {} 页；不在网格上的行 {}，松散行（字距增量超过 {} 字）{}，最大字距增量 {:.3} 字，拆开的词组 {}，违反保持规则 {}",
            self.pages.len(),
            self.off_grid(),
            STRETCH_LIMIT,
            self.loose(),
            self.worst_stretch(),
            self.split(),
            self.keeps()
        );
        for p in &self.pages {
            let _ = writeln!(
                s,
                "  第{}页：不在网格上 {}，最大字距增量 {:.3} 字，松散行 {}，拆开的词组 {}，违反保持规则 {}",
                p.page + 1,
                p.off_grid.len(),
                p.worst_stretch,
                p.loose.len(),
                p.split.len(),
                p.keeps.len()
            );
            for (what, list) in [
                ("不在网格上", &p.off_grid),
                ("松散行", &p.loose),
                ("拆开的词组", &p.split),
                ("保持规则", &p.keeps),
            ] {
                for l in list {
                    let _ = writeln!(s, "    {what}：{l}");
                }
            }
        }
        s
    }
}

/// The report of `doc`, typeset with `cfg`.
pub fn report(doc: &Document, cfg: &LayoutConfig) -> LayoutReport {
    let pitch = cfg.line_pitch();
    let size = cfg.body_size;
    let origin = doc.text_block.y + (pitch - size) / 2.0 + ASCENT * size;
    let mut pages: Vec<PageReport> = (0..doc.pages.len())
        .map(|page| PageReport {
            page,
            ..Default::default()
        })
        .collect();
    let lines = &doc.lines;
    let flow = |l: &LineInfo| {
        !matches!(
            l.kind,
            LineKind::PageNumber | LineKind::Draft | LineKind::Footer | LineKind::Staff
        )
    };
    let short = |l: &LineInfo| l.text.chars().take(12).collect::<String>();
    for (i, l) in lines.iter().enumerate() {
        let Some(p) = pages.get_mut(l.page) else {
            continue;
        };
        if matches!(l.kind, LineKind::Body | LineKind::Heading) {
            let k = (l.baseline - origin) / pitch;
            let off = (k - k.round()).abs() * pitch;
            if off > GRID_TOLERANCE || k.round() < 0.0 || k.round() >= cfg.lines_per_page as f32 {
                p.off_grid.push(format!("{}（偏 {off:.2} 磅）", short(l)));
            }
        }
        if l.kind == LineKind::Body && !l.last {
            p.worst_stretch = p.worst_stretch.max(l.stretch);
            if l.stretch > STRETCH_LIMIT + 1e-4 {
                p.loose
                    .push(format!("{}（每个字距加 {:.3} 字）", short(l), l.stretch));
            }
        }
        if l.split {
            p.split.push(short(l));
        }
        if !flow(l) {
            continue;
        }
        // The flow lines after this one, on any page.
        let mut after = lines[i + 1..].iter().filter(|m| flow(m));
        let next = after.clone().next();
        match l.kind {
            LineKind::Title | LineKind::SectionHeading | LineKind::Heading => {
                // The last line of a heading keeps with two lines of its
                // text (a section heading may be followed by a title,
                // which keeps its own).
                if next.is_some_and(|n| n.para == l.para && n.kind == l.kind) {
                    continue;
                }
                let text: Vec<&LineInfo> = after
                    .by_ref()
                    .filter(|m| m.kind != LineKind::Excerpt)
                    .take(2)
                    .collect();
                let ok = match text.first() {
                    None => true,
                    Some(n) if n.kind == LineKind::Title => n.page == l.page,
                    Some(_) => text.iter().all(|m| m.page == l.page),
                };
                if !ok {
                    let what = match l.kind {
                        LineKind::Title => "标题",
                        LineKind::SectionHeading => "栏目标题",
                        _ => "小标题",
                    };
                    p.keeps
                        .push(format!("{what}“{}”下面不足两行正文就换页", short(l)));
                }
            }
            LineKind::Body => {
                let first = i == 0 || lines[i - 1].para != l.para;
                if first
                    && let Some(n) = next
                    && n.para == l.para
                    && n.page != l.page
                {
                    p.keeps.push(format!("段落首行“{}”单独留在页末", short(l)));
                }
                if l.last && i > 0 && lines[i - 1].para == l.para && lines[i - 1].page != l.page {
                    p.keeps
                        .push(format!("段落末行“{}”单独出现在页首", short(l)));
                }
            }
            _ => {}
        }
    }
    LayoutReport { pages }
}
