//! Breaking a title into lines the way a typesetter would: only between
//! words (ICU4X's dictionary segmenter, with its Chinese dictionary
//! compiled into the program, refined by a small civil-affairs lexicon),
//! preferring punctuation and phrase boundaries, balanced by a cost over
//! every candidate break for any number of lines, each line at least one
//! character in from both sides of the text block, and never a line of
//! one lone word.
//!
//! Why ICU4X and not jieba-rs: measured on 44 bulletin titles, jieba's
//! segmentation is better (it split 10 domain terms where ICU split 25,
//! both after the single-character rule below), but building jieba's
//! 349,000-word dictionary costs about 90 ms of CPU at every run — more
//! than three times a whole build of the example issue — while ICU's
//! compiled data is ready in microseconds. ICU's weak spots in this
//! domain (市民|政局, 南|召|县, 观|摩|会) are exactly what the
//! single-character rule and the lexicon repair. The segmenter, the
//! lexicon and the cost of each break live in [`crate::wordbreak`], which
//! the HTML edition uses too.

use std::ops::Range;

use crate::wordbreak::{IN_WORD, break_costs, is_punct, words};

use super::justify::{fits, natural};
use super::line::{Cluster, break_lines, can_break};

/// Weight of the imbalance: a line `d` characters longer or shorter than
/// the average costs `BALANCE * d²`.
const BALANCE: f32 = 0.5;

/// A line that is one lone word (with its punctuation).
const LONE_WORD: f32 = 60.0;
/// Titles of more lines than this are set greedily.
const MAX_BALANCED_LINES: usize = 8;
/// Not a break at all (clreq forbids it).
const FORBIDDEN: f32 = f32::INFINITY;

/// Break title clusters `cl` for a text block `width` wide: each line at
/// least `inset` in from both sides, breaks chosen by the least total
/// cost (imbalance plus the kind of every break) for the fewest lines.
pub fn break_title(cl: &[Cluster], width: f32, inset: f32) -> Vec<Range<usize>> {
    let n = cl.len();
    let measure = (width - 2.0 * inset).max(width / 2.0);
    if n == 0 || fits(cl, &(0..n), measure) {
        return std::iter::once(0..n).collect();
    }
    let chars: Vec<char> = cl.iter().map(|c| c.ch).collect();
    let mut cost = break_costs(&chars);
    for at in 1..n {
        if !can_break(&cl[at - 1], &cl[at]) {
            cost[at] = FORBIDDEN;
        }
    }
    let segs = words(&chars);
    let fewest = break_lines(cl, measure, measure).len();
    if fewest > MAX_BALANCED_LINES {
        // Not a title a reader meets: set it greedily.
        return break_lines(cl, measure, measure);
    }
    // The fewest lines that need no break inside a word; failing that,
    // the cheapest.
    let mut best: Option<(f32, Vec<Range<usize>>)> = None;
    for k in fewest..fewest + 3 {
        if let Some((c, lines)) = balanced(cl, &chars, &cost, &segs, measure, k) {
            if c < IN_WORD {
                return lines;
            }
            if best.as_ref().is_none_or(|(b, _)| c < *b) {
                best = Some((c, lines));
            }
        }
    }
    best.map_or_else(|| break_lines(cl, measure, measure), |(_, l)| l)
}

