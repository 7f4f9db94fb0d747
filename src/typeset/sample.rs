//! Synthetic workspaces for the benchmark and the layout tests: an issue of
//! any number of items, built deterministically from a seed, with the
//! things that stress the typesetter (punctuation pairs, numbers with units,
//! Latin words, bold and emphasis runs, long titles, brief items), and
//! synthetic images.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic generator (64-bit LCG), no dependency needed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `lo..hi` (`lo` if the range is empty).
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + (self.next_u64() as usize) % (hi - lo)
        }
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len())]
    }
}

const UNITS: &[&str] = &[
    "市局办公室",
    "社会救助科",
    "养老服务科",
    "社会事务科",
    "宛城区民政局",
    "卧龙区民政局",
    "南召县民政局",
    "方城县民政局",
    "西峡县民政局",
    "镇平县民政局",
];

const SUBJECTS: &[&str] = &[
    "市民政局",
    "各县市区民政部门",
    "区社会救助服务中心",
    "县养老服务指导中心",
    "街道社工站",
    "婚姻登记处",
    "区划地名科",
    "儿童福利院",
];

const VERBS: &[&str] = &[
    "组织开展",
    "扎实推进",
    "认真落实",
    "专题部署",
    "集中排查",
    "持续深化",
    "统筹安排",
];

const OBJECTS: &[&str] = &[
    "冬季取暖安全检查",
    "低收入人口动态监测",
    "居家养老上门服务",
    "困境儿童关爱保护",
    "殡葬领域移风易俗",
    "社会组织年度检查",
    "地名文化保护工作",
    "“一件事一次办”改革",
];

const TAILS: &[&str] = &[
    "，做到底数清、情况明",
    "，确保各项措施落到实处",
    "，切实兜住兜准兜牢民生底线",
    "；对发现的问题建立台账、限期整改",
    "，群众满意度明显提升",
    "，形成“一户一策”帮扶清单",
    "（试行）",
];

const NUMBERS: &[&str] = &["名", "户", "家", "个", "件", "万元", "%", "人次"];

const LATIN: &[&str] = &["App", "PDF", "GPS", "12345", "5G", "AI"];

/// One sentence of plausible bulletin prose, ending in 。.
pub fn sentence(rng: &mut Rng) -> String {
    let mut s = String::new();
    s.push_str(rng.pick(SUBJECTS));
    s.push_str(rng.pick(VERBS));
    s.push_str(rng.pick(OBJECTS));
    for _ in 0..rng.range(0, 3) {
        s.push_str(rng.pick(TAILS));
    }
    match rng.range(0, 5) {
        0 => {
            let _ = write!(s, "，累计服务{}{}", rng.range(3, 9000), rng.pick(NUMBERS));
        }
        1 => {
            let _ = write!(s, "，依托{}平台完成线上办理", rng.pick(LATIN));
        }
        2 => {
            let _ = write!(
                s,
                "，时间为{}月{}日—{}月{}日",
                11,
                rng.range(1, 15),
                12,
                rng.range(1, 28)
            );
        }
        _ => {}
    }
    s.push('。');
    s
}

/// A paragraph of about `chars` characters.
pub fn paragraph(rng: &mut Rng, chars: usize, bold_lead: bool) -> String {
    let mut p = String::new();
    if bold_lead {
        let lead = rng.pick(&["一要压实工作责任", "二要强化督导检查", "三要健全长效机制"]);
        let _ = write!(p, "**{lead}**，");
    }
    while p.chars().count() < chars {
        p.push_str(&sentence(rng));
    }
    p
}

/// A workspace at `dir` with issue 1 of `items` items (about a fifth of
/// them 简讯). Returns the number of the issue.
pub fn write_workspace(dir: &Path, items: usize, seed: u64) -> std::io::Result<u32> {
    let mut rng = Rng::new(seed);
    std::fs::create_dir_all(dir.join("issues/1"))?;
    std::fs::write(
        dir.join("bulletin.toml"),
        "title = \"示范民政工作动态\"\npublisher = \"示范市民政局办公室\"\n\n\
         [[sections]]\nname = \"工作动态\"\nheading = \"\"\n\n\
         [[sections]]\nname = \"简讯\"\nstyle = \"brief\"\n\n\
         [footer]\neditor = \"张晓明\"\nsignoffs = [\"核稿\", \"审核\"]\nlines = [\n\
         { label = \"报\", text = \"市民政局领导。\" },\n\
         { label = \"发\", text = \"各县市区民政局，市局机关各科室、局属各单位。\" },\n]\n",
    )?;
    std::fs::write(
        dir.join("issues/1/issue.toml"),
        "number = 1\ndate = 2025-12-08\n",
    )?;
    for i in 0..items {
        let brief = rng.range(0, 5) == 0;
        let unit = rng.pick(UNITS);
        let day = rng.range(1, 29);
        let mut text = String::from("+++\n");
        if brief {
            let _ = write!(
                text,
                "unit = \"{unit}\"\ndate = 2025-11-{day:02}\ncategory = \"简讯\"\n+++\n\n11月{day}日，{}\n",
                paragraph(&mut rng, rng_len(i, 40, 120), false)
            );
        } else {
            let mut title = format!("{}{}", rng.pick(SUBJECTS), rng.pick(VERBS));
            title.push_str(rng.pick(OBJECTS));
            if rng.range(0, 2) == 0 {
                title.push_str("取得阶段性成效");
            }
            let _ = write!(
                text,
                "title = \"{title}\"\nunit = \"{unit}\"\ndate = 2025-11-{day:02}\ncategory = \"工作动态\"\norder = {}\n",
                i + 1
            );
            if rng.range(0, 6) == 0 {
                text.push_str("excerpt = true\n");
            }
            text.push_str("+++\n\n");
            for k in 0..rng.range(1, 5) {
                let len = rng.range(50, 260);
                let bold = k > 0 && rng.range(0, 3) == 0;
                text.push_str(&paragraph(&mut rng, len, bold));
                text.push_str("\n\n");
            }
        }
        std::fs::write(dir.join(format!("issues/1/{:04}.md", i + 1)), text)?;
    }
    Ok(1)
}

fn rng_len(i: usize, lo: usize, hi: usize) -> usize {
    lo + (i * 37) % (hi - lo)
}

/// A valid grey PNG of `w` × `h` pixels whose first `rows` rows of zero
/// pixels are written (correct CRCs): with `rows` = `h` tiny on disk and
/// huge decoded, with `rows` = 0 a header that claims what it likes.
pub fn grey_png(w: u32, h: u32, rows: u32) -> Vec<u8> {
    use std::io::Write as _;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(kind);
        out.extend(data);
        out.extend(crc.sum().to_be_bytes());
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let row = vec![0u8; w as usize + 1];
    for _ in 0..rows {
        z.write_all(&row).expect("writing to memory");
    }
    let idat = z.finish().expect("writing to memory");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}