/// The best `k` lines of `cl`, each fitting `measure`, if any.
fn balanced(
    cl: &[Cluster],
    chars: &[char],
    cost: &[f32],
    segs: &[Range<usize>],
    measure: f32,
    k: usize,
) -> Option<(f32, Vec<Range<usize>>)> {
    let n = cl.len();
    let total = natural(cl, &(0..n));
    let avg = total / k as f32;
    let unit = cl
        .iter()
        .find(|c| c.wide)
        .map_or(total / n as f32, |c| c.width);
    // A line that is one word, with at most its punctuation.
    let mut seg_of = vec![0usize; n];
    for (k, s) in segs.iter().enumerate() {
        for i in s.clone() {
            seg_of[i] = k;
        }
    }
    let lone = |r: &Range<usize>| {
        let mut body = r.clone().filter(|&i| !is_punct(chars[i]));
        match (body.next(), body.next_back()) {
            (Some(f), Some(l)) => seg_of[f] == seg_of[l],
            (Some(_), None) => true,
            _ => true,
        }
    };
    // best[j][e]: least cost of j lines ending at e; from[j][e]: start.
    let mut best = vec![vec![f32::INFINITY; n + 1]; k + 1];
    let mut from = vec![vec![0usize; n + 1]; k + 1];
    best[0][0] = 0.0;
    for j in 1..=k {
        for e in 1..=n {
            if e < n && !cost[e].is_finite() {
                continue;
            }
            let brk = if e < n { cost[e] } else { 0.0 };
            for s in (0..e).rev() {
                let r = s..e;
                if !fits(cl, &r, measure) {
                    break;
                }
                let prev = best[j - 1][s];
                if !prev.is_finite() {
                    continue;
                }
                let d = (natural(cl, &r) - avg) / unit;
                let mut c = prev + BALANCE * d * d + brk;
                if k > 1 && lone(&r) {
                    c += LONE_WORD;
                }
                if c < best[j][e] {
                    best[j][e] = c;
                    from[j][e] = s;
                }
            }
        }
    }
    if !best[k][n].is_finite() {
        return None;
    }
    let mut lines = Vec::with_capacity(k);
    let mut e = n;
    for j in (1..=k).rev() {
        let s = from[j][e];
        lines.push(s..e);
        e = s;
    }
    lines.reverse();
    Some((best[k][n], lines))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::Role;

    /// Title clusters: 10 pt cells, Latin and digits 5 pt.
    fn clusters(s: &str) -> Vec<Cluster> {
        crate::typeset::line::test_clusters(s, Role::Title)
    }

    /// The title broken for a block 20 characters wide (18 with the
    /// insets), lines joined with " / ".
    fn broken(title: &str) -> String {
        let cl = clusters(title);
        break_title(&cl, 200.0, 10.0)
            .iter()
            .map(|r| cl[r.clone()].iter().map(|c| c.ch).collect::<String>())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Bulletin titles of 10 to 60 characters with the breaks a typesetter
    /// would choose for a block 20 characters wide: between words, at
    /// punctuation and phrase boundaries where the balance allows, never a
    /// line of one word.
    const TITLES: &[&str] = &[
        "全市民政系统召开年终工作推进会",
        "卧龙区启动冬季救助专项行动",
        "市慈善总会开展“慈善一日捐”活动",
        "唐河县完成村（社区）“两委”换届备案",
        "西峡县婚姻登记处获评省级优秀窗口",
        "淅川县推进殡葬领域突出问题专项整治",
        "市民政局召开冬季民政 / 服务机构安全工作推进会",
        "全市养老服务质量提升 / 现场观摩会在方城县召开",
        "南召县民政局开展 / 农村留守老年人关爱巡访行动",
        "宛城区婚姻登记“跨省通办” / 服务群众满意度持续提升",
        "打通居家养老服务“最后一公里”： / 宛城区建成社区嵌入式养老服务站12个",
        "市民政局部署2025年度冬春季节 / 困难群众救助帮扶工作",
        "镇平县：以“三个聚焦” / 推动社会救助提质增效",
        "桐柏县开展孤儿和事实无人抚养儿童 / 基本生活保障金核查",
        "我市召开儿童福利和 / 未成年人保护工作联席会议",
        "邓州市推进殡葬改革 / 倡导文明节俭治丧新风",
        "内乡县举办社会工作者 / 职业水平考试考前培训班",
        "社旗县开展养老机构 / 消防安全和食品安全专项检查",
        "市民政局赴新野县调研 / 乡镇（街道）社工站建设情况",
        "方城县“党建+养老” / 模式让农村老人老有所依",
        "卧龙区创新“五社联动” / 机制提升社区治理水平",
        "全市慈善组织年度检查和 / 信息公开工作培训会召开",
        "市民政局与市中级人民法院 / 联合开展婚姻家庭辅导",
        "南阳市2025年第三季度 / 城乡低保资金发放情况通报",
        "高新区推行“一站式” / 殡葬服务减轻群众治丧负担",
        "城乡社区议事协商示范点创建 / 工作经验交流会在唐河县召开",
        "西峡县实施特困人员供养服务 / 设施（敬老院）改造提升工程",
        "市民政局召开第四季度意识形态工作 / 专题会议暨党风廉政建设工作会议",
        "聚焦“一老一小”办好民生实事—— / 宛城区民政局全力推进 / 养老托育服务体系建设",
        "市民政局关于开展2025年度全市 / 养老机构等级评定工作的通知",
        "淅川县：筑牢兜底保障网， / 让困难群众温暖过冬",
        "桐柏县开展“情暖童心” / 关爱困境儿童志愿服务活动",
        "我市召开全国基层政权建设和 / 社区治理示范县创建推进会",
        "唐河县民政局扎实开展流浪乞讨人员 / “寒冬送温暖”专项救助行动",
        "市福利院开展“重阳敬老” / 主题活动为老人送上节日祝福",
        "卧龙区召开2025年度区划地名工作会议",
        "镇平县多措并举推进居家和 / 社区养老服务改革试点工作",
        "全市民政系统安全生产大排查大整治 / 行动动员部署会召开",
        "坚持党建引领，强化多元共治， / 奋力开创新时代社区治理新局面",
        "邓州市民政局开展“民政为民、 / 民政爱民”服务理念主题教育",
        "市民政局组织开展社会组织 / 法人治理结构建设专题培训",
        "新野县投入资金1200万元实施 / 农村敬老院消防设施提升改造工程",
        "南召县建立“县乡村三级”社会救助 / 服务网络实现困难群众应救尽救",
        "市民政局召开全市殡葬管理工作会议 / 部署清明节期间祭扫服务保障工作",
    ];

    #[test]
    fn titles_break_as_a_typesetter_would() {
        assert!(TITLES.len() >= 40);
        let mut wrong = Vec::new();
        for want in TITLES {
            let title: String = want.split(" / ").collect();
            let n = title.chars().count();
            assert!((10..=60).contains(&n), "{title}: {n} characters");
            let got = broken(&title);
            if got != *want {
                wrong.push(format!("want {want}\n got {got}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn title_lines_keep_one_character_in_and_no_lone_word() {
        for want in TITLES {
            let title: String = want.split(" / ").collect();
            let cl = clusters(&title);
            let lines = break_title(&cl, 200.0, 10.0);
            for r in &lines {
                assert!(natural(&cl, r) <= 180.0 + 0.01, "{title}");
                if lines.len() > 1 {
                    assert!(r.len() >= 4, "short line in {title}: {r:?}");
                }
            }
        }
        // A very long title (1,000 characters) still breaks, quickly.
        let long: String = "市民政局召开冬季民政服务机构安全工作推进会".repeat(48);
        let cl = clusters(&long);
        let t = std::time::Instant::now();
        let lines = break_title(&cl, 200.0, 10.0);
        assert_eq!(lines.last().unwrap().end, cl.len());
        assert!(t.elapsed().as_secs() < 5);
    }
}
